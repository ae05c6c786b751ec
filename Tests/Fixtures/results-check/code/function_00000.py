def __missing__(self, key):
    # Needed so that self[missing_item] does not raise KeyError
    return 0

def loads(value, *, fmt=None, dict_type=dict):
    fp = BytesIO(value)
    return load(fp, fmt=fmt, dict_type=dict_type)

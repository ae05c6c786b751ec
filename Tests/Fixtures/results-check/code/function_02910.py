def getmembers(self):
    self._check()
    if not self._loaded:    # if we want to obtain a list of
        self._load()        # all members, we first have to
                            # scan the whole archive.
    return self.members

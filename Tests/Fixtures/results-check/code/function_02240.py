def getallmatchingheaders(self, name):
    name = name.lower() + ':'
    n = len(name)
    lst = []
    hit = 0
    for line in self.keys():
        if line[:n].lower() == name:
            hit = 1
        elif not line[:1].isspace():
            hit = 0
        if hit:
            lst.append(line)
    return lst

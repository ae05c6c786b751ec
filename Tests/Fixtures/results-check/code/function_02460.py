def __gt__(self, other):
    if not isinstance(other, Counter):
        return NotImplemented
    return self >= other and self != other

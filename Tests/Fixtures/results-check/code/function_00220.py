@property
def ident(self):
    self._check_closed()
    if self is _current_process:
        return os.getpid()
    else:
        return self._popen and self._popen.pid

def read_lines(self):
    if self._binary_file:
        self.file = self.__file = BytesIO() # store data as bytes for files
    else:
        self.file = self.__file = StringIO() # as strings for other fields
    if self.outerboundary:
        self.read_lines_to_outerboundary()
    else:
        self.read_lines_to_eof()

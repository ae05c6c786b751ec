import SparkFormats

extension DataError {
    /// A SparkFormats error as a `DataError` about `file`, keeping the format's own account of
    /// the field, the problem and the expectation (without repeating the file name).
    init(_ error: FormatError, file: String) {
        var text = error.description
        let prefix = error.file + ": "
        if text.hasPrefix(prefix) { text.removeFirst(prefix.count) }
        // The member name (“x.npz member 'data.npy'”) is more precise than the archive's path.
        let named = error.file == file ? file : error.file
        switch error {
        case .io: self = .unreadable(file: named, problem: text)
        default: self = .malformed(file: named, problem: text)
        }
    }
}

/// Runs a SparkFormats call, turning its `FormatError` into a `DataError` about `file`.
func translatingFormatErrors<T>(file: String, _ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as FormatError { throw DataError(error, file: file) }
}

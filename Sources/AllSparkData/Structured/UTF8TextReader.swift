/// Reads a UTF-8 text file into a String: the format reader behind the text and code loaders and
/// the first step of every line-based format (CSV, ETH trajectories, OFF, XYZ).
enum UTF8TextReader {
    /// The file's text without a leading byte-order mark. Invalid UTF-8 and NUL bytes (a sign of a
    /// binary file) are errors naming the byte offset.
    static func read(_ path: String, limits: LoadLimits, expected: String) throws -> String {
        let bytes = try LimitedFileReader.read(path, limits: limits, expected: expected)
        return try decode(bytes, file: path, expected: expected)
    }

    static func decode(_ bytes: [UInt8], file: String, expected: String) throws -> String {
        if let failure = UTF8Validation.firstFailure(in: bytes) {
            throw DataError.malformed(file: file, problem: "invalid UTF-8 at byte offset \(failure.offset): \(failure.reason); expected \(expected) in UTF-8")
        }
        if let nul = bytes.firstIndex(of: 0) {
            throw DataError.malformed(file: file, problem: "NUL byte at byte offset \(nul) (a binary file?); expected \(expected)")
        }
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let body = bytes.starts(with: bom) ? bytes.dropFirst(3) : bytes[...]
        return String(decoding: body, as: UTF8.self)
    }
}

import CSV
import Foundation

/// CSV.swift 2.5.2 as its README shows, header row on, rows pulled with `next()`; its `error`
/// property says whether reading stopped on an error (`next()` itself cannot throw). Two ways in:
/// `stream`, a `CSVReader` over an `InputStream` of the file (the library decodes UTF-8 and skips
/// a BOM), and `string`, a `CSVReader` over the file's text decoded by Foundation first (how a
/// caller that checks the bytes itself, as our `UTF8TextReader` does, would use it).
enum CSVSwiftReader {
    struct InputError: Error, CustomStringConvertible { var description: String }

    static func read(path: String, fromString: Bool) throws -> (header: [String], rows: [[String]]) {
        let reader: CSVReader
        if fromString {
            guard let text = String(data: try Data(contentsOf: URL(fileURLWithPath: path)), encoding: .utf8) else {
                throw InputError(description: "not UTF-8 (Foundation's decoding, before the library)")
            }
            reader = try CSVReader(string: text, hasHeaderRow: true)
        } else {
            guard let stream = InputStream(fileAtPath: path) else { throw InputError(description: "cannot open \(path)") }
            reader = try CSVReader(stream: stream, hasHeaderRow: true)
        }
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        // Saying how many rows came before the error shows whether it is the end of the file.
        if let error = reader.error { throw InputError(description: "\(error) after \(rows.count) rows") }
        return (reader.headerRow ?? [], rows)
    }
}

import Foundation
import SwiftCSV

/// SwiftCSV 0.10.0 as one would use it: `CSV<Enumerated>` from the file's URL, the delimiter named
/// (its other initialisers guess it). In its own file because the library's `CSV` type and
/// CSV.swift's module, also named `CSV`, cannot both be visible in one file.
enum SwiftCSVReader {
    static func read(path: String) throws -> (header: [String], rows: [[String]]) {
        let csv = try CSV<Enumerated>(url: URL(fileURLWithPath: path), delimiter: .comma, encoding: .utf8, loadColumns: false)
        return (csv.header, csv.rows)
    }
}

import Foundation
@testable import OurCSV

/// The CSV readers under comparison, each given the file's path as the table loader is.
///
/// - `ours`: `TableLoader`, the public route to our `CSVReader` (which is internal): it reads the
///   file (size limit, UTF-8 check, BOM), parses every row and types every field.
/// - `SwiftCSV`, `CSV.swift/stream`, `CSV.swift/string`: the library parses; every field is then typed with `typed(_:)`, the
///   same rule as ours (`CSVTable.value`), so both sides do the same work.
enum CSVParsers {
    static let names = ["ours", "SwiftCSV", "CSV.swift/stream", "CSV.swift/string"]

    /// A table as read: the header, the row count and (up to `shown`) typed rows, plus the last row.
    struct Table {
        var header: [String]
        var count: Int
        var rows: [[TableValue]]
        var last: [TableValue]?
    }

    /// The timed work: read and type the whole file. Returns the table for the digest.
    static func read(_ parser: String, path: String) throws -> Table {
        switch parser {
        case "ours": return try ours(path: path)
        case "SwiftCSV": return try typedTable(SwiftCSVReader.read(path: path))
        case "CSV.swift/stream": return try typedTable(CSVSwiftReader.read(path: path, fromString: false))
        case "CSV.swift/string": return try typedTable(CSVSwiftReader.read(path: path, fromString: true))
        default: fatalError("unknown csv parser \(parser)")
        }
    }

    /// Our table through the loader. One `load` parses and types the whole file but hands back
    /// one row, so the rest of the table (for the tables in the doc, not for the timing) comes from
    /// more loads: the row count from the "past the end" error, then the rows one by one.
    static func ours(path: String, shown: Int = 20) throws -> Table {
        func row(_ index: Int) throws -> (columns: [String], values: [TableValue]) {
            let sample = try TableLoader().load(path: path, options: ["row": String(index)], limits: .standard)
            guard case .tableRow(let columns, let values) = sample.content else { fatalError("not a table row") }
            return (columns, values)
        }
        let first = try row(0)
        var count = -1
        do { _ = try row(Int.max) } catch {
            let pattern = try Regex(#"the table has (\d+) data rows"#)
            if let match = "\(error)".firstMatch(of: pattern), let n = match.output[1].substring { count = Int(n)! }
        }
        var rows = [first.values]
        for index in 1..<max(1, min(count, shown)) { rows.append(try row(index).values) }
        return Table(header: first.columns, count: count, rows: rows, last: count > 0 ? try row(count - 1).values : nil)
    }

    /// Parse only, no typing: the raw fields. Ours is `UTF8TextReader` + `CSVReader.parse`, the
    /// two steps of `TableLoader` before `typedRows` (internal, hence `@testable`).
    static func parseOnly(_ parser: String, path: String) throws -> (header: [String], rows: [[String]]) {
        switch parser {
        case "ours":
            let text = try UTF8TextReader.read(path, limits: .standard, expected: "a CSV table with a header")
            let table = try CSVReader.parse(text, file: path, maxRows: LoadLimits.standard.maxRows)
            return (table.header, table.rows)
        case "SwiftCSV": return try SwiftCSVReader.read(path: path)
        case "CSV.swift/stream": return try CSVSwiftReader.read(path: path, fromString: false)
        case "CSV.swift/string": return try CSVSwiftReader.read(path: path, fromString: true)
        default: fatalError("unknown csv parser \(parser)")
        }
    }

    static func typedTable(_ raw: (header: [String], rows: [[String]])) throws -> Table {
        let rows = try raw.rows.map { try $0.map(typed) }
        return Table(header: raw.header, count: rows.count, rows: rows, last: rows.last)
    }

    /// Our rule for a raw field (`CSVTable.value`, internal to AllSparkData), repeated here.
    static func typed(_ raw: String) throws -> TableValue {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed == "NA" || (Double(trimmed)?.isNaN ?? false) { return .missing }
        if let number = Double(trimmed) {
            guard number.isFinite else { throw CocoaError(.formatting) }
            return .number(number)
        }
        return .category(raw)
    }

    /// What an accepted input was read as, checked against `expected` when the case has one.
    static func describe(_ table: Table, expected: (header: [String], rows: [[String]])?) -> String {
        guard let expected else {
            let widths = table.rows.map { String($0.count) }.joined(separator: ", ")
            return "accepted: header \(show(table.header)); \(table.count) row\(table.count == 1 ? "" : "s")"
                + (table.rows.isEmpty ? "" : " of \(widths) fields: " + table.rows.prefix(3).map(show).joined(separator: " "))
        }
        if table.header != expected.header { return "accepted, **wrong** header \(show(table.header))" }
        let want = expected.rows.map { $0.map { try! typed($0) } }
        if table.count != want.count { return "accepted, **wrong**: \(table.count) rows, expected \(want.count): " + table.rows.prefix(4).map(show).joined(separator: " ") }
        for (i, (got, w)) in zip(table.rows, want).enumerated() where got != w {
            return "accepted, **wrong** row \(i + 1): \(show(got)), expected \(show(w))"
        }
        return "accepted, correct"
    }

    static func show(_ row: [String]) -> String {
        "[" + row.map { clip($0.debugDescription) }.joined(separator: ", ") + "]"
    }

    static func show(_ row: [TableValue]) -> String {
        "[" + row.map { value -> String in
            switch value {
            case .number(let x): return x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
            case .category(let s): return clip(s.debugDescription)
            case .missing: return "∅"
            }
        }.joined(separator: ", ") + "]"
    }

    static func clip(_ s: String) -> String {
        s.count <= 24 ? s : String(s.prefix(12)) + "…(\(s.count) chars)"
    }

    static func digest(_ raw: (header: [String], rows: [[String]])) -> String {
        "\(raw.rows.count) rows; first \(show(raw.rows.first ?? [])); last \(show(raw.rows.last ?? []))"
    }

    /// A digest to compare the parsers' results on the benchmark file.
    static func digest(_ table: Table) -> String {
        "\(table.count) rows; first \(show(table.rows.first ?? [])); last \(show(table.last ?? []))"
    }
}

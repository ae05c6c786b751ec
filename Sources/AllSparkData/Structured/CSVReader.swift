import Foundation

/// A CSV table as read from a file: the header and the rows' raw fields (quotes removed), with the
/// line on which each row starts, for error messages.
struct CSVTable: Equatable {
    var header: [String]
    var rows: [[String]]
    /// 1-based line number where each row starts (a quoted field may span lines).
    var rowLines: [Int]
}

/// RFC 4180 CSV: comma-separated fields; a field in double quotes may hold commas, line breaks and
/// doubled quotes (`""` → `"`); records end with CRLF or LF. The first record is the header and is
/// required. Every record must have as many fields as the header. Empty lines are skipped (they
/// are not records; RFC 4180 does not allow them, but files often end with one).
enum CSVReader {
    static func parse(_ text: String, file: String, maxRows: Int) throws -> CSVTable {
        var records: [(fields: [String], line: Int)] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var fieldWasQuoted = false
        var recordHasContent = false

        func finishField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func finishRecord() throws {
            finishField()
            // The header plus maxRows data rows; checked as rows arrive so a huge file stops early.
            guard records.count <= maxRows else {
                throw DataError.malformed(file: file, problem: "has more than \(maxRows) data rows (LoadLimits.maxRows); expected at most \(maxRows)")
            }
            records.append((fields, recordLine))
            fields.removeAll(keepingCapacity: true)
        }

        let bytes = Array(text.utf8)
        let count = bytes.count
        var i = 0
        while i < count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") && field.isEmpty && !fieldWasQuoted {
                // A quoted field: runs to the next quote that is not doubled.
                let openingLine = line
                fieldWasQuoted = true
                recordHasContent = true
                i += 1
                var closed = false
                while i < count {
                    let b = bytes[i]
                    if b == UInt8(ascii: "\"") {
                        if i + 1 < count && bytes[i + 1] == UInt8(ascii: "\"") { field.append(b); i += 2; continue }
                        closed = true; i += 1; break
                    }
                    if b == UInt8(ascii: "\n") { line += 1 }
                    field.append(b); i += 1
                }
                guard closed else {
                    throw DataError.malformed(file: file, problem: "line \(openingLine): quoted field is never closed; expected a closing double quote")
                }
                if i < count {
                    let next = bytes[i]
                    let endsField = next == UInt8(ascii: ",") || next == UInt8(ascii: "\n")
                        || (next == UInt8(ascii: "\r") && i + 1 < count && bytes[i + 1] == UInt8(ascii: "\n"))
                    guard endsField else {
                        throw DataError.malformed(file: file, problem: "line \(line): '\(Character(Unicode.Scalar(next)))' after a closing quote; expected a comma or the end of the line")
                    }
                }
                continue
            }
            switch byte {
            case UInt8(ascii: ","):
                finishField(); recordHasContent = true; i += 1
            case UInt8(ascii: "\r") where i + 1 < count && bytes[i + 1] == UInt8(ascii: "\n"):
                i += 1   // the LF that follows ends the record
            case UInt8(ascii: "\n"):
                if recordHasContent || !field.isEmpty { try finishRecord() }
                else { fields.removeAll(); field.removeAll() }
                recordHasContent = false
                line += 1; recordLine = line; i += 1
            case UInt8(ascii: "\""):
                throw DataError.malformed(file: file, problem: "line \(line): double quote inside an unquoted field; expected the whole field in quotes with the quote doubled (RFC 4180)")
            default:
                field.append(byte); recordHasContent = true; i += 1
            }
        }
        if recordHasContent || !field.isEmpty { try finishRecord() }

        guard let header = records.first else {
            throw DataError.malformed(file: file, problem: "holds no records; expected a header line naming the columns")
        }
        if header.fields.allSatisfy({ Double($0.trimmingCharacters(in: .whitespaces)) != nil }) {
            throw DataError.malformed(file: file, problem: "line \(header.line): the first line holds only numbers (\(header.fields.prefix(4).joined(separator: ","))…); expected a header naming the columns")
        }
        var seen: Set<String> = []
        for name in header.fields where !name.isEmpty {
            guard seen.insert(name).inserted else {
                throw DataError.malformed(file: file, problem: "line \(header.line): column name '\(name)' appears twice in the header; expected unique column names")
            }
        }
        for record in records.dropFirst() where record.fields.count != header.fields.count {
            throw DataError.malformed(file: file, problem: "line \(record.line) has \(record.fields.count) field\(record.fields.count == 1 ? "" : "s"); expected \(header.fields.count), as many as the header")
        }
        return CSVTable(header: header.fields, rows: records.dropFirst().map(\.fields),
                        rowLines: records.dropFirst().map(\.line))
    }
}

extension CSVTable {
    /// The spellings of a missing value: empty, R's `NA`, and any NaN (`NaN`, `nan`).
    static func isMissing(_ trimmed: String) -> Bool {
        trimmed.isEmpty || trimmed == "NA" || (Double(trimmed)?.isNaN ?? false)
    }

    /// The typed value of a raw field: a finite number, a category, or missing. An infinite
    /// number is an error: no column of a sample table can use it.
    static func value(of raw: String, file: String, line: Int, column: String) throws -> TableValue {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        if isMissing(trimmed) { return .missing }
        if let number = Double(trimmed) {
            guard number.isFinite else {
                throw DataError.malformed(file: file, problem: "line \(line), column '\(column)': value '\(trimmed)' is infinite; expected a finite number or a missing value (empty, NA, NaN)")
            }
            return .number(number)
        }
        return .category(raw)
    }

    /// Every row converted to typed values (so a bad value anywhere in the file is reported).
    func typedRows(file: String) throws -> [[TableValue]] {
        try rows.enumerated().map { r, fields in
            try zip(header, fields).map { column, raw in
                try CSVTable.value(of: raw, file: file, line: rowLines[r], column: column)
            }
        }
    }
}

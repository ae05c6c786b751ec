import Foundation

/// One spectrum in a small CSV/text file. Accepted layouts (fields separated by commas, semicolons,
/// tabs or spaces; blank lines and lines starting with `#` are skipped):
///
/// - one row of values: `0.12, 0.13, …`
/// - two rows: wavelengths in nm (a bare number or with an `nm` suffix), then values
/// - one column of values, optionally under a one-word header (`reflectance`)
/// - two columns `wavelength, value`, optionally under a header line (`wavelength_nm,reflectance`)
///
/// A header row of band names (`b1,b2,…`) over one row of values is accepted and the names ignored.
public struct SpectrumCSV: Sendable, Equatable {
    public var values: [Float]
    /// Centre wavelengths in nm, or empty when the file has none.
    public var wavelengths: [Float]

    /// A spectrum has at most this many bands (hyperspectral sensors have a few hundred).
    public static let maxBands = 10_000
    static let maxBytes = 1 << 20

    public static func read(path: String, limits: LoadLimits) throws -> SpectrumCSV {
        var capped = limits
        capped.maxFileBytes = min(limits.maxFileBytes, maxBytes)
        let bytes = try BoundedFile.bytes(at: path, what: "a spectrum in CSV (one row or column of numbers)", limits: capped)
        return try parse(String(decoding: bytes, as: UTF8.self), file: path)
    }

    public static func parse(_ text: String, file: String) throws -> SpectrumCSV {
        let separators: Set<Character> = [",", ";", "\t", " "]
        let rows: [(line: Int, fields: [String])] = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .enumerated()
            .map { ($0.offset + 1, $0.element.trimmingCharacters(in: .whitespaces)) }
            .filter { !$0.1.isEmpty && !$0.1.hasPrefix("#") }
            .map { ($0.0, $0.1.split(whereSeparator: { separators.contains($0) }).map(String.init)) }
        guard !rows.isEmpty else {
            throw DataError.malformed(file: file, problem: "no numbers found; expected one row or one column of spectrum values")
        }
        guard rows.count <= maxBands + 1 else {
            throw DataError.malformed(file: file, problem: "\(rows.count) lines; expected at most \(maxBands) bands")
        }
        let width = rows[0].fields.count
        if rows.count <= 2 && width >= 2 && rows.allSatisfy({ $0.fields.count == width }) && !(rows.count == 2 && width == 2 && rows.allSatisfy { numeric($0.fields) }) {
            // Row layout.
            let values = try numbers(rows.last!.fields, line: rows.last!.line, file: file)
            var wavelengths: [Float] = []
            if rows.count == 2 {
                if numeric(rows[0].fields.map(stripUnit)) {
                    wavelengths = try numbers(rows[0].fields.map(stripUnit), line: rows[0].line, file: file)
                    try checkWavelengths(wavelengths, file: file)
                }
            }
            return try make(values, wavelengths, file: file)
        }
        // Column layout: skip one non-numeric header line.
        var body = rows
        if !numeric(body[0].fields.map(stripUnit)) { body.removeFirst() }
        guard !body.isEmpty else {
            throw DataError.malformed(file: file, problem: "only a header line; expected spectrum values below it")
        }
        let columns = body[0].fields.count
        guard columns == 1 || columns == 2 else {
            throw DataError.malformed(file: file, problem: "line \(body[0].line) has \(columns) fields; expected one row of values, or one column (value) or two columns (wavelength, value)")
        }
        var values: [Float] = [], wavelengths: [Float] = []
        for row in body {
            guard row.fields.count == columns else {
                throw DataError.malformed(file: file, problem: "line \(row.line) has \(row.fields.count) fields; expected \(columns) like the lines above")
            }
            let parsed = try numbers(row.fields.map(stripUnit), line: row.line, file: file)
            if columns == 2 { wavelengths.append(parsed[0]) }
            values.append(parsed[columns - 1])
        }
        if columns == 2 { try checkWavelengths(wavelengths, file: file) }
        return try make(values, wavelengths, file: file)
    }

    private static func make(_ values: [Float], _ wavelengths: [Float], file: String) throws -> SpectrumCSV {
        guard values.count >= 2, values.count <= maxBands else {
            throw DataError.malformed(file: file, problem: "\(values.count) value(s); expected a spectrum of 2 to \(maxBands) bands")
        }
        return SpectrumCSV(values: values, wavelengths: wavelengths)
    }

    private static func stripUnit(_ field: String) -> String {
        field.lowercased().hasSuffix("nm") ? String(field.dropLast(2)) : field
    }

    private static func numeric(_ fields: [String]) -> Bool {
        fields.allSatisfy { Float($0) != nil }
    }

    private static func numbers(_ fields: [String], line: Int, file: String) throws -> [Float] {
        try fields.enumerated().map { k, field in
            guard let value = Float(field) else {
                throw DataError.malformed(file: file, problem: "line \(line), field \(k + 1) is '\(field.prefix(20))'; expected a number")
            }
            guard value.isFinite else {
                throw DataError.malformed(file: file, problem: "line \(line), field \(k + 1) is \(field); expected a finite number")
            }
            return value
        }
    }

    static func checkWavelengths(_ wavelengths: [Float], file: String) throws {
        guard let first = wavelengths.first, first > 0 else {
            throw DataError.malformed(file: file, problem: "wavelengths start at \(wavelengths.first ?? 0); expected positive wavelengths in nm")
        }
        for (a, b) in zip(wavelengths, wavelengths.dropFirst()) where b <= a {
            throw DataError.malformed(file: file, problem: "wavelength \(b) follows \(a); expected strictly increasing wavelengths in nm")
        }
    }
}

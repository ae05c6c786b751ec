/// Table samples: one row of a CSV file with a header (RFC 4180, see `CSVReader`).
///
/// Options:
/// - `row`: the 0-based data row (default 0; the header is not a row).
/// - `target`: the column holding the regression target or class; its value becomes the label
///   (a number → `.value`, text → `.className`; missing → no label).
/// - `unit`: the target's unit, for display ("ppb").
///
/// All columns are returned, the target included; the task configuration says which columns are
/// features, which of those are discrete, and which is the target.
public struct TableLoader: SampleLoader {
    public let modality = Modality.table
    public let fileExtensions = ["csv"]

    public init() {}

    public func load(path: String, options: [String: String], limits: LoadLimits) throws -> Sample {
        let options = try LoaderOptions(options, file: path, allowed: ["row", "target", "unit"])
        let text = try UTF8TextReader.read(path, limits: limits, expected: "a CSV table with a header")
        let table = try CSVReader.parse(text, file: path, maxRows: limits.maxRows)
        let rows = try table.typedRows(file: path)
        guard !rows.isEmpty else {
            throw DataError.malformed(file: path, problem: "has a header but no data rows; expected at least one row")
        }
        let rowIndex = try options.integer("row", default: 0, in: 0...Int.max)!
        guard rowIndex < rows.count else {
            throw DataError.invalidArgument("\(path): option row=\(rowIndex) is past the end; the table has \(rows.count) data rows (0...\(rows.count - 1))")
        }
        let values = rows[rowIndex]
        var label: SampleLabel?
        if let target = options.string("target") {
            guard let column = table.header.firstIndex(of: target) else {
                throw DataError.invalidArgument("\(path): option target=\(target) names no column; the columns are " + table.header.map { "'\($0)'" }.joined(separator: ", "))
            }
            switch values[column] {
            case .number(let x): label = .value(x, unit: options.string("unit") ?? "")
            case .category(let name): label = .className(name)
            case .missing: label = nil
            }
        }
        return Sample(modality: .table, path: path, content: .tableRow(columns: table.header, values: values), label: label)
    }
}

#if ALLSPARK_FUZZ
@testable import AllSparkData

extension FuzzTarget {
    /// The table reader (quoted fields, missing values, typed columns).
    static let csv = FuzzTarget(name: "csv", maxLength: 8192) { bytes in
        let text = try UTF8TextReader.decode(bytes, file: "fuzz.csv", expected: "a CSV table")
        _ = try CSVReader.parse(text, file: "fuzz.csv", maxRows: limits.maxRows)
    }
}
#endif

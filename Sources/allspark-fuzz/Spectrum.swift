#if ALLSPARK_FUZZ
import AllSparkData

extension FuzzTarget {
    /// A hyperspectral pixel's spectrum as CSV (one row or column of numbers, optional wavelengths).
    static let spectrum = FuzzTarget(name: "spectrum", maxLength: 8192) { bytes in
        _ = try SpectrumCSV.parse(String(decoding: bytes, as: UTF8.self), file: "fuzz.csv")
    }
}
#endif

#if ALLSPARK_FUZZ
@testable import AllSparkData

extension FuzzTarget {
    /// LAS 1.2–1.4, point formats 0–10: the header checked against the input's size, then every point.
    static let las = FuzzTarget(name: "las", maxLength: 8192) { bytes in
        _ = try LASReader.parse(bytes, file: "fuzz.las", limits: limits)
    }
}
#endif

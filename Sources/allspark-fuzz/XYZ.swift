#if ALLSPARK_FUZZ
@testable import AllSparkData

extension FuzzTarget {
    /// Point-cloud text: x y z [nx ny nz] per line.
    static let xyz = FuzzTarget(name: "xyz", maxLength: 8192) { bytes in
        let text = try UTF8TextReader.decode(bytes, file: "fuzz.xyz", expected: "point-cloud text")
        _ = try XYZReader.parse(text, file: "fuzz.xyz", limits: limits)
    }
}
#endif

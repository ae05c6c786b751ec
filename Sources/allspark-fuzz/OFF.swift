#if ALLSPARK_FUZZ
@testable import AllSparkData

extension FuzzTarget {
    /// OFF meshes (OFF, COFF, NOFF, CNOFF), decoded as UTF-8 text first as the loader does.
    static let off = FuzzTarget(name: "off", maxLength: 8192) { bytes in
        let text = try UTF8TextReader.decode(bytes, file: "fuzz.off", expected: "an OFF mesh")
        _ = try OFFReader.parse(text, file: "fuzz.off", limits: limits)
    }
}
#endif

#if ALLSPARK_FUZZ
@testable import AllSparkData

extension FuzzTarget {
    /// PLY, ascii and binary little-endian (the header says which; the corpus has both).
    static let ply = FuzzTarget(name: "ply", maxLength: 16 << 10) { bytes in
        _ = try PLYReader.parse(bytes, file: "fuzz.ply", limits: limits)
    }
}
#endif

#if ALLSPARK_FUZZ
import SparkFormats

extension FuzzTarget {
    /// NPZ: the zip archive (stored and deflated members) and an NPY per member.
    static let npz = FuzzTarget(name: "npz", maxLength: 16 << 10) { bytes in
        _ = try NPZ.decode(bytes, name: "fuzz.npz", maxElements: limits.maxElements)
    }
}
#endif

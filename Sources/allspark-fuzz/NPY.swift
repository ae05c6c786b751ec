#if ALLSPARK_FUZZ
import SparkFormats

extension FuzzTarget {
    /// NPY: magic, version, header length, the Python-literal header, the data.
    static let npy = FuzzTarget(name: "npy", maxLength: 8192) { bytes in
        _ = try NPY.decode(bytes, name: "fuzz.npy", maxElements: limits.maxElements)
    }
}
#endif

#if ALLSPARK_FUZZ
import AllSparkData

extension FuzzTarget {
    /// PNG through libpng with the reader's own size checks.
    static let png = FuzzTarget(name: "png", maxLength: 16 << 10) { bytes in
        _ = try PNGCodec.decode(bytes, file: "fuzz.png", limits: limits)
    }
}
#endif

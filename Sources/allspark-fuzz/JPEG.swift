#if ALLSPARK_FUZZ
import AllSparkData

extension FuzzTarget {
    /// JPEG through libjpeg and the longjmp error shim (CJPEGShim).
    static let jpeg = FuzzTarget(name: "jpeg", maxLength: 16 << 10) { bytes in
        _ = try JPEGCodec.decode(bytes, file: "fuzz.jpg", limits: limits)
    }
}
#endif

#if ALLSPARK_FUZZ
import AllSparkData

extension FuzzTarget {
    /// YUV4MPEG2: the header line, FRAME lines and planes, then the conversion to RGB values.
    static let y4m = FuzzTarget(name: "y4m", maxLength: 16 << 10) { bytes in
        let video = try Y4MReader.read(path: FuzzFile.write(bytes, extension: "y4m"), limits: limits)
        _ = YUVConversion.tensor(video)
    }
}
#endif

#if ALLSPARK_FUZZ
import AllSparkData

extension FuzzTarget {
    /// A video file through FFmpeg (the video loader: the allowed demuxers MP4/MOV, AVI, Matroska
    /// probe the bytes whatever the name; decoder, seeks, conversion, frame plan). FFmpeg itself is
    /// not instrumented; this searches our wrapper and what FFmpeg hands back to it.
    static let video = FuzzTarget(name: "video", maxLength: 16 << 10) { bytes in
        _ = try VideoLoader().load(path: FuzzFile.write(bytes, extension: "mp4"), options: [:], limits: limits)
    }
}
#endif

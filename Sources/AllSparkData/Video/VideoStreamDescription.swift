import CFFmpeg
import Foundation

/// What a video file is, as FFmpeg's demuxer and decoder see it; shown in the sample stage.
public struct VideoStreamDescription: Sendable, Equatable {
    /// The demuxer's long name ("QuickTime / MOV", "AVI (Audio Video Interleaved)", "Matroska / WebM").
    public var container: String
    /// The codec's short name ("h264", "mjpeg", "vp9").
    public var codec: String
    public var width: Int
    public var height: Int
    /// The decoder's pixel format before conversion ("yuv420p", "yuvj420p").
    public var pixelFormat: String
    /// The stream's average frame rate, nil when the file does not say.
    public var framesPerSecond: Double?
    /// The clip's length in seconds, nil when the file does not say.
    public var durationSeconds: Double?

    init(container: UnsafeMutablePointer<AVFormatContext>, stream: UnsafeMutablePointer<AVStream>, duration: Double?) {
        let parameters = stream.pointee.codecpar.pointee
        let demuxer = container.pointee.iformat.pointee
        self.container = String(cString: demuxer.long_name ?? demuxer.name)
        self.codec = String(cString: avcodec_get_name(parameters.codec_id))
        self.width = Int(parameters.width)
        self.height = Int(parameters.height)
        self.pixelFormat = av_get_pix_fmt_name(AVPixelFormat(rawValue: parameters.format)).map { String(cString: $0) } ?? "unknown"
        self.framesPerSecond = Self.rate(stream.pointee.avg_frame_rate) ?? Self.rate(stream.pointee.r_frame_rate)
        self.durationSeconds = duration
    }

    static func rate(_ value: AVRational) -> Double? {
        value.num > 0 && value.den > 0 ? Double(value.num) / Double(value.den) : nil
    }

    /// "QuickTime / MOV, h264 yuv420p, 32 × 24, 10 fps, 1.00 s".
    public var summary: String {
        var parts = [container, "\(codec) \(pixelFormat)", "\(width) × \(height)"]
        parts.append(framesPerSecond.map { String(format: "%.4g fps", $0) } ?? "frame rate unknown")
        parts.append(durationSeconds.map { String(format: "%.2f s", $0) } ?? "duration unknown")
        return parts.joined(separator: ", ")
    }
}

import CFFmpeg
import CFFmpegShim
import Foundation
import SparkEngine

/// Frames of a video file as `VideoFramePlan` asks, and where in the clip they were taken.
public struct DecodedVideo: Sendable {
    /// `[frames, 3, height, width]`, RGB in [0, 1].
    public var frames: Tensor
    public var stream: VideoStreamDescription
    /// Each frame's presentation time, in seconds from the start of the clip.
    public var frameTimes: [Double]
    /// The rate of the returned sequence: frames ÷ duration (uniform) or the plan's rate (stride).
    public var framesPerSecond: Double
    /// How the frames were chosen, and anything the decoder skipped, for the sample stage.
    public var notes: String
}

/// Video files through FFmpeg's libraries: `avformat_open_input` → `avformat_find_stream_info` →
/// the best video stream → its decoder → frames at the planned times (`FFmpegFrameCursor`) →
/// swscale to RGB (`FFmpegRGBConverter`). Sizes are checked against `LoadLimits` before the
/// decoder opens; every FFmpeg object is freed by a `defer` in `read`, on every path.
public enum FFmpegVideoReader {
    public static let fileExtensions = ["mp4", "avi", "mkv", "webm", "mov"]
    static let expectation = "an MP4, AVI, MKV, WebM or MOV file with a video stream"
    /// FFmpeg probes a file's content, not its name, and some of its demuxers fetch what a file
    /// names (an HLS playlist saved as .mp4 would make it open URLs): only these three demuxers
    /// may open a sample, and only the file protocol (MP4's external data references are off by
    /// default).
    static let allowedDemuxers = "mov,avi,matroska"

    public static func read(path: String, plan: VideoFramePlan, limits: LoadLimits) throws -> DecodedVideo {
        let fileSize = try BoundedFile.size(of: path, what: expectation)
        guard fileSize > 0 else {
            throw DataError.malformed(file: path, problem: "the file is empty; expected \(expectation)")
        }
        guard fileSize <= limits.maxFileBytes else {
            throw DataError.unreadable(file: path, problem: "the file has \(fileSize) bytes, more than the allowed \(limits.maxFileBytes); expected \(expectation) within that limit")
        }
        FFmpegMessages.beginFile()

        var container: UnsafeMutablePointer<AVFormatContext>?
        var openOptions: OpaquePointer?  // AVDictionary
        defer { av_dict_free(&openOptions) }
        av_dict_set(&openOptions, "protocol_whitelist", "file", 0)
        av_dict_set(&openOptions, "format_whitelist", allowedDemuxers, 0)
        // "file:": a path FFmpeg would otherwise read as a URL ("http://…", "concat:a|b") is a file.
        let opened = avformat_open_input(&container, "file:" + path, nil, &openOptions)
        guard opened >= 0, let format = container else {  // on failure FFmpeg frees the context itself
            throw FFmpegMessages.failure(path, while: "to open the file as a video container", code: opened, expected: expectation)
        }
        defer { avformat_close_input(&container) }
        // The probe decodes a few pictures with decoders of its own: they get the pixel limit too.
        var probeOptions = [OpaquePointer?](repeating: nil, count: max(1, Int(format.pointee.nb_streams)))
        defer { for i in probeOptions.indices { av_dict_free(&probeOptions[i]) } }
        for i in probeOptions.indices {
            av_dict_set(&probeOptions[i], "max_pixels", "\(limits.maxPixels)", 0)
            av_dict_set(&probeOptions[i], "threads", "1", 0)
        }
        let probed = probeOptions.withUnsafeMutableBufferPointer { avformat_find_stream_info(format, $0.baseAddress) }
        guard probed >= 0 else {
            throw FFmpegMessages.failure(path, while: "to read the streams' parameters", code: probed, expected: expectation)
        }

        var decoder: UnsafePointer<AVCodec>?
        let index = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0)
        guard index >= 0, let decoder else { throw noVideo(path, format, code: index) }
        let stream = format.pointee.streams[Int(index)]!
        if stream.pointee.disposition & AV_DISPOSITION_ATTACHED_PIC != 0 {
            throw DataError.malformed(file: path, problem: "its only video stream is an attached picture (cover art); expected \(expectation)")
        }
        for other in 0..<Int(format.pointee.nb_streams) where other != Int(index) {
            format.pointee.streams[other]!.pointee.discard = AVDISCARD_ALL  // demux only the video
        }
        let timing = try StreamTiming(format: format, stream: stream, file: path)
        let description = VideoStreamDescription(container: format, stream: stream, duration: timing.durationSeconds)
        try checkLimits(description, plan: plan, path: path, limits: limits)

        var codec = avcodec_alloc_context3(decoder)
        defer { avcodec_free_context(&codec) }
        guard let codec else { throw DataError.unreadable(file: path, problem: "FFmpeg could not allocate a decoder; expected memory for one") }
        let copied = avcodec_parameters_to_context(codec, stream.pointee.codecpar)
        guard copied >= 0 else {
            throw FFmpegMessages.failure(path, while: "to configure the \(description.codec) decoder", code: copied, expected: expectation)
        }
        // One thread: the log capture is per thread, and a sample is a few frames.
        codec.pointee.thread_count = 1
        // The decoder refuses pictures above the limit before allocating them, whatever the container said.
        codec.pointee.max_pixels = Int64(limits.maxPixels)
        codec.pointee.pkt_timebase = stream.pointee.time_base
        let decoderOpened = avcodec_open2(codec, decoder, nil)
        guard decoderOpened >= 0 else {
            throw FFmpegMessages.failure(path, while: "to open the \(description.codec) decoder", code: decoderOpened, expected: expectation)
        }

        var packet = av_packet_alloc()
        defer { av_packet_free(&packet) }
        var held = av_frame_alloc()
        defer { av_frame_free(&held) }
        var lookahead = av_frame_alloc()
        defer { av_frame_free(&lookahead) }
        guard let packet, let held, let lookahead else {
            throw DataError.unreadable(file: path, problem: "FFmpeg could not allocate a packet or frame; expected memory for them")
        }
        var converter = FFmpegRGBConverter(width: description.width, height: description.height)
        defer { converter.release() }
        var cursor = FFmpegFrameCursor(file: path, format: format, stream: stream, codec: codec, packet: packet,
                                       held: held, lookahead: lookahead,
                                       firstTick: timing.firstTick, frameTicks: timing.frameTicks(description.framesPerSecond))
        return try FFmpegPlanReading(path: path, plan: plan, timing: timing, description: description,
                                     truncation: truncationEvidence(stream, fileSize: fileSize))
            .run(cursor: &cursor, converter: &converter)
    }

    /// Width × height and frames × 3 × width × height against the limits, before a frame is decoded.
    static func checkLimits(_ stream: VideoStreamDescription, plan: VideoFramePlan, path: String, limits: LoadLimits) throws {
        guard stream.width > 0, stream.height > 0 else {
            throw DataError.malformed(file: path, problem: "the video stream declares a frame size of \(stream.width) × \(stream.height); expected a positive width and height")
        }
        let pixels = try CheckedArithmetic.product([stream.width, stream.height], file: path, field: "frame size W × H")
        guard pixels <= limits.maxPixels else {
            throw DataError.malformed(file: path, problem: "frames are \(stream.width) × \(stream.height) pixels; expected at most \(limits.maxPixels) pixels per frame")
        }
        guard plan.count <= limits.maxFrames else {
            throw DataError.invalidArgument("\(path): \(plan.count) frames asked for; at most \(limits.maxFrames) are read from a video")
        }
        let values = try CheckedArithmetic.product([plan.count, 3, stream.width, stream.height], file: path, field: "decoded video (frames × 3 × height × width)")
        guard values <= limits.maxElements else {
            throw DataError.malformed(file: path, problem: "\(plan.count) frames of \(stream.width) × \(stream.height) would decode to \(values) values, more than the allowed \(limits.maxElements); expected fewer frames (option frames) or a smaller video")
        }
    }

    /// "the file has 1672 bytes, but its index places frames up to byte 2230" when the demuxer's
    /// index (MP4's moov, AVI's idx1, Matroska's cues) points past the end of the file: the
    /// surest sign of a file cut short, which decoding alone shows only as missing frames.
    static func truncationEvidence(_ stream: UnsafeMutablePointer<AVStream>, fileSize: Int) -> String? {
        var end: Int64 = 0
        for i in 0..<avformat_index_get_entries_count(stream) {
            guard let entry = avformat_index_get_entry(stream, i) else { continue }
            end = max(end, entry.pointee.pos + Int64(entry.pointee.size))
        }
        return end > Int64(fileSize) ? "the file has \(fileSize) bytes, but its index places frames up to byte \(end)" : nil
    }

    /// The error for a file without a usable video stream, naming the streams it does have.
    static func noVideo(_ path: String, _ format: UnsafeMutablePointer<AVFormatContext>, code: Int32) -> DataError {
        let streams = (0..<Int(format.pointee.nb_streams)).map { i -> String in
            let parameters = format.pointee.streams[i]!.pointee.codecpar.pointee
            let kind = av_get_media_type_string(parameters.codec_type).map { String(cString: $0) } ?? "unknown"
            return "\(kind) \(String(cString: avcodec_get_name(parameters.codec_id)))"
        }
        let has = streams.isEmpty ? "no streams" : "streams: " + streams.joined(separator: ", ")
        if code == allspark_averror_decoder_not_found() {
            return .malformed(file: path, problem: "this FFmpeg build has no decoder for its video stream (\(has)); expected a codec FFmpeg decodes")
        }
        return .malformed(file: path, problem: "the file has no video stream (\(has)); expected \(expectation)")
    }
}

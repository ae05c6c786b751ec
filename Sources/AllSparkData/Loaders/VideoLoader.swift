/// video → `.video([frames, 3, H, W], framesPerSecond)` in [0, 1], from two kinds of file:
///
/// - Y4M (`Y4MReader`, BT.601, see `YUVConversion`). Options: `start` (first frame, default 0)
///   and `maxFrames` (at most this many frames, default all up to `LoadLimits.maxFrames`).
/// - MP4, AVI, MKV, WebM, MOV through FFmpeg's libraries (`FFmpegVideoReader`). A compressed
///   file is not decoded whole: `frames` frames (default 16) spread uniformly over the clip, or
///   with `start=SECONDS` and/or `fps=F` that many from `start` on, F per second (default the
///   file's rate). The sample's `conversion` note names container, codec, size, frame rate,
///   duration and the times of the frames taken.
///
/// Sampling to the model's T frames is preprocessing (`FrameSampling`), not loading.
public struct VideoLoader: SampleLoader {
    public init() {}
    public var modality: Modality { .video }
    public var fileExtensions: [String] { ["y4m"] + FFmpegVideoReader.fileExtensions }

    public func load(path: String, options: [String: String], limits: LoadLimits) throws -> Sample {
        if path.lowercased().hasSuffix(".y4m") {
            return try loadY4M(path: path, options: options, limits: limits)
        }
        let parsed = try LoaderOptions(options, file: path, allowed: VideoFramePlan.optionKeys)
        let video = try FFmpegVideoReader.read(path: path, plan: VideoFramePlan(parsed, limits: limits), limits: limits)
        return Sample(modality: .video, path: path, content: .video(video.frames, framesPerSecond: video.framesPerSecond),
                      conversion: video.notes)
    }

    private func loadY4M(path: String, options: [String: String], limits: LoadLimits) throws -> Sample {
        let parsed = try LoaderOptions(options, file: path, allowed: ["start", "maxFrames"])
        let start = try parsed.integer("start", default: 0, in: 0...Int.max) ?? 0
        let maxFrames = try parsed.integer("maxFrames", in: 1...Int.max)
        let video = try Y4MReader.read(path: path, start: start, maxFrames: maxFrames, limits: limits)
        return Sample(modality: .video, path: path,
                      content: .video(YUVConversion.tensor(video), framesPerSecond: video.header.framesPerSecond))
    }
}

/// video: a Y4M file → `.video([frames, 3, H, W], framesPerSecond)` in [0, 1] (BT.601, see
/// `YUVConversion`). Options: `start` (first frame, default 0) and `maxFrames` (at most this many
/// frames, default all up to `LoadLimits.maxFrames`). Frame sampling to the model's T frames is
/// preprocessing (`FrameSampling`), not loading.
public struct VideoLoader: SampleLoader {
    public init() {}
    public var modality: Modality { .video }
    public var fileExtensions: [String] { ["y4m"] }

    public func load(path: String, options: [String: String], limits: LoadLimits) throws -> Sample {
        let parsed = try LoaderOptions(options, file: path, allowed: ["start", "maxFrames"])
        let start = try parsed.integer("start", default: 0, in: 0...Int.max) ?? 0
        let maxFrames = try parsed.integer("maxFrames", in: 1...Int.max)
        let video = try Y4MReader.read(path: path, start: start, maxFrames: maxFrames, limits: limits)
        return Sample(modality: .video, path: path,
                      content: .video(YUVConversion.tensor(video), framesPerSecond: video.header.framesPerSecond))
    }
}

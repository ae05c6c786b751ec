/// video: a Y4M file → `.video([frames, 3, H, W], framesPerSecond)` in [0, 1] (BT.601, see
/// `YUVConversion`). Options: `start` (first frame, default 0) and `maxFrames` (at most this many
/// frames, default all up to `LoadLimits.maxFrames`). Frame sampling to the model's T frames is
/// preprocessing (`FrameSampling`), not loading.
public struct VideoLoader: SampleLoader {
    public init() {}
    public var modality: Modality { .video }
    public var fileExtensions: [String] { ["y4m"] }

    public func load(path: String, options: [String: String], limits: LoadLimits) throws -> Sample {
        let parsed = try LoaderOptions(options, path: path, known: ["start", "maxFrames"])
        let start = try parsed.integer("start") ?? 0
        let maxFrames = try parsed.integer("maxFrames")
        if maxFrames == 0 {
            throw DataError.invalidArgument("\(path): sample option maxFrames=0; expected at least 1 frame")
        }
        let video = try Y4MReader.read(path: path, start: start, maxFrames: maxFrames, limits: limits)
        return Sample(modality: .video, path: path,
                      content: .video(YUVConversion.tensor(video), framesPerSecond: video.header.framesPerSecond))
    }
}

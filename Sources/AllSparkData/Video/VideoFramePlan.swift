import Foundation

/// Which frames of a video file to decode, in the clip's own time. A video file is not read
/// whole: the reader seeks to each planned time and decodes forward from the keyframe before it.
public enum VideoFramePlan: Sendable, Equatable {
    /// `count` frames spread over the clip, the k-th at the centre of the k-th of `count` equal
    /// segments, t_k = (k + ½) · duration / count: the same choice `FrameSampling.uniformIndices`
    /// makes by index, so a clip read this way and then sampled to `count` frames is unchanged.
    case uniform(count: Int)
    /// Up to `count` frames from `start` seconds on, 1 / `framesPerSecond` apart (nil: the file's
    /// own frame rate); fewer when the clip ends first.
    case stride(start: Double, framesPerSecond: Double?, count: Int)

    /// Frames taken when the options do not say: what the trained video encoder reads
    /// (configs/allspark-trained.json, `video.input.frames`). The loader cannot see the
    /// configuration; an encoder that wants another T samples its own from these.
    public static let defaultCount = 16
    /// The option keys this plan is read from.
    static let optionKeys = ["frames", "start", "fps"]

    /// The plan of a sample reference's options: `frames=N` (default 16), and `start=SECONDS`
    /// and/or `fps=F` for frames from a time at a rate instead of spread over the clip.
    init(_ options: LoaderOptions, limits: LoadLimits) throws {
        let count = try options.integer("frames", default: Self.defaultCount, in: 1...limits.maxFrames) ?? Self.defaultCount
        guard options.string("start") != nil || options.string("fps") != nil else {
            self = .uniform(count: count)
            return
        }
        let start = try options.number("start", default: 0, in: 0...1e9)
        let rate = options.string("fps") == nil ? nil : try options.number("fps", default: 1, in: 0.001...1000)
        self = .stride(start: start, framesPerSecond: rate, count: count)
    }

    public var count: Int {
        switch self {
        case .uniform(let count), .stride(_, _, let count): return count
        }
    }

    /// The uniform plan's target times in stream ticks, computed exactly in integers so that a
    /// target that falls on a frame's timestamp is not missed by a rounding error:
    /// first + ⌊(2k + 1) · duration / (2 · count)⌋.
    static func uniformTargets(count: Int, firstTick: Int64, durationTicks: Int64) -> [Int64] {
        (0..<count).map { k in
            let (numerator, overflow) = Int64(2 * k + 1).multipliedReportingOverflow(by: durationTicks)
            let offset = overflow ? Int64((Double(2 * k + 1) * Double(durationTicks) / Double(2 * count)).rounded(.down))
                                  : numerator / Int64(2 * count)
            return firstTick + offset
        }
    }

    /// The stride plan's k-th target in stream ticks (`ticksPerSecond` = 1 / time base). A
    /// millionth of a tick is added before rounding down, so 0.7 s × 10 ticks/s lands on tick 7,
    /// not on 6.999….
    static func strideTarget(_ k: Int, start: Double, framesPerSecond: Double, firstTick: Int64, ticksPerSecond: Double) -> Int64 {
        let seconds = start + Double(k) / framesPerSecond
        return firstTick + StreamTiming.clamp((seconds * ticksPerSecond + 1e-6).rounded(.down))
    }
}

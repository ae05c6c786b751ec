import CFFmpeg
import Foundation
import SparkEngine

/// Carries out a `VideoFramePlan` on an opened stream: the target times, one frame per target
/// from the cursor, the end-of-clip and truncation checks, and the sample stage's notes.
struct FFmpegPlanReading {
    let path: String
    let plan: VideoFramePlan
    let timing: StreamTiming
    let description: VideoStreamDescription
    /// Evidence that the file was cut short (`FFmpegVideoReader.truncationEvidence`), nil if none.
    let truncation: String?

    /// The frames taken so far. The values are allocated once for the whole plan (checked
    /// against the limits before decoding) and cut to the frames taken at the end.
    private struct Taken {
        let frameSize: Int
        let capacity: Int
        var values: [Float]
        var ticks: [Int64] = []

        init(frames: Int, frameSize: Int) {
            self.frameSize = frameSize
            capacity = frames
            values = [Float](repeating: 0, count: frames * frameSize)
        }

        mutating func add(_ frame: UnsafeMutablePointer<AVFrame>, at tick: Int64, converter: inout FFmpegRGBConverter, file: String) throws {
            precondition(ticks.count < capacity, "more frames taken than planned")
            let offset = ticks.count * frameSize
            try values.withUnsafeMutableBufferPointer { try converter.convert(frame, into: $0.baseAddress! + offset, file: file) }
            ticks.append(tick)
        }

        mutating func finish() -> [Float] {
            values.removeLast((capacity - ticks.count) * frameSize)
            return values
        }
    }

    private var frameSize: Int { 3 * description.width * description.height }

    func run(cursor: inout FFmpegFrameCursor, converter: inout FFmpegRGBConverter) throws -> DecodedVideo {
        var taken = Taken(frames: plan.count, frameSize: frameSize)
        let rate: Double
        var how: String
        switch plan {
        case .uniform(let count):
            if let duration = timing.durationTicks {
                var span = duration
                how = "\(Self.frames(count)) spread uniformly over the clip"
                if let lastTick = try takeUniform(count: count, span: span, cursor: &cursor, converter: &converter, into: &taken) {
                    // The stream ended well before the container's duration with no sign of a cut
                    // (a longer audio track sets a Matroska file's duration): spread over the video.
                    span = max(cursor.frameTicks, lastTick - timing.firstTick + cursor.frameTicks)
                    taken = Taken(frames: count, frameSize: frameSize)
                    how += String(format: " (the container says %.2f s; its video ends at %.2f s)",
                                  timing.durationSeconds ?? 0, timing.seconds(lastTick))
                    _ = try takeUniform(count: count, span: span, cursor: &cursor, converter: &converter, into: &taken)
                }
                rate = Double(count) / (Double(span) / timing.ticksPerSecond)
            } else {
                // Without a duration there is nothing to spread over: the first frames, at the file's rate.
                rate = try nativeRate()
                how = "the clip's length is unknown: the first \(Self.frames(count))"
                try takeStride(count: count, start: 0, rate: rate, cursor: &cursor, converter: &converter, into: &taken)
            }
        case .stride(let start, let requested, let count):
            rate = try requested ?? nativeRate()
            if let length = timing.durationSeconds, start >= length {
                throw pastEnd(start: start, lastFrame: nil)
            }
            try takeStride(count: count, start: start, rate: rate, cursor: &cursor, converter: &converter, into: &taken)
            how = Self.frames(taken.ticks.count) + String(format: " from %.3g s at %.4g fps", start, rate)
            if taken.ticks.count < count { how += " (the clip ends; \(count) asked for)" }
        }

        let times = taken.ticks.map(timing.seconds)
        var notes = "\(description.summary); \(how), at \(Self.list(times)) s; swscale bicubic to RGB24 ÷ 255"
            + "; decoded \(Self.frames(cursor.decodedFrames)) with \(cursor.seeks) seek\(cursor.seeks == 1 ? "" : "s")"
        if converter.rescaledFrames > 0 { notes += "; \(converter.rescaledFrames) frames of another size scaled to \(description.width) × \(description.height)" }
        if cursor.rejected > 0 { notes += "; the decoder rejected \(Self.packets(cursor.rejected)) (first: \(cursor.firstRejection ?? ""))" }
        let frames = Tensor(shape: [taken.ticks.count, 3, description.height, description.width], scalars: taken.finish())
        return DecodedVideo(frames: frames, stream: description, frameTimes: times, framesPerSecond: rate, notes: notes)
    }

    /// Takes `count` frames at the centres of `count` equal segments of `span` ticks. Returns the
    /// last frame's tick instead when the stream ends more than two frames before a target
    /// with no sign of a cut; throws when a read error or the index shows the file was cut short.
    private func takeUniform(count: Int, span: Int64, cursor: inout FFmpegFrameCursor,
                             converter: inout FFmpegRGBConverter, into taken: inout Taken) throws -> Int64? {
        for target in VideoFramePlan.uniformTargets(count: count, firstTick: timing.firstTick, durationTicks: span) {
            guard let (frame, tick) = try cursor.frame(at: target) else { throw noFrames(cursor, at: target) }
            if cursor.reachedEnd && target - tick > 2 * cursor.frameTicks {
                let evidence = [truncation, cursor.readFailure.map { "reading failed: \($0)" }].compactMap { $0 }
                if !evidence.isEmpty {
                    throw DataError.malformed(file: path, problem: "the video stops at \(Self.seconds(timing.seconds(tick))) s, but the file says the clip lasts \(Self.seconds(timing.durationSeconds ?? 0)) s; \(evidence.joined(separator: "; ")); expected frames up to \(Self.seconds(timing.seconds(target))) s (is the file truncated?)")
                }
                return tick
            }
            try taken.add(frame, at: tick, converter: &converter, file: path)
        }
        return nil
    }

    /// Takes up to `count` frames from `start` seconds on, `rate` per second, until the clip ends.
    private func takeStride(count: Int, start: Double, rate: Double, cursor: inout FFmpegFrameCursor,
                            converter: inout FFmpegRGBConverter, into taken: inout Taken) throws {
        var lastFrame: Int64?
        for k in 0..<count {
            let target = VideoFramePlan.strideTarget(k, start: start, framesPerSecond: rate,
                                                     firstTick: timing.firstTick, ticksPerSecond: timing.ticksPerSecond)
            if let length = timing.durationTicks, target >= timing.firstTick + length { break }
            guard let (frame, tick) = try cursor.frame(at: target) else { throw noFrames(cursor, at: target) }
            lastFrame = tick
            if cursor.reachedEnd && target - tick > cursor.frameTicks { break }
            try taken.add(frame, at: tick, converter: &converter, file: path)
        }
        if taken.ticks.isEmpty { throw pastEnd(start: start, lastFrame: lastFrame) }
    }

    private func nativeRate() throws -> Double {
        guard let rate = description.framesPerSecond else {
            throw DataError.invalidArgument("\(path): the file does not say its frame rate; give one with the option fps=F")
        }
        return rate
    }

    private func pastEnd(start: Double, lastFrame: Int64?) -> DataError {
        let length = timing.durationSeconds.map { "the clip lasts \(Self.seconds($0)) s" }
            ?? lastFrame.map { "its last frame is at \(Self.seconds(timing.seconds($0))) s" } ?? "the clip is shorter"
        return .invalidArgument("\(path): start=\(start) s is past the end of the video (\(length)); expected a start within the clip")
    }

    /// Nothing decodable from the keyframe before `target` on: no frame at all, or (after a seek
    /// past the frames decoded so far) none from there to the end of the file.
    private func noFrames(_ cursor: FFmpegFrameCursor, at target: Int64) -> DataError {
        var why: [String] = []
        if let rejection = cursor.firstRejection { why.append("the decoder rejected \(Self.packets(cursor.rejected)), first: \(rejection)") }
        if let failure = cursor.readFailure { why.append("reading failed: \(failure)") }
        if let truncation { why.append(truncation + "; is the file truncated?") }
        let reason = why.isEmpty ? "" : " (" + why.joined(separator: "; ") + ")"
        let what = cursor.decodedFrames == 0 ? "no frame of the \(description.codec) stream could be decoded"
            : "no frame of the \(description.codec) stream could be decoded near \(Self.seconds(timing.seconds(target))) s, though earlier ones were"
        return .malformed(file: path, problem: "\(what)\(reason); expected a decodable video stream")
    }

    /// "0.05, 0.15, 0.25" — long lists keep their first eight and last two times.
    static func list(_ times: [Double]) -> String {
        let shown = times.count <= 12 ? times : Array(times.prefix(8)) + Array(times.suffix(2))
        var parts = shown.map(seconds)
        if times.count > 12 { parts.insert("…", at: 8) }
        return parts.joined(separator: ", ")
    }

    static func seconds(_ value: Double) -> String { String(format: "%.2f", value) }
    static func frames(_ count: Int) -> String { count == 1 ? "1 frame" : "\(count) frames" }
    static func packets(_ count: Int) -> String { count == 1 ? "1 packet" : "\(count) packets" }
}

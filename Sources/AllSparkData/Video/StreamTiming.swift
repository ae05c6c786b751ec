import CFFmpeg

/// A video stream's clock: its time base, first timestamp and length, in the stream's ticks.
///
/// Every tick read from a file (start, duration, frame and index timestamps) is clamped to
/// ±2⁶⁰ (`clamp`), so sums and differences of a few of them cannot overflow `Int64`: a file
/// that claims a timestamp near 2⁶³ gets wrong times, not a trap.
struct StreamTiming {
    let timeBase: AVRational
    /// The stream's first presentation timestamp (0 when the file does not say).
    let firstTick: Int64
    /// The stream's length; the container's when the stream does not say (Matroska); nil when
    /// neither does.
    let durationTicks: Int64?

    static let tickLimit: Int64 = 1 << 60

    static func clamp(_ tick: Int64) -> Int64 { min(max(tick, -tickLimit), tickLimit) }

    /// A Double number of ticks as an Int64 tick, clamped the same way (and 0 for NaN).
    static func clamp(_ ticks: Double) -> Int64 {
        guard !ticks.isNaN else { return 0 }
        return Int64(min(max(ticks, -Double(tickLimit)), Double(tickLimit)))
    }

    /// Fails for a time base that is not a positive fraction (no clock to place frames on).
    init(format: UnsafeMutablePointer<AVFormatContext>, stream: UnsafeMutablePointer<AVStream>, file: String) throws {
        timeBase = stream.pointee.time_base
        guard timeBase.num > 0, timeBase.den > 0 else {
            throw DataError.malformed(file: file, problem: "the video stream's time base is \(timeBase.num)/\(timeBase.den); expected a positive fraction of a second")
        }
        let start = stream.pointee.start_time
        firstTick = start != FFmpegFrameCursor.noTimestamp ? Self.clamp(start) : 0
        if stream.pointee.duration != FFmpegFrameCursor.noTimestamp && stream.pointee.duration > 0 {
            durationTicks = Self.clamp(stream.pointee.duration)
        } else if format.pointee.duration != FFmpegFrameCursor.noTimestamp && format.pointee.duration > 0 {
            durationTicks = max(1, Self.clamp(av_rescale_q(format.pointee.duration, AVRational(num: 1, den: AV_TIME_BASE), timeBase)))
        } else {
            durationTicks = nil
        }
    }

    var ticksPerSecond: Double { Double(timeBase.den) / Double(timeBase.num) }
    var durationSeconds: Double? { durationTicks.map { Double($0) / ticksPerSecond } }

    /// Seconds from the start of the clip.
    func seconds(_ tick: Int64) -> Double { Double(tick - firstTick) / ticksPerSecond }

    /// One frame's duration in ticks, 1 … 2⁴⁰; 25 fps when the rate is unknown.
    func frameTicks(_ framesPerSecond: Double?) -> Int64 {
        min(1 << 40, max(1, Self.clamp((ticksPerSecond / (framesPerSecond ?? 25)).rounded())))
    }
}

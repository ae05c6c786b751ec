import CFFmpeg
import CFFmpegShim

/// Walks one video stream forward in presentation time and answers "which frame is on screen at
/// tick T": the last frame whose timestamp is ≤ T (the first frame, for a T before it).
///
/// Targets are asked in increasing order. Before decoding towards a target the cursor looks in
/// the demuxer's index for the keyframe shown at or before it: when that keyframe lies beyond
/// what was already decoded it seeks there (decoding the frames in between would be wasted work);
/// otherwise it decodes on. So a long clip costs a few GOPs per target, not the whole file. The
/// pointers are the reader's, which allocates and frees them; the cursor only uses them.
struct FFmpegFrameCursor {
    let file: String
    let format: UnsafeMutablePointer<AVFormatContext>
    let stream: UnsafeMutablePointer<AVStream>
    let codec: UnsafeMutablePointer<AVCodecContext>
    let packet: UnsafeMutablePointer<AVPacket>
    /// The frame on screen up to `lookahead`'s time.
    let held: UnsafeMutablePointer<AVFrame>
    /// The next decoded frame, not yet on screen.
    let lookahead: UnsafeMutablePointer<AVFrame>
    /// The stream's first timestamp and one frame's duration, in ticks.
    let firstTick: Int64
    let frameTicks: Int64
    /// How far a keyframe's index time may run ahead of the time it is shown: MP4's index holds
    /// decoding times, which precede presentation by the B-frame reordering delay. A keyframe
    /// indexed within this of the target may show after it (a seek would then land one GOP
    /// earlier, behind what was decoded already), so only keyframes before it count.
    let reorderTicks: Int64

    private(set) var heldTick: Int64?
    private(set) var lookaheadTick: Int64?
    /// The decoder returned its last frame.
    private(set) var reachedEnd = false
    /// A read error other than the end of the file (a truncated file), with FFmpeg's explanation.
    private(set) var readFailure: String?
    /// Packets or frames the decoder rejected, and the first rejection's explanation.
    private(set) var rejected = 0
    private(set) var firstRejection: String?
    /// What the plan cost: seeks made and frames decoded (shown in the sample notes).
    private(set) var seeks = 0
    private(set) var decodedFrames = 0
    private var drainSent = false
    private var lastTick: Int64?

    init(file: String, format: UnsafeMutablePointer<AVFormatContext>, stream: UnsafeMutablePointer<AVStream>,
         codec: UnsafeMutablePointer<AVCodecContext>, packet: UnsafeMutablePointer<AVPacket>,
         held: UnsafeMutablePointer<AVFrame>, lookahead: UnsafeMutablePointer<AVFrame>, firstTick: Int64, frameTicks: Int64) {
        self.file = file; self.format = format; self.stream = stream; self.codec = codec; self.packet = packet
        self.held = held; self.lookahead = lookahead; self.firstTick = firstTick; self.frameTicks = frameTicks
        reorderTicks = Int64(min(16, max(0, stream.pointee.codecpar.pointee.video_delay))) * frameTicks
    }

    static let noTimestamp = Int64.min  // AV_NOPTS_VALUE, a macro Swift cannot import
    /// Consecutive decoder rejections after which the stream is taken to be undecodable.
    static let rejectionLimit = 1000

    /// The frame on screen at `target` and its timestamp; nil when the stream has no frame at all.
    mutating func frame(at target: Int64) throws -> (frame: UnsafeMutablePointer<AVFrame>, tick: Int64)? {
        if let tick = heldTick, tick > target {
            try seek(before: target)
        } else if let keyframe = keyframeTick(atOrBefore: target - reorderTicks), keyframe > (lookaheadTick ?? heldTick ?? Int64.min) {
            try seek(before: target)
        }
        while true {
            if let next = lookaheadTick {
                if next > target, let tick = heldTick { return (held, tick) }
                promoteLookahead()
                if next > target { return (held, next) }  // the stream starts after the target
            }
            guard try decodeNext() else {
                guard let tick = heldTick else { return nil }
                return (held, tick)
            }
        }
    }

    /// The timestamp of the indexed keyframe at or before `target`, nil without an index.
    private func keyframeTick(atOrBefore target: Int64) -> Int64? {
        let index = av_index_search_timestamp(stream, target, AVSEEK_FLAG_BACKWARD)
        guard index >= 0, let entry = avformat_index_get_entry(stream, index) else { return nil }
        return StreamTiming.clamp(entry.pointee.timestamp)
    }

    /// Seeks to a keyframe at or before `target`. Some indexes hold decoding times, which run
    /// ahead of presentation times when a stream has B-frames; when the first frame after the seek
    /// shows later than the target, or nothing after it decodes, the cursor steps back further
    /// (up to the stream's start).
    private mutating func seek(before target: Int64) throws {
        var goal = target
        var stepBack = max(frameTicks, 1) * 4
        while true {
            let status = avformat_seek_file(format, stream.pointee.index, Int64.min, goal, goal, 0)
            seeks += 1
            guard status >= 0 else {
                // A demuxer that cannot seek: decoding on is still right when the target is ahead.
                if let tick = heldTick, tick > target {
                    throw FFmpegMessages.failure(file, while: "to seek back to tick \(target)", code: status,
                                                 expected: "a seekable file")
                }
                return
            }
            avcodec_flush_buffers(codec)
            av_frame_unref(held); av_frame_unref(lookahead)
            heldTick = nil; lookaheadTick = nil
            reachedEnd = false; drainSent = false; lastTick = nil
            // Nothing decodable from there on (a file cut inside that GOP) is also a reason to step back.
            let first = try decodeNext() ? lookaheadTick : nil
            if let first, first <= target { return }
            if goal <= firstTick { return }
            goal = max(firstTick, min(goal, first ?? goal) - stepBack)
            stepBack = min(stepBack * 4, StreamTiming.tickLimit)
        }
    }

    private mutating func promoteLookahead() {
        av_frame_unref(held)
        av_frame_move_ref(held, lookahead)
        heldTick = lookaheadTick
        lookaheadTick = nil
    }

    /// Decodes the next frame into `lookahead`; false at the end of the stream.
    private mutating func decodeNext() throws -> Bool {
        var consecutiveRejections = 0
        while true {
            let received = avcodec_receive_frame(codec, lookahead)
            if received >= 0 {
                decodedFrames += 1
                let tick = lookahead.pointee.best_effort_timestamp
                lookaheadTick = StreamTiming.clamp(tick != Self.noTimestamp ? tick : (lastTick ?? firstTick - frameTicks) + frameTicks)
                lastTick = lookaheadTick
                return true
            }
            if received == allspark_averror_eof() || drainSent && received == allspark_averror_again() {
                reachedEnd = true
                return false
            }
            if received != allspark_averror_again() {
                try reject(received, &consecutiveRejections)
                continue
            }
            let read = av_read_frame(format, packet)
            if read < 0 {
                if read != allspark_averror_eof() { readFailure = FFmpegMessages.explain(read) }
                avcodec_send_packet(codec, nil)  // drain: the decoder returns what it still holds
                drainSent = true
                continue
            }
            defer { av_packet_unref(packet) }
            guard packet.pointee.stream_index == stream.pointee.index else { continue }
            let sent = avcodec_send_packet(codec, packet)
            if sent < 0 && sent != allspark_averror_again() { try reject(sent, &consecutiveRejections) }
        }
    }

    /// Counts a packet or frame the decoder refused. Damaged packets are skipped as the `ffmpeg`
    /// command line skips them (the sample notes say how many); a stream of nothing but damage
    /// is an error.
    private mutating func reject(_ code: Int32, _ consecutive: inout Int) throws {
        rejected += 1
        consecutive += 1
        if firstRejection == nil { firstRejection = FFmpegMessages.explain(code) }
        guard consecutive < Self.rejectionLimit else {
            throw DataError.malformed(file: file, problem: "the decoder rejected \(consecutive) packets in a row (first: \(firstRejection ?? "")); expected a decodable video stream")
        }
    }
}

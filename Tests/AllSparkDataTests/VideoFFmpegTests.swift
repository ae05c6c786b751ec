import Foundation
import Testing
import SparkEngine
@testable import AllSparkData

/// Video files through FFmpeg's libraries. The fixtures and their references come from
/// scripts/reference/make_video_fixtures.sh: 10 frames of 32 × 24 at 10 fps whose brightness
/// steps by 16 levels a frame, and beside each file the `ffmpeg` command line's own decode of it
/// as RGB24. Decoded frames must match that decode, and the frame chosen for each planned time is
/// identified by which reference frame it matches.
@Suite("Video files through FFmpeg")
struct VideoFFmpegTests {
    static let decodable = ["counter.mp4", "counter.avi", "counter.mkv", "counter.webm"]
    static let width = 32, height = 24, frameCount = 10

    static var fixtureFolder: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/video").path
    }

    static func fixture(_ name: String) -> String { (fixtureFolder as NSString).appendingPathComponent(name) }

    /// The command line's decode of `name`: each frame as `[3, height, width]` in [0, 1].
    static func reference(_ name: String) throws -> [[Float]] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture(name + ".rgb"))))
        let plane = width * height
        try #require(bytes.count == frameCount * 3 * plane)
        return (0..<frameCount).map { f in
            var frame = [Float](repeating: 0, count: 3 * plane)
            for i in 0..<plane {
                for c in 0..<3 { frame[c * plane + i] = Float(bytes[(f * plane + i) * 3 + c]) / 255 }
            }
            return frame
        }
    }

    static func load(_ path: String, _ options: [String: String] = [:], limits: LoadLimits = .standard) throws -> Sample {
        try VideoLoader().load(path: path, options: options, limits: limits)
    }

    static func frames(of sample: Sample) throws -> [[Float]] {
        guard case .video(let clip, _) = sample.content else { throw DataError.invalidArgument("not a video sample") }
        let size = clip.count / clip.dim(0)
        return (0..<clip.dim(0)).map { Array(clip.scalars[($0 * size)..<(($0 + 1) * size)]) }
    }

    static func largestDifference(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
    }

    /// Which reference frame `frame` is: the one with the smallest mean absolute difference.
    static func identify(_ frame: [Float], in reference: [[Float]]) -> Int {
        let distances = reference.map { ref in zip(frame, ref).map { abs($0 - $1) }.reduce(0, +) / Float(ref.count) }
        return distances.indices.min { distances[$0] < distances[$1] }!
    }

    @Test(arguments: decodable)
    func everyFrameMatchesTheCommandLineDecode(file: String) throws {
        let sample = try Self.load(Self.fixture(file), ["frames": "10"])
        guard case .video(let clip, let rate) = sample.content else { Issue.record("not a video"); return }
        #expect(clip.shape == [10, 3, Self.height, Self.width])
        #expect(abs(rate - 10) < 1e-9)
        let reference = try Self.reference(file)
        for (k, frame) in try Self.frames(of: sample).enumerated() {
            // swscale with the command line's flags gives the same bytes; one level of slack.
            let difference = Self.largestDifference(frame, reference[k])
            #expect(difference <= 1.0 / 255 + 1e-6, "\(file) frame \(k): largest difference \(difference * 255) levels")
        }
    }

    @Test(arguments: decodable)
    func uniformFramesAreTheCentresOfEqualSegments(file: String) throws {
        let reference = try Self.reference(file)
        for count in [1, 4, 7, 16] {
            let sample = try Self.load(Self.fixture(file), ["frames": "\(count)"])
            let chosen = try Self.frames(of: sample).map { Self.identify($0, in: reference) }
            // The same frames FrameSampling picks by index from a fully decoded clip.
            #expect(chosen == (try FrameSampling.uniformIndices(frameCount: Self.frameCount, target: count)), "\(file), \(count) frames")
        }
    }

    @Test(arguments: decodable)
    func startAndRateTakeFramesFromAStartTime(file: String) throws {
        let reference = try Self.reference(file)
        func chosen(_ options: [String: String]) throws -> [Int] {
            try Self.frames(of: Self.load(Self.fixture(file), options)).map { Self.identify($0, in: reference) }
        }
        // 0.3, 0.5, 0.7, 0.9 s, then the clip ends (16 were asked for).
        #expect(try chosen(["start": "0.3", "fps": "5"]) == [3, 5, 7, 9])
        // Between frames: the frame on screen at 0.25 s is the one shown from 0.2 s.
        #expect(try chosen(["start": "0.25", "fps": "10", "frames": "3"]) == [2, 3, 4])
        // Faster than the file: frames repeat. Without start, from 0 s.
        #expect(try chosen(["fps": "20", "frames": "4"]) == [0, 0, 1, 1])
        // Without fps, the file's own rate.
        #expect(try chosen(["start": "0.6"]) == [6, 7, 8, 9])
    }

    @Test func notesNameContainerCodecSizeRateAndTimes() throws {
        let sample = try Self.load(Self.fixture("counter.mp4"), ["frames": "4"])
        let notes = try #require(sample.conversion)
        for fragment in ["QuickTime / MOV", "h264", "32 × 24", "10 fps", "1.00 s", "4 frames spread uniformly", "0.10, 0.30, 0.60, 0.80 s"] {
            #expect(notes.contains(fragment), "notes '\(notes)' lack '\(fragment)'")
        }
        let stride = try #require(try Self.load(Self.fixture("counter.webm"), ["start": "0.5", "fps": "10"]).conversion)
        #expect(stride.contains("vp9") && stride.contains("Matroska / WebM") && stride.contains("5 frames from 0.5 s at 10 fps (the clip ends; 16 asked for)"), "\(stride)")
    }

    @Test func framesAreDecodedOnceAndSkippedBySeeking() throws {
        func cost(_ file: String, _ options: [String: String]) throws -> String {
            let notes = try #require(try Self.load(Self.fixture(file), options).conversion)
            let start = try #require(notes.range(of: "decoded ")).lowerBound
            return String(notes[start...])
        }
        // 16 targets over 10 frames with B-frames and an index of decoding times: each frame once.
        #expect(try cost("counter.mp4", [:]) == "decoded 10 frames with 1 seek")
        // Every MJPEG frame is a keyframe: 0.25 s needs frames 2 and 3, then a seek to 7 and 8.
        #expect(try cost("counter.avi", ["frames": "2"]) == "decoded 4 frames with 2 seeks")
        // VP9 keyframes at 0 and 0.4 s (and 0.8 s): frames 0–3, then a seek to 0.4 s and 4–8.
        #expect(try cost("counter.webm", ["frames": "2"]) == "decoded 9 frames with 2 seeks")
    }

    @Test func aLongerAudioTrackDoesNotStretchTheVideo() throws {
        // Matroska gives no stream durations, and the file's 2.02 s are the audio's: the first
        // pass finds the video ending at 0.9 s and spreads the frames over the video's 1 s.
        let sample = try Self.load(Self.fixture("counter-long-audio.mkv"), ["frames": "5"])
        let reference = try Self.reference("counter.mkv")
        #expect(try Self.frames(of: sample).map { Self.identify($0, in: reference) } == [1, 3, 5, 7, 9])
        let notes = try #require(sample.conversion)
        #expect(notes.contains("(the container says 2.02 s; its video ends at 0.90 s)"), "\(notes)")
    }

    @Test func theRegistryReadsEveryContainerExtension() throws {
        for name in ["a.mp4", "b.AVI", "c.mkv", "d.webm", "e.mov", "f.y4m"] {
            #expect(SampleLoaders.accepts(.video, name: name, isDirectory: false), "\(name)")
        }
        let sample = try SampleLoaders.load(.video, SampleReference(parsing: Self.fixture("counter.mkv") + "#frames=2"))
        #expect(sample.modality == .video)
        guard case .video(let clip, _) = sample.content else { Issue.record("not a video"); return }
        #expect(clip.shape == [2, 3, 24, 32])
    }

    // MARK: Bad input: a DataError naming the file, the problem and the expectation.

    @Test func anMP4CutInItsMediaDataBeforeTheIndexIsRefused() throws {
        let folder = try ImagesTempFolder()
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.fixture("counter.mp4"))))
        // moov follows mdat in this file: half of it holds neither the end of mdat nor moov.
        let path = try folder.write("cut.mp4", Array(bytes.prefix(bytes.count / 2)))
        expectDataError([path, "FFmpeg failed to open the file", "moov atom not found", "expected an MP4, AVI, MKV, WebM or MOV file"]) {
            _ = try Self.load(path)
        }
    }

    @Test func anMP4WhoseIndexPromisesFramesTheFileLacksIsRefused() throws {
        let folder = try ImagesTempFolder()
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.fixture("counter-faststart.mp4"))))
        // moov comes first here and still lists 10 frames. Cut inside the last keyframe's packet
        // (frames 8 and 9 lost): the frames before it decode, and the targets after them fail.
        let late = try folder.write("late.mp4", Array(bytes.prefix(bytes.count - 100)))
        expectDataError([late, "the video stops at 0.70 s, but the file says the clip lasts 1.00 s",
                         "the file has 2130 bytes, but its index places frames up to byte 2230", "is the file truncated?"]) {
            _ = try Self.load(late)
        }
        // Cut before the last keyframe's packet: a seek towards 0.75 s lands on that keyframe,
        // finds nothing, and steps back to the frames that are there.
        let beforeKeyframe = try folder.write("before.mp4", Array(bytes.prefix(2030)))
        let reference = try Self.reference("counter.mp4")
        let chosen = try Self.frames(of: Self.load(beforeKeyframe, ["frames": "2"])).map { Self.identify($0, in: reference) }
        #expect(chosen == [2, 7])
        // Cut inside the first keyframe: nothing decodes.
        let early = try folder.write("early.mp4", Array(bytes.prefix(1200)))
        expectDataError([early, "no frame of the h264 stream could be decoded", "h264: ",
                         "the file has 1200 bytes, but its index places frames up to byte 2230", "expected a decodable video stream"]) {
            _ = try Self.load(early)
        }
    }

    @Test func anMP4WhoseMediaBoxClaimsMoreBytesThanTheFileHasIsRefused() throws {
        let folder = try ImagesTempFolder()
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.fixture("counter.mp4"))))
        let mdat = try #require(Self.find(Array("mdat".utf8), in: bytes)) - 4
        bytes.replaceSubrange(mdat..<(mdat + 4), with: [0x7F, 0xFF, 0xFF, 0xFF])  // 2 GiB of media data
        let path = try folder.write("lying.mp4", bytes)
        expectDataError([path, "FFmpeg failed", "moov atom not found", "expected an MP4"]) { _ = try Self.load(path) }
    }

    @Test func anAVIHeaderThatLiesAboutTheFrameSizeGetsTheDecodersSize() throws {
        // The AVI header and the stream format both claim 60000 × 60000; FFmpeg's stream probe
        // decodes a picture and corrects the parameters, so no 3.6-gigapixel frame is planned.
        let folder = try ImagesTempFolder()
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.fixture("counter.avi"))))
        let avih = try #require(Self.find(Array("avih".utf8), in: bytes)) + 8
        let strf = try #require(Self.find(Array("strf".utf8), in: bytes)) + 8
        for offset in [avih + 32, avih + 36, strf + 4, strf + 8] { Self.putLittleEndian(60000, at: offset, in: &bytes) }
        let path = try folder.write("lying.avi", bytes)
        guard case .video(let clip, _) = try Self.load(path, ["frames": "2"]).content else { Issue.record("not a video"); return }
        #expect(clip.shape == [2, 3, 24, 32])
    }

    @Test func randomBytesNamedMP4AreRefused() throws {
        let folder = try ImagesTempFolder()
        var random = DeterministicRandom(seed: 11)
        let path = try folder.write("noise.mp4", (0..<4096).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        expectDataError([path, "FFmpeg failed to open the file as a video container", "Invalid data found when processing input", "expected an MP4"]) {
            _ = try Self.load(path)
        }
    }

    @Test func onlyVideoContainersMayOpenAFileWhateverItsName() throws {
        // An HLS playlist saved as .mp4 would make FFmpeg fetch its URL; a Y4M named .avi would
        // be read by another demuxer. Both are refused by name before anything is fetched.
        let folder = try ImagesTempFolder()
        let playlist = try folder.write("playlist.mp4", text: "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nhttp://127.0.0.1:9/x.ts\n#EXT-X-ENDLIST\n")
        expectDataError([playlist, "hls: Format not on whitelist 'mov,avi,matroska'", "expected an MP4"]) { _ = try Self.load(playlist) }
        let y4m = try folder.write("clip.avi", text: "YUV4MPEG2 W2 H2 F25:1 C444\nFRAME\n" + String(repeating: "\u{10}", count: 12))
        expectDataError([y4m, "yuv4mpegpipe: Format not on whitelist"]) { _ = try Self.load(y4m) }
    }

    @Test func anEmptyFileIsRefused() throws {
        let folder = try ImagesTempFolder()
        let path = try folder.write("empty.webm", [])
        expectDataError([path, "the file is empty", "expected an MP4, AVI, MKV, WebM or MOV file with a video stream"]) { _ = try Self.load(path) }
    }

    @Test func aFileWithOnlyAudioIsRefused() {
        let path = Self.fixture("audio-only.mp4")
        expectDataError([path, "no video stream", "audio aac", "expected an MP4"]) { _ = try Self.load(path) }
    }

    @Test func aStartPastTheEndIsRefused() {
        let path = Self.fixture("counter.avi")
        expectDataError([path, "start=5.0 s is past the end", "the clip lasts 1.00 s"]) { _ = try Self.load(path, ["start": "5"]) }
        expectDataError([path, "start=1.0 s is past the end"]) { _ = try Self.load(path, ["start": "1", "fps": "2"]) }
    }

    @Test func optionsAreCheckedByName() {
        let path = Self.fixture("counter.mkv")
        expectDataError([path, "unknown sample option maxFrames", "frames, start, fps"]) { _ = try Self.load(path, ["maxFrames": "3"]) }
        expectDataError([path, "frames=0"]) { _ = try Self.load(path, ["frames": "0"]) }
        expectDataError([path, "fps=0"]) { _ = try Self.load(path, ["fps": "0"]) }
        expectDataError([path, "start=-1"]) { _ = try Self.load(path, ["start": "-1"]) }
    }

    @Test func sizesAreCheckedAgainstTheLimitsBeforeDecoding() {
        let path = Self.fixture("counter.mp4")
        var small = LoadLimits()
        small.maxPixels = 500
        expectDataError([path, "frames are 32 × 24 pixels", "at most 500"]) { _ = try Self.load(path, limits: small) }
        var few = LoadLimits()
        few.maxElements = 10_000
        expectDataError([path, "16 frames of 32 × 24 would decode to 36864 values", "more than the allowed 10000"]) { _ = try Self.load(path, limits: few) }
        var short = LoadLimits()
        short.maxFileBytes = 100
        expectDataError([path, "more than the allowed 100"]) { _ = try Self.load(path, limits: short) }
    }

    /// Every prefix of every fixture (in steps of 61 bytes) loads or fails with a DataError;
    /// nothing traps or aborts, whatever FFmpeg makes of the damage.
    @Test(arguments: decodable + ["counter-faststart.mp4"])
    func everyTruncationIsAnErrorOrAClip(file: String) throws {
        let folder = try ImagesTempFolder()
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.fixture(file))))
        let ext = (file as NSString).pathExtension
        for length in stride(from: 1, to: bytes.count, by: 61) {
            let path = try folder.write("cut-\(length).\(ext)", Array(bytes.prefix(length)))
            do {
                _ = try Self.load(path, ["frames": "3"])
            } catch let error as DataError {
                #expect(error.description.hasPrefix(path), "\(error)")
            }
        }
    }

    // MARK: The plan's arithmetic.

    @Test func uniformTargetsAreExactIntegerCentres() {
        // 1 s in a 1/10240 time base, 5 frames: 0.1, 0.3, 0.5, 0.7, 0.9 s exactly.
        #expect(VideoFramePlan.uniformTargets(count: 5, firstTick: 0, durationTicks: 10240) == [1024, 3072, 5120, 7168, 9216])
        #expect(VideoFramePlan.uniformTargets(count: 2, firstTick: 100, durationTicks: 10) == [102, 107])
        // (2k + 1) · duration overflowing Int64 falls back to floating point instead of trapping.
        let huge = VideoFramePlan.uniformTargets(count: 2, firstTick: 0, durationTicks: Int64.max / 2)
        #expect(huge[0] > 0 && huge[1] > huge[0])
    }

    @Test func strideTargetsDoNotFallShortOfAFrameByRounding() {
        #expect(VideoFramePlan.strideTarget(7, start: 0, framesPerSecond: 10, firstTick: 0, ticksPerSecond: 10) == 7)
        #expect(VideoFramePlan.strideTarget(2, start: 0.3, framesPerSecond: 5, firstTick: -20, ticksPerSecond: 1000) == 680)
    }

    @Test func longListsOfTimesAreShortened() {
        #expect(FFmpegPlanReading.list([0.05, 0.15]) == "0.05, 0.15")
        let long = FFmpegPlanReading.list((0..<20).map(Double.init))
        #expect(long == "0.00, 1.00, 2.00, 3.00, 4.00, 5.00, 6.00, 7.00, …, 18.00, 19.00")
    }

    static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        return (0...(bytes.count - needle.count)).first { Array(bytes[$0..<($0 + needle.count)]) == needle }
    }

    static func putLittleEndian(_ value: UInt32, at offset: Int, in bytes: inout [UInt8]) {
        for i in 0..<4 { bytes[offset + i] = UInt8((value >> (8 * UInt32(i))) & 0xFF) }
    }
}

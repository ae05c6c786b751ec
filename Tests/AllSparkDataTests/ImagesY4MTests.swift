import Foundation
import Testing
import SparkEngine
@testable import AllSparkData

/// Y4M parsing and BT.601 conversion. Expected RGB values come from
/// scripts/reference/y4m_reference.py (numpy, np.interp chroma upsampling), pasted below.
@Suite struct ImagesY4MTests {
    enum Expected {
        static let c444Limited: [Float] = [
            0.000000, 1.000000, 0.997804, 0.163434, 0.000000, 1.000000, 0.000000, 0.695217,
            0.000000, 1.000000, 0.000000, 1.000000,
        ]
        static let c444Full: [Float] = [
            0.062745, 0.921569, 0.933427, 0.194761, 0.062745, 0.921569, 0.055270, 0.661896,
            0.062745, 0.921569, 0.053584, 1.000000,
        ]
        static let c420jpeg: [Float] = [
            0.018265, 0.094511, 0.064356, 0.140603, 0.222250, 0.282067, 0.219052, 0.278869,
            0.538895, 0.565853, 0.437120, 0.464077, 0.742880, 0.753408, 0.591815, 0.602343,
            0.061282, 0.278924, 0.531560, 0.749202, 0.087539, 0.310669, 0.574281, 0.797412,
            0.048728, 0.282834, 0.568399, 0.802506, 0.074984, 0.314579, 0.611121, 0.850716,
            0.000000, 0.078297, 0.458713, 0.740246, 0.000000, 0.224008, 0.634089, 0.930454,
            0.098074, 0.424104, 0.893516, 1.000000, 0.228952, 0.569814, 1.000000, 1.000000,
        ]
        static let c420mpeg2: [Float] = [
            0.018265, 0.000000, 0.000000, 0.140603, 0.222250, 0.159235, 0.096221, 0.278869,
            0.538895, 0.410162, 0.281429, 0.464077, 0.742880, 0.581288, 0.419695, 0.602343,
            0.061282, 0.313918, 0.566554, 0.749202, 0.087539, 0.351151, 0.614763, 0.797412,
            0.048728, 0.334293, 0.619858, 0.802506, 0.074984, 0.371526, 0.668067, 0.850716,
            0.000000, 0.177181, 0.557597, 0.740246, 0.000000, 0.337724, 0.747805, 0.930454,
            0.098074, 0.567486, 1.000000, 1.000000, 0.228952, 0.728029, 1.000000, 1.000000,
        ]
        static let c420paldv: [Float] = [
            0.018265, 0.000000, 0.000000, 0.140603, 0.334910, 0.239037, 0.143163, 0.325811,
            0.651556, 0.489963, 0.328371, 0.511019, 0.742880, 0.581288, 0.419695, 0.602343,
            0.061282, 0.313918, 0.566554, 0.749202, 0.037834, 0.323945, 0.610056, 0.792705,
            0.000000, 0.307087, 0.615151, 0.797799, 0.074984, 0.371526, 0.668067, 0.850716,
            0.000000, 0.177181, 0.557597, 0.740246, 0.000000, 0.268505, 0.648922, 0.831570,
            0.058520, 0.498267, 0.938014, 1.000000, 0.228952, 0.728029, 1.000000, 1.000000,
        ]
    }

    static let luma444: [UInt8] = [16, 235, 81, 145]
    static let cb444: [UInt8] = [128, 128, 90, 200]
    static let cr444: [UInt8] = [128, 128, 240, 60]
    static let luma420: [UInt8] = [20, 60, 100, 140, 40, 80, 120, 160, 60, 100, 140, 180, 80, 120, 160, 200]
    static let cb420: [UInt8] = [100, 150, 120, 200]
    static let cr420: [UInt8] = [128, 60, 200, 90]

    static func file(header: String, frames: [[UInt8]], frameLine: String = "FRAME") -> [UInt8] {
        var bytes = Array((header + "\n").utf8)
        for frame in frames { bytes += Array((frameLine + "\n").utf8) + frame }
        return bytes
    }

    func expectClose(_ actual: [Float], _ expected: [Float], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        for (i, (a, e)) in zip(actual, expected).enumerated() where abs(a - e) > 2e-5 {
            Issue.record("value \(i): \(a), expected \(e)", sourceLocation: sourceLocation)
        }
    }

    @Test func convertsFourFourFourInBothRanges() throws {
        let folder = try ImagesTempFolder()
        let frame = Self.luma444 + Self.cb444 + Self.cr444
        let limited = try folder.write("l.y4m", Self.file(header: "YUV4MPEG2 W2 H2 F30000:1001 Ip A1:1 C444", frames: [frame]))
        let video = try Y4MReader.read(path: limited, limits: .standard)
        #expect(video.header.chroma == .c444 && !video.header.fullRange)
        #expect(abs(video.header.framesPerSecond - 29.97003) < 1e-4)
        expectClose(YUVConversion.rgb(video.frames[0], header: video.header), Expected.c444Limited)
        let full = try folder.write("f.y4m", Self.file(header: "YUV4MPEG2 W2 H2 F25:1 C444 XCOLORRANGE=FULL", frames: [frame]))
        let fullVideo = try Y4MReader.read(path: full, limits: .standard)
        #expect(fullVideo.header.fullRange)
        expectClose(YUVConversion.rgb(fullVideo.frames[0], header: fullVideo.header), Expected.c444Full)
    }

    @Test(arguments: [("420jpeg", Expected.c420jpeg), ("420", Expected.c420jpeg), ("420mpeg2", Expected.c420mpeg2), ("420paldv", Expected.c420paldv)])
    func upsamplesChromaFromItsSiting(chroma: String, expected: [Float]) throws {
        let folder = try ImagesTempFolder()
        let path = try folder.write("v.y4m", Self.file(header: "YUV4MPEG2 W4 H4 F25:1 C\(chroma)", frames: [Self.luma420 + Self.cb420 + Self.cr420]))
        let video = try Y4MReader.read(path: path, limits: .standard)
        expectClose(YUVConversion.rgb(video.frames[0], header: video.header), expected)
    }

    @Test func defaultsTo420jpegAndReadsFrameParameters() throws {
        let folder = try ImagesTempFolder()
        let frame = Self.luma420 + Self.cb420 + Self.cr420
        let path = try folder.write("d.y4m", Self.file(header: "YUV4MPEG2 W4 H4 F25:1", frames: [frame, frame, frame], frameLine: "FRAME Ixyz"))
        let sample = try VideoLoader().load(path: path, options: [:], limits: .standard)
        guard case .video(let tensor, let fps) = sample.content else { Issue.record("not a video"); return }
        #expect(tensor.shape == [3, 3, 4, 4] && fps == 25)
        expectClose(Array(tensor.scalars[0..<48]), Expected.c420jpeg)
    }

    @Test func readsAWindowOfFrames() throws {
        let folder = try ImagesTempFolder()
        // Frame k has luma k·10 everywhere (4:4:4 2 × 2, neutral chroma).
        let frames = (0..<6).map { k in [UInt8](repeating: UInt8(16 + k * 10), count: 4) + [UInt8](repeating: 128, count: 8) }
        let path = try folder.write("w.y4m", Self.file(header: "YUV4MPEG2 W2 H2 F10:1 C444", frames: frames))
        let sample = try VideoLoader().load(path: path, options: ["start": "2", "maxFrames": "3"], limits: .standard)
        guard case .video(let tensor, _) = sample.content else { Issue.record("not a video"); return }
        #expect(tensor.shape == [3, 3, 2, 2])
        #expect(abs(tensor[0, 0, 0, 0] - 20 / 219) < 1e-5 && abs(tensor[2, 1, 1, 1] - 40 / 219) < 1e-5)
        // LoadLimits.maxFrames caps what is read.
        let capped = try Y4MReader.read(path: path, limits: tinyLimits(frames: 4))
        #expect(capped.frames.count == 4)
        expectDataError([path, "no frames from frame 9"]) { _ = try Y4MReader.read(path: path, start: 9, limits: .standard) }
        expectDataError([path, "unknown sample option frames", "maxFrames"]) {
            _ = try VideoLoader().load(path: path, options: ["frames": "2"], limits: .standard)
        }
        expectDataError([path, "maxFrames=-1"]) { _ = try VideoLoader().load(path: path, options: ["maxFrames": "-1"], limits: .standard) }
    }

    @Test func writerRoundTripsSmoothFrames() throws {
        // A smooth colour ramp survives 4:2:0 subsampling and 8-bit quantisation within 3/255.
        let frames = 2, h = 6, w = 8
        var scalars: [Float] = []
        for f in 0..<frames {
            for c in 0..<3 {
                for y in 0..<h { for x in 0..<w { scalars.append(0.2 + 0.5 * Float(x + y + c + f) / Float(w + h + 4)) } }
            }
        }
        let tensor = Tensor(shape: [frames, 3, h, w], scalars: scalars)
        let folder = try ImagesTempFolder()
        try Y4MWriter.write(tensor, framesPerSecond: (12, 1), to: folder.file("r.y4m"))
        let back = YUVConversion.tensor(try Y4MReader.read(path: folder.file("r.y4m"), limits: .standard))
        #expect(back.shape == tensor.shape)
        let worst = zip(back.scalars, tensor.scalars).map { abs($0 - $1) }.max()!
        #expect(worst < 3 / 255)
    }

    @Test func rejectsBadHeaders() throws {
        let folder = try ImagesTempFolder()
        let frame = Self.luma444 + Self.cb444 + Self.cr444
        let cases: [(String, [String])] = [
            ("YUV4MPEG W2 H2 F25:1 C444", ["Y4M signature"]),
            ("YUV4MPEG2 W2 H2 F25:1 C422", ["C422", "not supported", "C420jpeg"]),
            ("YUV4MPEG2 W2 H2 F25:1 C420p10", ["C420p10", "not supported"]),
            ("YUV4MPEG2 W2 H2 F25:1 Cmono", ["Cmono"]),
            ("YUV4MPEG2 H2 F25:1 C444", ["no width"]),
            ("YUV4MPEG2 W2 F25:1 C444", ["no height"]),
            ("YUV4MPEG2 W2 H2 C444", ["no frame rate"]),
            ("YUV4MPEG2 W0 H2 F25:1", ["width W is '0'", "positive integer"]),
            ("YUV4MPEG2 W-3 H2 F25:1", ["width W is '-3'"]),
            ("YUV4MPEG2 Wabc H2 F25:1", ["width W is 'abc'"]),
            ("YUV4MPEG2 W2 H2 F25:0", ["frame rate F is '25:0'"]),
            ("YUV4MPEG2 W2 H2 F25 C444", ["frame rate F is '25'"]),
            ("YUV4MPEG2 W2 H2 F25:1 Iq", ["interlacing 'Iq'"]),
            ("YUV4MPEG2 W99999999999999999999 H2 F25:1", ["width W"]),
            ("YUV4MPEG2 W4000000000 H4000000000 F25:1", ["too large"]),
        ]
        for (index, (header, fragments)) in cases.enumerated() {
            let path = try folder.write("h\(index).y4m", Self.file(header: header, frames: [frame]))
            expectDataError([path] + fragments) { _ = try Y4MReader.read(path: path, limits: .standard) }
        }
        let noNewline = try folder.write("nonl.y4m", Array(String(repeating: "YUV4MPEG2 W2 ", count: 200).utf8))
        expectDataError([noNewline, "no header line"]) { _ = try Y4MReader.read(path: noNewline, limits: .standard) }
    }

    @Test func rejectsBadFramesAndSizes() throws {
        let folder = try ImagesTempFolder()
        let frame = Self.luma444 + Self.cb444 + Self.cr444
        let header = "YUV4MPEG2 W2 H2 F25:1 C444"
        let truncated = try folder.write("t.y4m", Array(Self.file(header: header, frames: [frame, frame]).dropLast(3)))
        expectDataError([truncated, "frame 1 is truncated", "9 bytes", "expected 12"]) { _ = try Y4MReader.read(path: truncated, limits: .standard) }
        // The header says 4 × 4 but frames hold 2 × 2 planes: the second FRAME line is misplaced.
        let lying = try folder.write("lie.y4m", Self.file(header: "YUV4MPEG2 W3 H2 F25:1 C444", frames: [frame, frame, frame]))
        expectDataError([lying, "expected 'FRAME'"]) { _ = try Y4MReader.read(path: lying, limits: .standard) }
        let noFrames = try folder.write("none.y4m", Array((header + "\n").utf8))
        expectDataError([noFrames, "no frames"]) { _ = try Y4MReader.read(path: noFrames, limits: .standard) }
        let garbage = try folder.write("g.y4m", Self.file(header: header, frames: [frame]) + Array("JUNK\n".utf8))
        expectDataError([garbage, "line starts 'JUNK'"]) { _ = try Y4MReader.read(path: garbage, limits: .standard) }
        let empty = try folder.write("e.y4m", [])
        expectDataError([empty, "empty", "Y4M"]) { _ = try Y4MReader.read(path: empty, limits: .standard) }
        let directory = try folder.folder("dir.y4m")
        expectDataError([directory, "is a folder"]) { _ = try VideoLoader().load(path: directory, options: [:], limits: .standard) }
        let big = try folder.write("big.y4m", Self.file(header: header, frames: Array(repeating: frame, count: 20)))
        expectDataError([big, "more than the allowed 100"]) { _ = try Y4MReader.read(path: big, limits: tinyLimits(fileBytes: 100)) }
        expectDataError([big, "frames are 2 × 2 pixels", "at most 3"]) { _ = try Y4MReader.read(path: big, limits: tinyLimits(pixels: 3)) }
        expectDataError([big, "20 frames of 2 × 2", "more than the allowed 100", "maxFrames"]) {
            _ = try Y4MReader.read(path: big, limits: tinyLimits(elements: 100))
        }
    }
}

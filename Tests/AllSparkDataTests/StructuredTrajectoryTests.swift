import Foundation
import Testing
import SparkEngine
@testable import AllSparkData

@Suite("Structured: ETH/UCY trajectories")
struct StructuredTrajectoryTests {
    /// Pedestrian 1 walks x = frame/10 from frame 0 to 190 (20 steps, 10 frames apart), y = 1;
    /// pedestrian 2 is present over frames 0…70 (y = 2); pedestrian 3 only from frame 30.
    static func fileText(dropping dropped: Set<Int> = []) -> String {
        var lines: [String] = []
        for frame in stride(from: 0, through: 190, by: 10) {
            if !dropped.contains(frame) { lines.append("\(frame).0\t1.0\t\(Double(frame) / 10)\t1.00") }
            if frame <= 70 { lines.append("\(frame) 2 \(Double(frame) / 20) 2.0") }
            if frame >= 30 { lines.append("\(frame) 3 5.0 \(Double(frame) / 100)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func observedNeighboursAndFuture() throws {
        let folder = try StructuredTempFolder()
        let path = try folder.write("scene.txt", Self.fileText())
        let sample = try TrajectoryLoader().load(path: path, options: ["pedestrian": "1", "start": "0"], limits: .standard)
        guard case .trajectory(let observed, let neighbours) = sample.content else { Issue.record("not a trajectory"); return }
        #expect(observed.shape == [8, 2])
        #expect(observed.scalars == (0..<8).flatMap { [Float($0), 1] })
        // Pedestrian 2 is in all 8 observed frames (0…70); pedestrian 3 only from 30, so not a neighbour.
        #expect(neighbours.count == 1)
        #expect(neighbours.first?.scalars == (0..<8).flatMap { [Float($0) / 2, 2] })
        #expect(sample.label == .futureTrajectory(Tensor(shape: [12, 2], scalars: (8..<20).flatMap { [Float($0), 1] })))
    }

    @Test func defaultsPickAFullTrackAndLabelNeedsAllTwelveFutureSteps() throws {
        let folder = try StructuredTempFolder()
        let path = try folder.write("scene.txt", Self.fileText())
        let sample = try TrajectoryLoader().load(path: path, options: [:], limits: .standard)
        guard case .trajectory(let observed, _) = sample.content else { Issue.record("not a trajectory"); return }
        #expect(observed[0, 0] == 0)
        // From start 50 only 7 future steps exist (130…190): no label.
        let late = try TrajectoryLoader().load(path: path, options: ["pedestrian": "1", "start": "50"], limits: .standard)
        #expect(late.label == nil)
        // Pedestrian 3 is present from 30, so its default start is 30.
        let third = try TrajectoryLoader().load(path: path, options: ["pedestrian": "3"], limits: .standard)
        guard case .trajectory(let observed3, let neighbours3) = third.content else { Issue.record("not a trajectory"); return }
        #expect(observed3[0, 1] == 0.3)
        #expect(neighbours3.count == 1)  // pedestrian 1 (pedestrian 2 leaves after frame 70)
    }

    @Test func missingFramesAreNamed() throws {
        let folder = try StructuredTempFolder()
        let path = try folder.write("gaps.txt", Self.fileText(dropping: [30, 50]))
        expectLoadError(file: path, mentions: ["pedestrian 1", "frames 30, 50", "0...70", "step 10", "expected a position in every observed frame"]) {
            _ = try TrajectoryLoader().load(path: path, options: ["pedestrian": "1", "start": "0"], limits: .standard)
        }
    }

    @Test func badFilesAreErrors() throws {
        let folder = try StructuredTempFolder()
        func load(_ path: String, _ options: [String: String] = [:], limits: LoadLimits = .standard) throws {
            _ = try TrajectoryLoader().load(path: path, options: options, limits: limits)
        }
        let columns = try folder.write("cols.txt", "0 1 2.0 3.0\n10 1 2.5\n")
        expectLoadError(file: columns, mentions: ["line 2", "3 fields", "expected 4: frame pedestrian x y"]) { try load(columns) }
        let notNumber = try folder.write("word.txt", "0 1 2.0 north\n")
        expectLoadError(file: notNumber, mentions: ["line 1", "'north'", "not a number"]) { try load(notNumber) }
        let nan = try folder.write("nan.txt", "0 1 2.0 3.0\n10 1 nan 3.0\n")
        expectLoadError(file: nan, mentions: ["line 2", "x is nan", "expected a finite number"]) { try load(nan) }
        let inf = try folder.write("inf.txt", "0 1 2.0 3.0\n10 1 2.0 -inf\n")
        expectLoadError(file: inf, mentions: ["line 2", "y is -inf", "finite"]) { try load(inf) }
        let fraction = try folder.write("frac.txt", "0.5 1 2.0 3.0\n")
        expectLoadError(file: fraction, mentions: ["line 1", "frame", "not a whole number"]) { try load(fraction) }
        let duplicate = try folder.write("dup.txt", "0 1 2 3\n0 1 2 3\n")
        expectLoadError(file: duplicate, mentions: ["line 2", "twice in frame 0"]) { try load(duplicate) }
        let oneFrame = try folder.write("one.txt", "0 1 2 3\n0 2 2 3\n")
        expectLoadError(file: oneFrame, mentions: ["1 distinct frame", "at least 2 frames"]) { try load(oneFrame) }
        let short = try folder.write("short.txt", "0 1 2 3\n10 1 2 3\n20 1 2 3\n")
        expectLoadError(file: short, mentions: ["no pedestrian", "8 consecutive"]) { try load(short) }
        let empty = try folder.write("empty.txt", bytes: [])
        expectLoadError(file: empty, mentions: ["empty", "expected ETH/UCY"]) { try load(empty) }
        let binary = try folder.write("bin.txt", bytes: [0x30, 0x20, 0xFE, 0x0A])
        expectLoadError(file: binary, mentions: ["invalid UTF-8", "offset 2"]) { try load(binary) }
        let good = try folder.write("good.txt", Self.fileText())
        expectLoadError(file: good, mentions: ["pedestrian 9 does not occur", "ids 1...3"]) { try load(good, ["pedestrian": "9"]) }
        expectLoadError(file: good, mentions: ["no pedestrian is observed", "start=5"]) { try load(good, ["start": "5"]) }
        expectLoadError(file: good, mentions: ["option start=abc"]) { try load(good, ["start": "abc"]) }
        expectLoadError(file: good, mentions: ["option start=9223372036854775807"]) { try load(good, ["start": "9223372036854775807", "pedestrian": "1"]) }
        expectLoadError(file: good, mentions: ["option pedestrian=-9223372036854775808"]) { try load(good, ["pedestrian": "-9223372036854775808"]) }
        let crlf = try folder.write("crlf.txt", Self.fileText().replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(try TrajectoryLoader().load(path: crlf, options: [:], limits: .standard).label != nil)
        expectLoadError(file: good, mentions: ["more than 10 observations", "maxRows"]) { try load(good, limits: structuredLimits(fileBytes: 1 << 20, rows: 10)) }
        expectLoadError(file: good, mentions: ["maxFileBytes"]) { try load(good, limits: structuredLimits()) }
        let directory = try folder.folder("dir.txt")
        expectLoadError(file: directory, mentions: ["is a folder"]) { try load(directory) }
    }

    @Test func frameStepIsTheMostCommonGap() throws {
        // Frames 0, 6, 12, …, with one gap of 12 (a frame nobody is in): the step is 6.
        let text = [0, 6, 12, 24, 30, 36].map { "\($0) 1 0 0" }.joined(separator: "\n")
        #expect(try ETHTrajectoryReader.parse(text, file: "f", maxRows: 100).frameStep == 6)
    }
}

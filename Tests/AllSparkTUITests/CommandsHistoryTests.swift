import Foundation
import Testing
@testable import AllSparkTUI

/// The REPL's history file and the output collector.
struct CommandsHistoryTests {
    func temporaryFolder() -> String {
        NSTemporaryDirectory() + "allspark-history-\(UUID().uuidString)"
    }

    @Test func theDefaultPathFollowsXDGStateHome() {
        #expect(CommandHistory.defaultPath(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/allspark/history")
        #expect(CommandHistory.defaultPath(environment: ["XDG_STATE_HOME": "", "HOME": "/h"]) == "/h/.local/state/allspark/history")
        #expect(CommandHistory.defaultPath(environment: ["HOME": "/h"]) == "/h/.local/state/allspark/history")
    }

    @Test func theFileIsCreatedOnTheFirstCommandAndReadBack() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/allspark/history"
        var warnings: [String] = []
        let history = CommandHistory(path: path) { warnings.append($0) }
        #expect(!FileManager.default.fileExists(atPath: path), "nothing is created before a command")
        history.add("modality rgb")
        history.add("run")
        history.add("run")           // a repeat is kept once
        history.add("   ")           // blank lines are not kept
        history.add("show head")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "modality rgb\nrun\nshow head\n")
        #expect(CommandHistory(path: path) { warnings.append($0) }.entries == ["modality rgb", "run", "show head"])
        #expect(warnings.isEmpty)
    }

    @Test func theFileIsCutToTheLimitWhenItHasGrownToTwiceIt() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/history"
        try ((1...7).map { "command \($0)" }.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let small = CommandHistory(path: path, limit: 4) { _ in }
        #expect(small.entries == ["command 4", "command 5", "command 6", "command 7"])
        #expect(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count == 7, "under twice the limit: left as it is")
        _ = CommandHistory(path: path, limit: 3) { _ in }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "command 5\ncommand 6\ncommand 7\n")
        small.add("command 8")
        #expect(small.entries == ["command 5", "command 6", "command 7", "command 8"])
    }

    @Test func aFileThatCannotBeWrittenIsReportedOnceAndIsNotFatal() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // A plain file where the history's folder should be: nothing can be created under it.
        FileManager.default.createFile(atPath: folder + "/allspark", contents: Data("x".utf8))
        var warnings: [String] = []
        let history = CommandHistory(path: folder + "/allspark/history") { warnings.append($0) }
        history.add("run")
        history.add("show")
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("cannot write the history file \(folder)/allspark/history") == true)
        #expect(history.entries == ["run", "show"], "the session's history is still kept in memory")
    }

    @Test func outputIsCollectedAsLinesAndStreamedAsItComes() {
        var streamed = ""
        let out = OutputWriter { streamed += $0 }
        out.line("first")
        out.text("generation: ")
        out.text("Hello")
        out.text(", world\nsecond line")
        out.line("after")          // ends the open line first
        out.text("tail\n")
        out.finishPartialLine()    // nothing open: no extra line
        #expect(out.lines == ["first", "generation: Hello, world", "second line", "after", "tail"])
        #expect(streamed == out.lines.joined(separator: "\n") + "\n")
    }
}

import AllSparkData
import Foundation
import Testing
@testable import AllSparkTUI

/// Tab completion, on a folder made for each test (samples index, files, subfolders).
struct CommandsCompletionTests {
    /// A temporary folder with `samples/rgb/index.json` listing two samples, and some files.
    final class Fixture {
        let root: String
        init() throws {
            root = NSTemporaryDirectory() + "allspark-completion-\(UUID().uuidString)"
            let rgb = root + "/samples/rgb"
            try FileManager.default.createDirectory(atPath: rgb, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: root + "/samples/rgb/more", withIntermediateDirectories: true)
            for file in ["beach.png", "river.png", ".hidden.png"] {
                FileManager.default.createFile(atPath: rgb + "/" + file, contents: Data())
            }
            try SampleCatalog(directory: rgb, entries: [
                .init(file: "river.png", source: "test", licence: "test", generated: true),
                .init(file: "beach.png", options: ["crop": "1"], source: "test", licence: "test", generated: true),
            ]).write()
        }
        deinit { try? FileManager.default.removeItem(atPath: root) }

        var completer: CommandCompleter { CommandCompleter(modality: .rgb, samplesDirectory: root + "/samples") }
    }

    let completer = CommandCompleter(modality: .rgb, samplesDirectory: "/nonexistent")

    func words(_ line: String, _ completer: CommandCompleter? = nil) -> [String] {
        (completer ?? self.completer).wordCompletion(for: line).candidates
    }

    @Test func commandNamesComplete() {
        #expect(words("") == CommandCatalog.names)
        #expect(words("s") == ["samples", "sample", "step", "show", "status", "save"])
        #expect(words("mod") == ["modality"])
        #expect(words("MOD") == ["modality"])
        #expect(words("xyz").isEmpty)
        #expect(completer.completions(for: "gen") == ["generate "])
    }

    @Test func argumentsCompleteByCommand() {
        #expect(words("modality ") == Modality.allCases.map(\.rawValue))
        #expect(words("modality r") == ["rgb"])
        #expect(words("modality  t") == ["text", "table", "trajectory"])
        #expect(words("run l") == ["language-model"])
        #expect(words("show ") == ["sample", "encoder", "bridge", "prompt", "sequence", "language-model", "head", "generation"])
        #expect(words("export h") == ["head"])
        #expect(words("prompt s") == ["save", "set"])
        #expect(words("help ge") == ["generate"])
        #expect(words("q ") == [], "quit takes nothing")
        #expect(words("compare ") == ["prompts", "samples"])
        #expect(words("compare prompts 1 2 --g") == ["--generate"])
        #expect(words("generate 12 --t") == ["--temp", "--top-k", "--top-p"])
        #expect(words("generate 12 ") == [], "no number to suggest")
        #expect(words("run head ") == [], "run takes one stage")
    }

    @Test func theWordStartIsWhereReadlineReplaces() {
        let completion = completer.wordCompletion(for: "modality  rg")
        #expect(completion.wordStart == 10)
        #expect(completion.word == "rg")
        #expect(completer.completions(for: "modality  rg") == ["modality  rgb "])
    }

    @Test func samplePathsComplete() throws {
        let fixture = try Fixture()
        let c = fixture.completer
        let folder = fixture.root + "/samples/rgb/"
        // Nothing typed: the listed samples, options included.
        #expect(words("sample ", c) == [folder + "beach.png#crop=1", folder + "river.png"].sorted())
        #expect(words("sample \(folder)", c) == [folder + "beach.png", folder + "index.json", folder + "more/", folder + "river.png"])
        #expect(words("sample \(folder)r", c) == [folder + "river.png"])
        #expect(words("sample \(folder).h", c) == [folder + ".hidden.png"], "hidden files when asked for")
        #expect(words("sample \(folder)m", c) == [folder + "more/"])
        #expect(c.completions(for: "sample \(folder)m") == ["sample \(folder)more/"], "no space after a folder")
        #expect(words("sample \(folder)river.png#", c) == [], "options are not paths")
        #expect(words("compare samples \(folder)b", c) == [folder + "beach.png"])
        #expect(words("compare samples 1 \(folder)b", c) == [folder + "beach.png"])
        #expect(words("compare prompts \(folder)b", c) == [], "prompts are not paths")
        #expect(words("export head \(fixture.root)/samples/", c) == [fixture.root + "/samples/rgb/"], "export writes into folders")
        #expect(words("save \(folder)ri", c) == [folder + "river.png"])
        #expect(words("sample /nonexistent-folder/x", c) == [])
    }

    @Test func commonPrefixNeverSplitsACharacter() {
        #expect(ReadlineCompletion.commonPrefix(["samples", "sample", "save"]) == "sa")
        #expect(ReadlineCompletion.commonPrefix(["run"]) == "run")
        #expect(ReadlineCompletion.commonPrefix(["a/é1", "a/è2"]) == "a/", "é and è share their first UTF-8 byte")
        #expect(ReadlineCompletion.commonPrefix([]) == "")
    }
}

import Foundation
import Testing
@testable import AllSpark
import AllSparkData

/// One prompt library: the configuration's user prompt directory is the one the model, the session
/// and saving use (the TUI's side is in AllSparkTUITests/PipelineControllerTests).
extension PipelineTests {
    @Test(.enabled(if: model != nil)) func theConfigurationsUserPromptDirectoryIsUsedEverywhere() throws {
        let directory = try PromptLibraryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "Which land cover is this, in one word?\n".write(toFile: directory + "/rgb.txt", atomically: true, encoding: .utf8)
        var configuration = try AllSparkConfiguration.load(path: "configs/allspark-tiny.json")
        configuration.promptUserDirectory = directory

        let library = try configuration.prompts(.rgb)
        #expect(library.prompts.last?.text == "Which land cover is this, in one word?")
        #expect(library.prompts.last?.origin == .user)
        #expect(try configuration.prompts(.rgb, includingUser: false).prompts.count == library.prompts.count - 1)

        let model = try AllSparkModel(configuration: configuration)
        #expect(try model.prompts(.rgb) == library)
        let session = try PipelineSession(model: model, modality: .rgb)
        #expect(session.prompts == library)
        try session.selectPrompt(number: library.prompts.count)
        #expect(session.promptText == "Which land cover is this, in one word?")

        // A prompt saved in the session lands in the same directory, and another modality's
        // library (chosen later) reads from there too.
        try session.select(modality: .sar)
        session.setPrompt(text: "Which vehicle is this?")
        try session.savePrompt()
        let saved = try String(contentsOfFile: directory + "/sar.txt", encoding: .utf8)
        #expect(saved == "Which vehicle is this?\n")
        #expect(try configuration.prompts(.sar).prompts.last?.text == "Which vehicle is this?")
    }
}

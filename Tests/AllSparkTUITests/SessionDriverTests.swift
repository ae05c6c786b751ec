import AllSparkData
import Foundation
import SparkLM
import Testing
@testable import AllSpark
@testable import AllSparkTUI

/// The real pipeline behind the interface: the tiny configuration and SmolLM2 (when it has been
/// downloaded; scripts/setup.sh does that). Runs in a second in release mode.
@Suite(.serialized) struct SessionDriverTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let gguf = root + "/models/SmolLM2-135M-Instruct.Q4_1.gguf"

    /// The tiny configuration with its relative paths made absolute (tests may run from anywhere).
    static func configuration() throws -> AllSparkConfiguration {
        var configuration = try AllSparkConfiguration.load(path: root + "/configs/allspark-tiny.json")
        configuration.languageModel.gguf = gguf
        for (modality, section) in configuration.modalities {
            var absolute = section
            absolute.prompts = root + "/" + section.prompts
            configuration.modalities[modality] = absolute
        }
        return configuration
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: gguf), "needs models/SmolLM2-135M-Instruct.Q4_1.gguf (scripts/setup.sh)"))
    func rgbRunsThroughEveryStageAndAPromptEditKeepsTheEncoder() throws {
        let driver = try SessionDriver(configuration: try Self.configuration(), modality: .rgb)
        let sample = SampleReference(path: Self.root + "/samples/rgb/aerial_town_river.jpg")
        var selection = PipelineSelection(modality: .rgb, sample: sample, prompt: "Describe this remote sensing image briefly",
                                          maxNewTokens: 2, settings: .greedy)
        try driver.apply(selection)
        let flag = CancellationFlag()
        var streamed = ""
        while try driver.runNext(cancel: flag, onText: { streamed += $0 }) != nil {}
        let snapshot = driver.snapshot()
        let trace = snapshot.trace
        #expect(trace.records.count == PipelineStage.allCases.count)
        // 64 × 64 input in 8 × 8 patches: 64 patch tokens and a CLS token, width 192 (allspark-tiny.json).
        #expect(trace.records[.encoder]?.outputShape == [65, 192])
        #expect(trace.records[.bridge]?.outputShape == [32, 576])
        if case .grid(let rows, let columns, let leading)? = trace.encoder?.output.layout {
            #expect((rows, columns, leading) == (8, 8, 1))
        } else {
            Issue.record("the rgb encoder's tokens are not laid out on a grid")
        }
        guard case .classification(let scores)? = trace.head?.prediction else { Issue.record("no classification"); return }
        #expect(scores.count == 8)
        #expect(abs(scores.reduce(0) { $0 + $1.probability } - 1) < 1e-3)
        #expect(trace.generation?.text == streamed)
        // Every token the views name has its piece.
        for token in trace.languageModel?.nextTokens ?? [] { #expect(snapshot.pieces[token.token] != nil) }
        #expect(snapshot.status.configuration == "allspark-tiny")
        #expect(snapshot.status.components.contains(ComponentStatus("encoder rgb", .untrained)))
        #expect(snapshot.prompts?.prompts.count ?? 0 >= 2)

        // A new prompt: the sample, encoder and bridge stay computed.
        selection.prompt = "Find a word that is most relevant to this remote sensing image"
        try driver.apply(selection)
        #expect(driver.nextStage == .prompt)
        #expect(driver.snapshot().trace.records[.encoder]?.seconds == trace.records[.encoder]?.seconds)
        // Fewer tokens: only the generation is forgotten.
        selection.prompt = "Describe this remote sensing image briefly"
        try driver.apply(selection)
        while try driver.runNext(cancel: flag, onText: { _ in }) != nil {}
        selection.maxNewTokens = 1
        try driver.apply(selection)
        #expect(driver.nextStage == .generation)
    }
}

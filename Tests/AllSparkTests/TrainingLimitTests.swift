import Foundation
import Testing
@testable import AllSpark
import AllSparkData

/// `allspark train --limit N` promises N samples. An infrared sample gives two training inputs
/// (its query pair and its matching gallery image), so the limit must count samples, not inputs.
struct TrainingLimitTests {
    @Test(.enabled(if: PipelineTests.model != nil)) func limitCountsSamplesNotTrainingInputs() throws {
        let model = try #require(PipelineTests.model)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("allspark-limit-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try InfraredPairGenerator().generate(count: 3, seed: 9, directory: directory)
        let components = try model.components(.infrared)
        let encoder = try #require(components.encoder as? any TrainableEncoder)
        let limited = try TrainingDataset.load(directory: directory, modality: .infrared, encoder: encoder, head: components.head.section,
                                               strict: true, limit: 2)
        #expect(limited.sampleCount == 2)
        #expect(limited.examples.count == 4 && limited.examples.map(\.variant) == [0, 1, 0, 1])
        let all = try TrainingDataset.load(directory: directory, modality: .infrared, encoder: encoder, head: components.head.section, strict: true)
        #expect(all.sampleCount == 3 && all.examples.count == 6)
    }
}

import Foundation
import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine
import SparkLM

/// The re-identification head ranks gallery images by the cosine between the query's pooled
/// embedding and each gallery image's, computed as branches of one batched pass. Here each gallery
/// image is instead run the slow, obvious way — its own whole sequence through the language model —
/// and the similarities must agree. Part of `PipelineTests`, whose model (and decoder, which serves
/// one caller at a time) it shares, so that the suite's serialisation covers it.
extension PipelineTests {
    @Test(.enabled(if: PipelineTests.model != nil)) func rankingEqualsSeparateRunsOfEveryGalleryImage() throws {
        let model = try #require(PipelineTests.model)
        let session = try PipelineSession(model: model, modality: .infrared)
        session.select(sample: try PipelineTests.firstSample(.infrared))
        try session.run(through: .head)
        guard case .reidentification(_, _, let ranking)? = session.trace.head?.prediction else {
            Issue.record("no re-identification prediction"); return
        }
        let sample = try #require(session.trace.sample)
        let components = try model.components(.infrared)
        let gallery = try #require(components.encoder as? any GalleryEncoder)
        let bridge = try #require(components.bridge)
        let lm = model.languageModel
        let pooling = model.configuration.headPooling(.infrared)
        let assembler = SequenceAssembler(tokenizer: lm.tokenizer, template: lm.template,
                                          systemPrompt: model.configuration.languageModel.systemPrompt, maximumLength: lm.maximumContext)
        let query = try #require(session.trace.head?.pooled.scalars)
        let images = try gallery.encodeGallery(sample)
        #expect(ranking.count == images.count)
        #expect(images.count >= 2)
        for (index, tokens) in images.enumerated() {
            let sequence = try assembler.assemble(.embeddings(bridge(tokens).tokens), prompt: session.promptText)
            let result = try lm.decoder.forward(sequence.inputs, cache: lm.makeCache(), capture: CaptureRequest(finalHiddenStates: true))
            let hidden = Tensor(shape: [sequence.count, lm.configuration.width], scalars: try #require(result.finalHiddenStates))
            let pooled = pooling.pool(hidden, modalityRange: sequence.range(of: .modality))
            let expected = HeadContext.cosine(query, pooled.scalars)
            let match = try #require(ranking.first { $0.index == index })
            #expect(abs(match.similarity - expected) < 1e-4, "gallery image \(index): \(match.similarity) vs \(expected)")
        }
        #expect(zip(ranking, ranking.dropFirst()).allSatisfy { $0.similarity >= $1.similarity })
    }
}

struct HeadPoolingConfigurationTests {
    /// The tiny configuration pools the re-identification head over the image positions; other
    /// heads keep the sequence's default.
    @Test func headPoolingOverridesTheSequenceDefault() throws {
        FileManager.default.changeCurrentDirectoryPath(PipelineTests.root.path)
        let configuration = try AllSparkConfiguration.load(path: "configs/allspark-tiny.json")
        #expect(configuration.headPooling(.infrared) == .modalityMean)
        #expect(configuration.headPooling(.rgb) == configuration.sequence.headPooling)
    }
}

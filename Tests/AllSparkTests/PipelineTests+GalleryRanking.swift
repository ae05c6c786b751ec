import Foundation
import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine
import SparkLM

/// Gallery ranking (`"querySequence": "alone"`): the query's sequence reads the query alone, each
/// gallery image's the image alone, and the gallery is ranked by the cosine of the head's
/// projections of their pooled states (the query's plus the query shift). Checked the slow, obvious way — every sequence run on its own through the inference
/// path — and in training: the step's similarities are those same cosines, its loss is their
/// cross-entropy computed here in Float64, and its gradients match central differences through
/// the whole model. Part of `PipelineTests` (one decoder at a time).
extension PipelineTests {
    /// The tiny configuration with infrared ranking its gallery from the query alone.
    static func galleryRankingModel() throws -> AllSparkModel {
        FileManager.default.changeCurrentDirectoryPath(root.path)
        var configuration = try AllSparkConfiguration.load(path: "configs/allspark-tiny.json")
        var section = try #require(configuration.modalities[.infrared])
        section.head.querySequence = .alone
        section.head.labels = nil
        section.head.identities = 16
        configuration.modalities[.infrared] = section
        let model = try AllSparkModel(configuration: configuration)
        // A query shift that is not zero, so that the tests see where it is added (after the
        // components are built, which puts the shift in the store).
        _ = try model.components(.infrared)
        var random = DeterministicRandom(seed: 5)
        try model.store.update(from: ["heads.infrared.query_shift": Tensor(shape: [16], scalars: (0..<16).map { _ in Float(random.normal() * 0.05) })])
        try model.rebuildComponents()
        return model
    }

    /// The head's embedding of a query's (`query`) or a gallery image's pooled state.
    static func embedded(_ pooled: [Float], model: AllSparkModel, query: Bool) throws -> [Float] {
        let head = try model.components(.infrared).head
        let state = Tensor(shape: [pooled.count], scalars: pooled)
        return try #require(query ? head.queryEmbedding(state) : head.logits(state)).scalars
    }

    /// The pooled state of one image's tokens through the bridge and the whole sequence, run alone.
    static func pooledAlone(_ tokens: Tensor, model: AllSparkModel, prompt: String) throws -> [Float] {
        let components = try model.components(.infrared)
        let bridge = try #require(components.bridge)
        let lm = model.languageModel
        let assembler = SequenceAssembler(tokenizer: lm.tokenizer, template: lm.template,
                                          systemPrompt: model.configuration.languageModel.systemPrompt, maximumLength: lm.maximumContext)
        let sequence = try assembler.assemble(.embeddings(bridge(tokens).tokens), prompt: prompt)
        let result = try lm.decoder.forward(sequence.inputs, cache: model.languageModelCache(.infrared),
                                            capture: CaptureRequest(finalHiddenStates: true))
        let hidden = Tensor(shape: [sequence.count, lm.configuration.width], scalars: try #require(result.finalHiddenStates))
        return HeadPooling.modalityMean.pool(hidden, modalityRange: sequence.range(of: .modality)).scalars
    }

    @Test(.enabled(if: PipelineTests.model != nil)) func galleryRankingComparesSeparateRunsOfQueryAndImages() throws {
        let model = try Self.galleryRankingModel()
        let session = try PipelineSession(model: model, modality: .infrared)
        session.select(sample: try PipelineTests.firstSample(.infrared))
        try session.run(through: .head)
        guard case .reidentification(let identities, let embedding, let ranking)? = session.trace.head?.prediction else {
            Issue.record("no re-identification prediction"); return
        }
        #expect(identities.isEmpty, "a gallery-ranking head's outputs are an embedding, not identities")
        let sample = try #require(session.trace.sample)
        let encoder = try #require(try model.components(.infrared).encoder as? InfraredEncoder)
        let queryTokens = try encoder.encode(sample).tokens
        #expect(queryTokens.shape == [encoder.rows * encoder.columns, encoder.specification.tokenShape[1]], "the query alone")
        #expect(encoder.specification.inputShape[0] == 1)
        let query = try Self.embedded(Self.pooledAlone(queryTokens, model: model, prompt: session.promptText), model: model, query: true)
        #expect(query.count == 16 && zip(query, embedding).allSatisfy { abs($0 - $1) < 1e-4 })
        let gallery = try encoder.encodeGallery(sample).map {
            try Self.embedded(Self.pooledAlone($0, model: model, prompt: session.promptText), model: model, query: false)
        }
        #expect(ranking.count == gallery.count && gallery.count >= 2)
        for (index, image) in gallery.enumerated() {
            let match = try #require(ranking.first { $0.index == index })
            #expect(abs(match.similarity - HeadContext.cosine(query, image)) < 1e-4, "gallery image \(index)")
        }
    }

    /// −log softmax(scale · similarities)[match], in Float64.
    static func rankingCrossEntropy(_ similarities: [Double], match: Int, scale: Double) -> Double {
        let logits = similarities.map { scale * $0 }
        let top = logits.max()!
        return top + log(logits.reduce(0) { $0 + exp($1 - top) }) - logits[match]
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        let dot = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        return dot / (a.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot() * b.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot())
    }

    /// Generated infrared samples of `galleryCount` gallery images in a fresh folder (the caller
    /// removes `directory`), read as gallery-ranking training examples.
    static func rankingData(_ model: AllSparkModel, galleryCount: Int, seed: UInt64) throws
        -> (directory: String, encoder: InfraredEncoder, data: TrainingDataset, catalog: SampleCatalog) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("allspark-ranking-\(UUID().uuidString)").path
        _ = try InfraredPairGenerator(galleryCount: galleryCount).generate(count: 2, seed: seed, directory: directory)
        let components = try model.components(.infrared)
        let encoder = try #require(components.encoder as? InfraredEncoder)
        let data = try TrainingDataset.load(directory: directory, modality: .infrared, encoder: encoder, head: components.head.section, strict: true)
        return (directory, encoder, data, try SampleCatalog.read(directory: directory))
    }

    @Test(.enabled(if: PipelineTests.model != nil)) func galleryRankingTrainsTheRankingItMeasures() throws {
        let model = try Self.galleryRankingModel()
        let (directory, encoder, data, catalog) = try Self.rankingData(model, galleryCount: 3, seed: 7)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(data.examples.count == 2)
        let prompt = "Find this person."
        let trainer = try ModalityTrainer(model: model, modality: .infrared, decoder: DecoderTrainer(decoder: model.languageModel.decoder),
                                          options: TrainingOptions())
        #expect(trainer.trainedModules == ["encoders.infrared", "bridges.infrared", "heads.infrared"])
        let result = try trainer.step(data.examples, prompt: prompt)
        #expect(result.headOutputs.shape == [2, 3])
        var expected = 0.0
        for (k, entry) in catalog.entries.enumerated() {
            let sample = try SampleLoaders.load(.infrared, catalog.reference(entry), catalog: catalog)
            guard case .galleryMatch(let match)? = sample.label else { Issue.record("no match in \(entry.file)"); return }
            #expect(data.examples[k].target == .classIndex(match))
            #expect(data.examples[k].input.shape == [4, 3, 128, 64], "the query, then the 3 gallery images")
            // Each similarity is the cosine of sequences run alone through the inference path.
            let query = try Self.embedded(Self.pooledAlone(encoder.encodeQuery(sample), model: model, prompt: prompt), model: model, query: true)
            let similarities = try encoder.encodeGallery(sample).map {
                Self.cosine(query, try Self.embedded(Self.pooledAlone($0, model: model, prompt: prompt), model: model, query: false))
            }
            for (index, similarity) in similarities.enumerated() {
                #expect(abs(Double(result.headOutputs[k, index]) - similarity) < 1e-4, "sample \(k), gallery image \(index)")
            }
            expected += Self.rankingCrossEntropy(similarities, match: match, scale: Double(ModalityTrainer.rankingScale)) / 2
        }
        #expect(abs(Double(result.loss) - expected) < 1e-3, "step \(result.loss), Float64 \(expected)")
        let names = result.gradients.keys.sorted()
        let irWeight = try #require(names.first { $0.hasPrefix("encoders.infrared.ir.") && $0.hasSuffix("conv1.weight") })
        let rgbWeight = try #require(names.first { $0.hasPrefix("encoders.infrared.rgb.") && $0.hasSuffix("conv2.weight") })
        try TrainingTests.checkGradients(trainer, data.examples, prompt: prompt,
                                         names: ["heads.infrared.query_shift", "heads.infrared.weight", "bridges.infrared.layers.0.attn.v.weight",
                                                 irWeight, rgbWeight], result: result)
    }

    @Test(.enabled(if: PipelineTests.model != nil)) func distillationPointsEachEmbeddingAtItsProjectedTokens() throws {
        let model = try Self.galleryRankingModel()
        let (directory, encoder, data, catalog) = try Self.rankingData(model, galleryCount: 2, seed: 9)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let prompt = "Find this person."
        let trainer = try ModalityTrainer(model: model, modality: .infrared, decoder: DecoderTrainer(decoder: model.languageModel.decoder),
                                          options: TrainingOptions(trainEncoder: false, distilEncoder: true))
        let result = try trainer.step(data.examples, prompt: prompt)
        // Float64, from separate runs: each image's embedding against the fixed projection of its tokens.
        var cosines: [Double] = []
        for entry in catalog.entries {
            let sample = try SampleLoaders.load(.infrared, catalog.reference(entry), catalog: catalog)
            let images = [(try encoder.encodeQuery(sample), true)] + (try encoder.encodeGallery(sample)).map { ($0, false) }
            for (tokens, isQuery) in images {
                let embedding = try Self.embedded(Self.pooledAlone(tokens, model: model, prompt: prompt), model: model, query: isQuery)
                let projection = ModalityTrainer.distillationProjection(outputs: embedding.count, inputs: tokens.count)
                let target = (0..<embedding.count).map { o in (0..<tokens.count).reduce(Float(0)) { $0 + projection.scalars[o * tokens.count + $1] * tokens.scalars[$1] } }
                cosines.append(Self.cosine(embedding, target))
            }
        }
        #expect(cosines.count == 6)
        let expected = 1 - cosines.reduce(0, +) / Double(cosines.count)
        #expect(abs(Double(result.loss) - expected) < 1e-4, "step \(result.loss), Float64 \(expected)")
        #expect(!result.gradients.keys.contains { $0.hasPrefix("encoders.") }, "the encoder is frozen: its tokens are the target")
        try TrainingTests.checkGradients(trainer, data.examples, prompt: prompt,
                                         names: ["heads.infrared.query_shift", "bridges.infrared.layers.0.attn.o.weight"], result: result)
    }

    @Test(.enabled(if: PipelineTests.model != nil)) func encoderOnlyRankingReadsTheEncodersTokens() throws {
        let model = try Self.galleryRankingModel()
        let (directory, encoder, data, catalog) = try Self.rankingData(model, galleryCount: 3, seed: 8)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let trainer = try ModalityTrainer(model: model, modality: .infrared, decoder: DecoderTrainer(decoder: model.languageModel.decoder),
                                          options: TrainingOptions(encoderOnly: true))
        #expect(trainer.trainedModules == ["encoders.infrared"])
        let result = try trainer.step(data.examples, prompt: "Find this person.")
        #expect(result.languageModelRows == 0)
        #expect(!trainer.decoder.hasDenseLayers, "the language model's dense copy is made only when a pass needs it")
        var expected = 0.0
        for (k, entry) in catalog.entries.enumerated() {
            let sample = try SampleLoaders.load(.infrared, catalog.reference(entry), catalog: catalog)
            guard case .galleryMatch(let match)? = sample.label else { Issue.record("no match in \(entry.file)"); return }
            let query = try encoder.encodeQuery(sample).scalars
            let similarities = try encoder.encodeGallery(sample).map { Self.cosine(query, $0.scalars) }
            for (index, similarity) in similarities.enumerated() {
                #expect(abs(Double(result.headOutputs[k, index]) - similarity) < 1e-5, "sample \(k), gallery image \(index)")
            }
            expected += Self.rankingCrossEntropy(similarities, match: match, scale: Double(ModalityTrainer.rankingScale)) / 2
        }
        #expect(abs(Double(result.loss) - expected) < 1e-4, "step \(result.loss), Float64 \(expected)")
        #expect(result.gradients.keys.allSatisfy { $0.hasPrefix("encoders.infrared.") })
        let rgbWeight = try #require(result.gradients.keys.sorted().first { $0.hasPrefix("encoders.infrared.rgb.") && $0.hasSuffix("conv1.weight") })
        try TrainingTests.checkGradients(trainer, data.examples, prompt: "Find this person.", names: [rgbWeight], result: result)
    }
}

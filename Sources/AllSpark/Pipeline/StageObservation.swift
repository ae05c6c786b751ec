import AllSparkData
import Foundation
import SparkEngine
import SparkLM

/// What the screens show about each stage, read from the stage's results after `ModelForward`
/// computed them: shapes, statistics, token norms, the language lens of the bridge tokens, the
/// logit lens, the next-token candidates, and a one-line note. Nothing here changes a result.
struct StageObservation {
    let model: AllSparkModel
    let modality: Modality
    /// How many next-token candidates the language-model stage keeps.
    let topK: Int

    func sample(_ sample: Sample, from reference: SampleReference) -> StageRecord {
        let (shapes, summary) = Self.describe(sample.content)
        let origin = sample.provenance.origin
        return StageRecord(stage: .sample, seconds: 0, shapes: shapes, summary: summary,
                           note: "\(sample.content.kindName) from \(reference.text) (\(origin); \(sample.provenance.licence))"
                               + (sample.conversion.map { "; \($0)" } ?? ""), provenance: nil)
    }

    func encoder(_ output: EncoderOutput) throws -> (EncoderStage, StageRecord) {
        let components = try model.components(modality)
        let provenance = components.encoderProvenance ?? model.provenanceLines(for: modality)[0].provenance
        let stage = EncoderStage(output: output, tokenNorms: Self.rowNorms(output.tokens), provenance: provenance)
        let note = modality.usesTokenizer ? "\(output.tokens.shape[0]) tokens from the tokenizer, embedded by the language model"
                                          : (components.encoder?.specification.summary ?? "")
        return (stage, StageRecord(stage: .encoder, seconds: 0,
                                   shapes: [NamedShape("tokens", output.tokens.shape), NamedShape("input", output.input.shape)],
                                   summary: TensorSummary(output.tokens), note: note, provenance: provenance))
    }

    /// Text and code skip the bridge.
    func bridgeNotUsed() -> StageRecord {
        StageRecord(stage: .bridge, seconds: 0, shapes: [], summary: nil,
                    note: "not used: \(modality.rawValue) tokens enter the language model directly", provenance: nil)
    }

    func bridge(tokens: Tensor, attention: [Tensor], encoderTokens: Int) throws -> (BridgeStage, StageRecord) {
        let components = try model.components(modality)
        let neighbours = model.languageLens().nearest((0..<tokens.shape[0]).map { tokens[row: $0].scalars }, k: 5)
        let stage = BridgeStage(tokens: tokens, attention: attention, languageLens: neighbours,
                                provenance: components.bridgeProvenance ?? .untrained(seed: model.store.seed))
        let section = components.bridge.map { "\($0.section.queries) queries × \($0.section.depth) layers" } ?? ""
        return (stage, StageRecord(stage: .bridge, seconds: 0,
                                   shapes: [NamedShape("tokens", tokens.shape), NamedShape("attention", attention.first?.shape ?? [])],
                                   summary: TensorSummary(tokens), note: "Lynx resampler: \(section) over \(encoderTokens) tokens",
                                   provenance: components.bridgeProvenance))
    }

    func prompt(_ text: String, number: Int?, library: PromptLibrary, ids: [Int32]) -> (PromptStage, StageRecord) {
        let tokenizer = model.languageModel.tokenizer
        let origin = number.flatMap { n in library.prompts.indices.contains(n - 1) ? library.prompts[n - 1].origin : nil }
        let stage = PromptStage(text: text, number: number, origin: origin, tokenIds: ids, pieces: ids.map { tokenizer.piece($0) })
        let which = number.map { "prompt \($0) of \(library.prompts.count)" } ?? "typed prompt"
        return (stage, StageRecord(stage: .prompt, seconds: 0, shapes: [NamedShape("ids", [ids.count])], summary: nil,
                                   note: "\(which), \(ids.count) tokens", provenance: nil))
    }

    func sequence(_ sequence: AssembledSequence) -> StageRecord {
        let layout = sequence.segments.map { "\($0.kind.rawValue) \($0.length)" }.joined(separator: " | ")
        return StageRecord(stage: .sequence, seconds: 0,
                           shapes: [NamedShape("positions", [sequence.count, model.languageModel.configuration.width])],
                           summary: nil, note: layout, provenance: nil)
    }

    /// Residual norms per layer, the logit lens at the last position, the next-token candidates.
    func languageModel(_ sequence: AssembledSequence, _ result: ForwardResult) -> (LanguageModelStage, StageRecord) {
        let lm = model.languageModel
        let width = lm.configuration.width
        let hidden = result.hiddenStates ?? []
        let norms = hidden.map { layer in Self.rowNorms(Tensor(shape: [sequence.count, width], scalars: layer)) }
        let lastRows = hidden.dropFirst().map { Array($0[((sequence.count - 1) * width)...]) }
        let lensLogits = lm.decoder.logitLens(residuals: lastRows)
        let lens = EngineThreads.map(lensLogits.count) { Sampler<SeededRandomGenerator>.topProbabilities(lensLogits[$0], k: 1)[0] }
        let final = Tensor(shape: [sequence.count, width], scalars: result.finalHiddenStates ?? [])
        let stage = LanguageModelStage(
            residualNorms: norms, logitLens: lens,
            nextTokens: Sampler<SeededRandomGenerator>.topProbabilities(result.logits, k: topK),
            finalHiddenStates: final, lastLogits: result.logits,
            provenance: .pretrained(source: "\(lm.displayName) (\(lm.path))"), adapterProvenance: (try? model.adapters(modality))?.provenance ?? model.adapterProvenance)
        let top = stage.nextTokens.first.map { "next token \(PieceText.quoted(lm.tokenizer.piece($0.token))) \(String(format: "%.0f%%", $0.probability * 100))" } ?? ""
        let numerics = lm.decoder.numerics == .reference ? "Float32 reference" : "llama.cpp-compatible"
        return (stage, StageRecord(stage: .languageModel, seconds: 0,
                                   shapes: [NamedShape("hidden", final.shape), NamedShape("logits", [result.logits.count])],
                                   summary: TensorSummary(final),
                                   note: "\(lm.configuration.layerCount) layers over \(sequence.count) positions (\(numerics) numerics); \(top)",
                                   provenance: .pretrained(source: lm.displayName)))
    }

    func head(_ result: HeadResult) throws -> (HeadStage, StageRecord) {
        let components = try model.components(modality)
        let stage = HeadStage(pooling: result.pooling, pooled: result.pooled, outputs: result.outputs,
                              prediction: result.prediction, provenance: components.headProvenance)
        return (stage, StageRecord(stage: .head, seconds: 0, shapes: [NamedShape("output", components.head.section.outputShape)],
                                   summary: result.outputs.map { TensorSummary($0) },
                                   note: Self.describe(result.prediction), provenance: components.headProvenance))
    }

    func generation(_ text: String, _ result: GenerationResult, pieces: [String],
                    settings: SamplingSettings, head: HeadStage?) -> (GenerationStage, StageRecord) {
        let reading = AnswerReading(answer: text, head: head)
        let stage = GenerationStage(text: text, tokens: result.tokens, pieces: pieces, settings: settings,
                                    stopReason: result.stopReason, tokensPerSecond: result.decodeTokensPerSecond,
                                    candidates: result.candidates, reading: reading)
        let rate = String(format: "%.1f", result.decodeTokensPerSecond)
        return (stage, StageRecord(stage: .generation, seconds: 0, shapes: [NamedShape("tokens", [result.tokens.count])], summary: nil,
                                   note: "\(result.tokens.count) tokens, \(rate) tokens/s, \(result.stopReason.rawValue); \(settings.summary)"
                                       + (reading.map { "; \($0.summary)" } ?? ""),
                                   provenance: .pretrained(source: model.languageModel.displayName)))
    }

    // MARK: - Descriptions

    static func rowNorms(_ t: Tensor) -> [Float] {
        guard t.rank == 2 else { return [] }
        let width = t.shape[1]
        return (0..<t.shape[0]).map { r in
            var s: Float = 0
            for v in t.scalars[(r * width)..<((r + 1) * width)] { s += v * v }
            return s.squareRoot()
        }
    }

    /// Shapes and statistics of a sample's main tensor.
    static func describe(_ content: SampleContent) -> ([NamedShape], TensorSummary?) {
        func t(_ name: String, _ tensor: Tensor) -> ([NamedShape], TensorSummary?) { ([NamedShape(name, tensor.shape)], TensorSummary(tensor)) }
        switch content {
        case .text(let s), .code(let s, _): return ([NamedShape("characters", [s.count])], nil)
        case .image(let x), .sar(let x): return t("image", x)
        case .multispectral(let x, _, _): return t("bands", x)
        case .spectrum(let x, _): return t("spectrum", x)
        case .tableRow(let columns, _): return ([NamedShape("columns", [columns.count])], nil)
        case .trajectory(let observed, _): return t("observed", observed)
        case .infrared(let query, let gallery, _): return ([NamedShape("query", query.shape), NamedShape("gallery", [gallery.count])], TensorSummary(query))
        case .graph(let series, _, _, _): return t("series", series)
        case .oblique(let views, _): return ([NamedShape("views", [views.count] + (views.first?.shape ?? []))], views.first.map { TensorSummary($0) })
        case .video(let x, _): return t("frames", x)
        case .pointCloud(let x, _): return t("points", x)
        }
    }

    /// One line for a prediction ("forest 31% (untrained)").
    static func describe(_ prediction: Prediction) -> String {
        switch prediction {
        case .classification(let scores):
            return scores.prefix(3).map { "\($0.label) \(String(format: "%.0f%%", $0.probability * 100))" }.joined(separator: ", ")
        case .regression(let values, let target, let unit):
            return values.map { "\(target) \(String(format: "%.2f", $0)) \(unit)" }.joined(separator: ", ")
        case .trajectory(let points):
            let last = points.shape[0] - 1
            return "\(points.shape[0]) future positions, last (\(String(format: "%.2f", points[last, 0])), \(String(format: "%.2f", points[last, 1])))"
        case .series(let values, let unit):
            return "\(values.shape[0]) nodes × \(values.shape[1]) steps, mean \(String(format: "%.2f", TensorSummary(values).mean)) \(unit)"
        case .reidentification(_, _, let ranking):
            return ranking.first.map { "best gallery match: \($0.name) (cosine \(String(format: "%.3f", $0.similarity)))" } ?? "no gallery"
        case .depth(let map):
            let s = TensorSummary(map)
            return "depth \(map.shape[0]) × \(map.shape[1]), \(String(format: "%.2f", s.min))…\(String(format: "%.2f", s.max))"
        case .generation:
            return "answered by the language model's generation"
        }
    }
}

/// Shows a token piece in quotes with control characters escaped.
enum PieceText {
    static func quoted(_ piece: String) -> String {
        "\"" + piece.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t") + "\""
    }
}

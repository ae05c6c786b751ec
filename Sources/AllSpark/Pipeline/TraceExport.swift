import AllSparkData
import Foundation
import SparkEngine
import SparkFormats
import SparkLM

/// The trace as JSON for scripts (`allspark run --json`, the REPL's `save`): every stage's shapes,
/// statistics, timing and provenance, and each stage's readable result. Tensors are left out (see
/// `tensors(of:)` and `allspark trace-export` for those, as `.npy`).
public struct TraceExport: Codable, Sendable {
    public struct Stage: Codable, Sendable {
        public var stage: String
        public var seconds: Double
        public var shapes: [NamedShape]
        public var summary: TensorSummary?
        public var note: String
        public var provenance: String?
        public var untrained: Bool
    }
    public struct SampleInfo: Codable, Sendable {
        public var path: String
        public var kind: String
        public var source: String
        public var licence: String
        public var generated: Bool
        public var label: String?
    }
    public struct Token: Codable, Sendable {
        public var id: Int32
        public var piece: String
        public var probability: Float?
    }
    public struct Segment: Codable, Sendable {
        public var kind: String
        public var start: Int
        public var length: Int
    }
    public struct PredictionInfo: Codable, Sendable {
        public var kind: String
        public var classes: [ClassScore]?
        public var values: [Float]?
        public var shape: [Int]?
        public var target: String?
        public var unit: String?
        public var ranking: [GalleryMatch]?
        public var untrained: Bool
    }
    /// What the configuration's checkpoint lacked (initialised from the seed) and held in vain
    /// (names nothing asked for) for this modality's components.
    public struct CheckpointInfo: Codable, Sendable {
        public var file: String
        public var missing: [String]
        public var unexpected: [String]
    }
    public struct GenerationInfo: Codable, Sendable {
        public var text: String
        public var tokens: [Token]
        public var tokensPerSecond: Double
        public var stopReason: String
        public var settings: SamplingSettings
        /// The class the answer names beside the head's (classification heads only).
        public var reading: AnswerReading?
    }

    public var program: String
    public var configuration: String
    public var modality: String
    public var stages: [Stage]
    public var sample: SampleInfo?
    public var prompt: [Token]?
    public var promptText: String?
    public var sequence: [Segment]?
    public var nextTokens: [Token]?
    public var logitLens: [Token]?
    public var bridgeLanguageLens: [[Token]]?
    public var prediction: PredictionInfo?
    public var generation: GenerationInfo?
    public var checkpoint: CheckpointInfo?

    public init(session: PipelineSession) {
        let trace = session.trace
        let tokenizer = session.model.languageModel.tokenizer
        func token(_ t: TokenProbability) -> Token { Token(id: t.token, piece: tokenizer.piece(t.token), probability: t.probability) }
        program = "\(AllSparkVersion.name) \(AllSparkVersion.version)"
        configuration = session.model.configuration.path
        modality = trace.modality.rawValue
        stages = PipelineStage.allCases.compactMap { s in
            trace.records[s].map {
                Stage(stage: s.identifier, seconds: $0.seconds, shapes: $0.shapes, summary: $0.summary, note: $0.note,
                      provenance: $0.provenance?.description, untrained: $0.provenance.map { !$0.isTrained } ?? false)
            }
        }
        sample = trace.sample.map { s in
            SampleInfo(path: s.path, kind: s.content.kindName, source: s.provenance.source, licence: s.provenance.licence,
                       generated: s.provenance.isGenerated, label: s.label.map(Self.describe))
        }
        promptText = trace.prompt?.text
        prompt = trace.prompt.map { p in zip(p.tokenIds, p.pieces).map { Token(id: $0, piece: $1, probability: nil) } }
        sequence = trace.sequence?.segments.map { Segment(kind: $0.kind.rawValue, start: $0.range.lowerBound, length: $0.length) }
        nextTokens = trace.languageModel?.nextTokens.map(token)
        logitLens = trace.languageModel?.logitLens.map(token)
        bridgeLanguageLens = trace.bridge?.languageLens.map { $0.map(token) }
        if let head = trace.head {
            let untrained = !(head.provenance?.isTrained ?? true)
            switch head.prediction {
            case .classification(let scores):
                prediction = PredictionInfo(kind: "classification", classes: scores, untrained: untrained)
            case .regression(let values, let target, let unit):
                prediction = PredictionInfo(kind: "regression", values: values, shape: [values.count], target: target, unit: unit, untrained: untrained)
            case .trajectory(let points):
                prediction = PredictionInfo(kind: "trajectory", values: points.scalars, shape: points.shape, untrained: untrained)
            case .series(let values, let unit):
                prediction = PredictionInfo(kind: "graph", values: values.scalars, shape: values.shape, unit: unit, untrained: untrained)
            case .reidentification(let identities, _, let ranking):
                prediction = PredictionInfo(kind: "reidentification", classes: identities, ranking: ranking, untrained: untrained)
            case .depth(let map):
                prediction = PredictionInfo(kind: "depth", values: map.scalars, shape: map.shape, untrained: untrained)
            case .generation:
                prediction = PredictionInfo(kind: "generation", untrained: false)
            }
        }
        checkpoint = session.model.checkpointReport(for: trace.modality).map {
            CheckpointInfo(file: $0.file, missing: $0.missing, unexpected: $0.unexpected)
        }
        generation = trace.generation.map { g in
            GenerationInfo(text: g.text, tokens: zip(g.tokens, g.pieces).map { Token(id: $0, piece: $1, probability: nil) },
                           tokensPerSecond: g.tokensPerSecond, stopReason: g.stopReason.rawValue, settings: g.settings,
                           reading: g.reading)
        }
    }

    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    static func describe(_ label: SampleLabel) -> String {
        switch label {
        case .className(let name): return name
        case .value(let v, let unit): return "\(v) \(unit)"
        case .futureTrajectory(let t): return "future trajectory \(t.shape)"
        case .futureSeries(let t): return "future series \(t.shape)"
        case .depthMap(let t): return "depth map \(t.shape)"
        case .galleryMatch(let i): return "gallery match \(i)"
        }
    }

    /// The tensors a stage keeps, by name, for `.npy` export.
    public static func tensors(of stage: PipelineStage, in trace: Trace) -> [(name: String, tensor: Tensor)] {
        switch stage {
        case .sample:
            guard let content = trace.sample?.content else { return [] }
            switch content {
            case .image(let x), .sar(let x), .trajectory(let x, _), .video(let x, _), .pointCloud(let x, _),
                 .multispectral(let x, _, _), .spectrum(let x, _), .graph(let x, _, _, _):
                return [("sample", x)]
            case .infrared(let q, let g, _): return [("query", q)] + g.enumerated().map { ("gallery_\($0.offset)", $0.element) }
            case .oblique(let views, _): return views.enumerated().map { ("view_\($0.offset)", $0.element) }
            case .text, .code, .tableRow: return []
            }
        case .encoder:
            guard let e = trace.encoder else { return [] }
            return [("input", e.output.input), ("tokens", e.output.tokens)] + e.output.extras.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        case .bridge:
            guard let b = trace.bridge else { return [] }
            return [("tokens", b.tokens)] + b.attention.enumerated().map { ("attention_layer\($0.offset)", $0.element) }
        case .prompt:
            guard let p = trace.prompt else { return [] }
            return [("ids", Tensor(shape: [p.tokenIds.count], scalars: p.tokenIds.map { Float($0) }))]
        case .sequence:
            guard let s = trace.sequence else { return [] }
            return [("token_ids", Tensor(shape: [s.count], scalars: s.tokenIds.map { $0.map { Float($0) } ?? -1 }))]
        case .languageModel:
            guard let l = trace.languageModel else { return [] }
            let layers = l.residualNorms.count, positions = l.residualNorms.first?.count ?? 0
            return [("final_hidden", l.finalHiddenStates),
                    ("logits", Tensor(shape: [l.lastLogits.count], scalars: l.lastLogits)),
                    ("residual_norms", Tensor(shape: [layers, positions], scalars: l.residualNorms.flatMap { $0 }))]
        case .head:
            guard let h = trace.head else { return [] }
            return [("pooled", h.pooled)] + (h.outputs.map { [("outputs", $0)] } ?? [])
        case .generation:
            guard let g = trace.generation else { return [] }
            return [("tokens", Tensor(shape: [g.tokens.count], scalars: g.tokens.map { Float($0) }))]
        }
    }

    /// Writes `tensors(of:in:)` as `<directory>/<stage>_<name>.npy`; returns the paths.
    public static func writeTensors(of stage: PipelineStage, in trace: Trace, to directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return try tensors(of: stage, in: trace).map { name, tensor in
            let path = (directory as NSString).appendingPathComponent("\(stage.identifier)_\(name).npy")
            try NPY.write(NumpyArray(shape: tensor.shape, floats: tensor.scalars), to: path)
            return path
        }
    }
}

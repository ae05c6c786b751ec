import AllSparkData
import SparkEngine
import SparkLM

/// A named shape, for the stage list ("tokens [65, 192]").
public struct NamedShape: Sendable, Equatable, Codable {
    public var name: String
    public var shape: [Int]
    public init(_ name: String, _ shape: [Int]) { self.name = name; self.shape = shape }
}

/// What every stage records: shapes, a one-line summary of its main output, wall time, and the
/// provenance of the component that produced it.
public struct StageRecord: Sendable {
    public var stage: PipelineStage
    public var seconds: Double
    public var shapes: [NamedShape]
    /// Statistics of the stage's main output tensor (nil when it has none, e.g. the prompt).
    public var summary: TensorSummary?
    /// One line saying what happened ("65 tokens × 192 from a 3 × 64 × 64 image").
    public var note: String
    public var provenance: Provenance?

    /// The stage's main output shape (the first named shape).
    public var outputShape: [Int]? { shapes.first?.shape }
}

public struct EncoderStage: Sendable {
    public var output: EncoderOutput
    /// ‖token‖ for every token, for the per-position norm view.
    public var tokenNorms: [Float]
    public var provenance: Provenance
}

public struct BridgeStage: Sendable {
    /// `[queries, D_llm]`
    public var tokens: Tensor
    /// Per layer, `[heads, queries, encoder tokens]`.
    public var attention: [Tensor]
    /// For each bridge token, the nearest vocabulary tokens by cosine similarity with the input
    /// embeddings (the "language lens"; `probability` holds the cosine).
    public var languageLens: [[TokenProbability]]
    public var provenance: Provenance
}

public struct PromptStage: Sendable {
    public var text: String
    /// 1-based number in the library, nil for a typed (unsaved) prompt.
    public var number: Int?
    public var origin: PromptLibrary.Origin?
    public var tokenIds: [Int32]
    public var pieces: [String]
}

public struct LanguageModelStage: Sendable {
    /// ‖residual‖ per layer (index 0 = the input embeddings) and position.
    public var residualNorms: [[Float]]
    /// Logit lens at the last position: the top token after each layer (index 0 = after layer 0).
    public var logitLens: [TokenProbability]
    /// The most likely next tokens after the sequence.
    public var nextTokens: [TokenProbability]
    /// Final-norm hidden states `[positions, D_llm]`.
    public var finalHiddenStates: Tensor
    public var lastLogits: [Float]
    public var provenance: Provenance
    public var adapterProvenance: Provenance?
}

public struct HeadStage: Sendable {
    public var pooling: HeadPooling
    /// The pooled hidden state `[D_llm]` the head reads.
    public var pooled: Tensor
    /// The linear layer's raw outputs (nil for generation).
    public var outputs: Tensor?
    public var prediction: Prediction
    public var provenance: Provenance?
}

public struct GenerationStage: Sendable {
    public var text: String
    public var tokens: [Int32]
    public var pieces: [String]
    public var settings: SamplingSettings
    public var stopReason: StopReason
    public var tokensPerSecond: Double
    /// Top candidates at each step.
    public var candidates: [[TokenProbability]]
    /// The class the answer names beside the head's (classification heads only).
    public var reading: AnswerReading?
}

/// Everything one run computed, stage by stage. A value: front ends copy it to display.
public struct Trace: Sendable {
    public var modality: Modality
    public var records: [PipelineStage: StageRecord] = [:]
    public var sample: Sample?
    public var encoder: EncoderStage?
    public var bridge: BridgeStage?
    public var prompt: PromptStage?
    public var sequence: AssembledSequence?
    public var languageModel: LanguageModelStage?
    public var head: HeadStage?
    public var generation: GenerationStage?

    public init(modality: Modality) { self.modality = modality }

    /// Drops the results of `stage` and every later stage.
    public mutating func clear(from stage: PipelineStage) {
        for s in PipelineStage.allCases where s >= stage { records[s] = nil }
        if stage <= .sample { sample = nil }
        if stage <= .encoder { encoder = nil }
        if stage <= .bridge { bridge = nil }
        if stage <= .prompt { prompt = nil }
        if stage <= .sequence { sequence = nil }
        if stage <= .languageModel { languageModel = nil }
        if stage <= .head { head = nil }
        generation = nil
    }

    public func isDone(_ stage: PipelineStage) -> Bool { records[stage] != nil }
}

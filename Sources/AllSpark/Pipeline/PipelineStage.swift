/// The stages of one run, in order. Each is computed once and cached; a new prompt recomputes from
/// `.prompt` on, a new sample (or modality) from `.sample`.
public enum PipelineStage: Int, CaseIterable, Sendable, Codable, Comparable {
    case sample, encoder, bridge, prompt, sequence, languageModel, head, generation

    public var title: String {
        switch self {
        case .sample: return "sample"
        case .encoder: return "encoder"
        case .bridge: return "bridge"
        case .prompt: return "prompt"
        case .sequence: return "sequence"
        case .languageModel: return "language model"
        case .head: return "head"
        case .generation: return "generation"
        }
    }

    /// The identifier used on the command line and in JSON ("language-model").
    public var identifier: String { title.replacingOccurrences(of: " ", with: "-") }

    public static func parse(_ text: String) -> PipelineStage? {
        allCases.first { $0.identifier == text.lowercased() || $0.title == text.lowercased() }
    }

    public static func < (a: PipelineStage, b: PipelineStage) -> Bool { a.rawValue < b.rawValue }
}

/// Why a stage stopped the run.
public struct PipelineError: Error, CustomStringConvertible, Sendable {
    public var stage: PipelineStage
    public var message: String
    public init(_ stage: PipelineStage, _ message: String) { self.stage = stage; self.message = message }
    public var description: String { "\(stage.title) stage: \(message)" }
}

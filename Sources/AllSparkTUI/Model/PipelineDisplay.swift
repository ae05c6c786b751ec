import AllSpark

extension PipelineStage {
    /// What the stage's detail view shows, for the pane before the stage has run.
    public var explanation: String {
        switch self {
        case .sample: return "the loaded sample: its preview, file, source and licence, and its tensor's shape and statistics"
        case .encoder: return "the modality encoder's tokens (N tokens of width D): statistics, a heat map, and each token's norm laid out on the input"
        case .bridge: return "the Lynx bridge's query tokens in the language model's width, each query's attention over the encoder tokens, and the nearest vocabulary words of each query (the language lens)"
        case .prompt: return "the prompt's tokens as pieces with their ids"
        case .sequence: return "the assembled chat sequence: which positions hold the system text, the modality tokens, the prompt and the assistant turn"
        case .languageModel: return "the residual stream's norm at every layer, the logit lens at the last position and the most likely next tokens"
        case .head: return "the task head's prediction: classes, values, a trajectory, a depth map or a gallery ranking"
        case .generation: return "the generated answer, streamed token by token, with its speed and the sampling settings"
        }
    }
}

public struct StageRow: Equatable, Sendable {
    public enum State: Equatable, Sendable { case pending, current, done, failed }
    public var stage: PipelineStage
    public var state: State
    /// The output shape, e.g. [32, 576].
    public var shape: [Int]?
    public var seconds: Double?

    public init(stage: PipelineStage, state: State = .pending, shape: [Int]? = nil, seconds: Double? = nil) {
        self.stage = stage; self.state = state; self.shape = shape; self.seconds = seconds
    }

    public static var allPending: [StageRow] { PipelineStage.allCases.map { StageRow(stage: $0) } }

    /// "32 × 576"; dimensions unknown until run (negative) as "n".
    public static func shapeText(_ shape: [Int], times: String = "×") -> String {
        shape.map { $0 < 0 ? "n" : String($0) }.joined(separator: " \(times) ")
    }
}

/// Where an active component's weights come from. Untrained components are shown in the warning
/// style everywhere: their outputs are not predictions.
public enum ComponentProvenance: String, Sendable {
    case pretrained, checkpoint, untrained
}

public struct ComponentStatus: Equatable, Sendable {
    public var name: String
    public var provenance: ComponentProvenance
    public init(_ name: String, _ provenance: ComponentProvenance) { self.name = name; self.provenance = provenance }
}

/// The status line's content besides the program name and version.
public struct StatusInfo: Equatable, Sendable {
    public var configuration: String?
    public var languageModel: String?
    public var components: [ComponentStatus]
    /// Shown when nothing is loaded yet ("loading the model", "model not loaded").
    public var note: String?

    public init(configuration: String? = nil, languageModel: String? = nil, components: [ComponentStatus] = [], note: String? = nil) {
        self.configuration = configuration; self.languageModel = languageModel; self.components = components; self.note = note
    }
}

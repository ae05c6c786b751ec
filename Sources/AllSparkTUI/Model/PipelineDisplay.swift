/// The pipeline as the interface shows it. Phase 2 fills these from the pipeline's trace;
/// until then every stage is pending.
public enum StageKind: String, CaseIterable, Sendable {
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

    /// What the stage's detail view will show, for the placeholder.
    public var explanation: String {
        switch self {
        case .sample: return "the loaded sample, its tensor shape and statistics"
        case .encoder: return "the modality encoder's tokens (N tokens of width D), their statistics and a heat map"
        case .bridge: return "the Lynx bridge's 32 query tokens in the language model's width"
        case .prompt: return "the prompt and its token pieces"
        case .sequence: return "the assembled chat sequence: which positions hold modality tokens and which text"
        case .languageModel: return "hidden states by layer, attention and the next-token distribution"
        case .head: return "the task head's prediction, with the component's provenance"
        case .generation: return "the generated answer, token by token, with timings"
        }
    }
}

public struct StageRow: Equatable, Sendable {
    public enum State: Equatable, Sendable { case pending, current, done, failed }
    public var kind: StageKind
    public var state: State
    /// The output shape, e.g. "32 × 576".
    public var shape: String?
    public var seconds: Double?

    public init(kind: StageKind, state: State = .pending, shape: String? = nil, seconds: Double? = nil) {
        self.kind = kind; self.state = state; self.shape = shape; self.seconds = seconds
    }

    public static var allPending: [StageRow] { StageKind.allCases.map { StageRow(kind: $0) } }
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
    /// Shown when nothing is loaded yet.
    public var note: String?

    public init(configuration: String? = nil, languageModel: String? = nil, components: [ComponentStatus] = [], note: String? = nil) {
        self.configuration = configuration; self.languageModel = languageModel; self.components = components; self.note = note
    }

    public static let notWired = StatusInfo(note: "pipeline not wired yet")
}

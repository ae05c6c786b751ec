import AllSpark
import AllSparkData
import SparkLM

/// What the interface has chosen: the pipeline runs on exactly this. The main thread builds one
/// from the panes; a job hands it to the driver, which brings its session up to date (invalidating
/// only what changed) before running anything.
public struct PipelineSelection: Equatable, Sendable {
    public var modality: Modality
    public var sample: SampleReference?
    public var prompt: String
    public var maxNewTokens: Int
    public var settings: SamplingSettings

    public init(modality: Modality, sample: SampleReference?, prompt: String, maxNewTokens: Int, settings: SamplingSettings) {
        self.modality = modality; self.sample = sample; self.prompt = prompt
        self.maxNewTokens = maxNewTokens; self.settings = settings
    }

    /// The first stage whose result `other` would change: a new modality or sample changes
    /// everything, a new prompt everything from the prompt on, new generation settings only the
    /// generation. nil when they are the same.
    public func firstStageChanged(comparedWith other: PipelineSelection) -> PipelineStage? {
        if modality != other.modality || sample != other.sample { return .sample }
        if prompt != other.prompt { return .prompt }
        if maxNewTokens != other.maxNewTokens || settings != other.settings { return .generation }
        return nil
    }
}

/// Everything the interface draws about the pipeline, copied on the job thread so the main thread
/// never touches the session, the model or the tokenizer.
public struct PipelineSnapshot: Sendable {
    /// What the session had selected when this was taken: results are valid for this only.
    public var selection: PipelineSelection
    public var trace: Trace
    /// Vocabulary pieces of every token id the trace mentions (next tokens, lenses, candidates).
    public var pieces: [Int32: String]
    public var status: StatusInfo
    /// The modality's prompts as the session has them (user prompts included).
    public var prompts: PromptLibrary?
    /// Provenance of every active component, one line each, for the stage views.
    public var provenance: [ComponentProvenanceLine]

    public init(selection: PipelineSelection, trace: Trace, pieces: [Int32: String], status: StatusInfo,
                prompts: PromptLibrary?, provenance: [ComponentProvenanceLine]) {
        self.selection = selection; self.trace = trace; self.pieces = pieces; self.status = status
        self.prompts = prompts; self.provenance = provenance
    }

    /// The piece of `token`, quoted with whitespace made visible ("\"▁the\"" style is left to views).
    public func piece(_ token: Int32) -> String { pieces[token] ?? "#\(token)" }
}

public struct ComponentProvenanceLine: Sendable, Equatable {
    public var component: String
    public var provenance: Provenance
    public init(component: String, provenance: Provenance) { self.component = component; self.provenance = provenance }
}

/// What a comparison runs: two prompts on the current sample, or the current prompt on two samples.
public enum ComparisonRequest: Equatable, Sendable {
    case prompts(String, String)
    case samples(SampleReference, SampleReference)
}

/// Two runs side by side, as the comparison view shows them.
public struct RunComparison: Sendable {
    public struct Side: Sendable {
        public var label: String
        public var trace: Trace
        public init(label: String, trace: Trace) { self.label = label; self.trace = trace }
    }
    public var request: ComparisonRequest
    public var a: Side
    public var b: Side
    /// One line per difference found, from the pipeline's own comparison.
    public var differences: [String]
    public var pieces: [Int32: String]

    public init(request: ComparisonRequest, a: Side, b: Side, differences: [String], pieces: [Int32: String]) {
        self.request = request; self.a = a; self.b = b; self.differences = differences; self.pieces = pieces
    }

    public func piece(_ token: Int32) -> String { pieces[token] ?? "#\(token)" }
}

/// The pipeline as the interface drives it. Every call happens on a background job thread, one
/// job at a time (the `JobRunner` guarantees that), so implementations need no locking.
/// `SessionDriver` runs the real model; tests drive the interface with scripted drivers.
/// Runs go through `StageRunning.run(through:limit:cancel:observer:)`, the loop `allspark run` and
/// the REPL use too.
public protocol PipelineDriver: StageRunning {
    /// Brings the session up to `selection`, forgetting only the results it changes.
    /// Throws when the modality cannot be used (not in the configuration, no prompts).
    func apply(_ selection: PipelineSelection) throws
    func invalidate(from stage: PipelineStage)
    /// Saves the selected prompt as a user prompt of the modality.
    func savePrompt() throws
    func compare(_ request: ComparisonRequest, cancel: CancellationFlag) throws -> RunComparison
    func snapshot() -> PipelineSnapshot
    /// Carries out one command of the REPL's language (`CommandCatalog`) on the session, streaming
    /// its text through `onText`: the TUI's `:` line and `allspark repl` share it.
    func interpret(_ line: String, samplesDirectory: String, cancel: CancellationFlag, onText: @escaping (String) -> Void) throws -> CommandOutput
}

extension PipelineDriver {
    /// Drivers without a session (the tests' scripted ones) have no command language.
    public func interpret(_ line: String, samplesDirectory: String, cancel: CancellationFlag, onText: @escaping (String) -> Void) throws -> CommandOutput {
        throw InterpreterError("'\(line)' needs the real model; this pipeline is scripted")
    }
}

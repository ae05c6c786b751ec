import AllSpark
import AllSparkData
import SparkLM

/// The real pipeline: an `AllSparkModel` and a `PipelineSession` on it. Built on a job thread
/// (loading the language model takes about a second) and used only from job threads afterwards.
public final class SessionDriver: PipelineDriver {
    public let session: PipelineSession

    /// Loads the model of `configuration` and opens a session on `modality` (falling back to the
    /// first configured modality when that one is not configured, so the model still loads).
    public init(configuration: AllSparkConfiguration, modality: Modality) throws {
        let model = try AllSparkModel(configuration: configuration)
        let start = configuration.modalities[modality] != nil ? modality
            : (Modality.allCases.first { configuration.modalities[$0] != nil } ?? modality)
        session = try PipelineSession(model: model, modality: start)
    }

    public func apply(_ selection: PipelineSelection) throws {
        if session.modality != selection.modality { try session.select(modality: selection.modality) }
        if let sample = selection.sample, session.sampleReference != sample { session.select(sample: sample) }
        if session.promptText != selection.prompt { session.setPrompt(text: selection.prompt) }
        if session.maxNewTokens != selection.maxNewTokens || session.generationSettings != selection.settings {
            session.maxNewTokens = selection.maxNewTokens
            session.generationSettings = selection.settings
            session.invalidate(from: .generation)
        }
    }

    public var nextStage: PipelineStage? { session.nextStage }

    public func runNext(cancel: CancellationFlag?, onText: (String) -> Void) throws -> PipelineStage? {
        try session.runNext(cancel: cancel, onText: onText)
    }

    public func invalidate(from stage: PipelineStage) { session.invalidate(from: stage) }

    public func savePrompt() throws { try session.savePrompt() }

    public func compare(_ request: ComparisonRequest, cancel: CancellationFlag) throws -> RunComparison {
        let comparison: Comparison
        switch request {
        case .prompts(let first, let second): comparison = try session.compare(prompts: first, second, cancel: cancel)
        case .samples(let first, let second): comparison = try session.compare(samples: first, second, cancel: cancel)
        }
        let tokenizer = session.model.languageModel.tokenizer
        return RunComparison(request: request,
                                a: .init(label: comparison.a.label, trace: comparison.a.trace),
                                b: .init(label: comparison.b.label, trace: comparison.b.trace),
                                differences: comparison.differences(tokenizer: tokenizer),
                                pieces: Self.pieces(of: [comparison.a.trace, comparison.b.trace], tokenizer: tokenizer))
    }

    public func interpret(_ line: String, samplesDirectory: String, cancel: CancellationFlag,
                          onText: @escaping (String) -> Void) throws -> CommandOutput {
        try CommandInterpreter(session: session, samplesDirectory: samplesDirectory).execute(line, cancel: cancel, onText: onText)
    }

    public func snapshot() -> PipelineSnapshot {
        let model = session.model
        let lines = model.provenanceLines(for: session.modality).map { ComponentProvenanceLine(component: $0.component, provenance: $0.provenance) }
        let selection = PipelineSelection(modality: session.modality, sample: session.sampleReference, prompt: session.promptText,
                                          maxNewTokens: session.maxNewTokens, settings: session.generationSettings)
        return PipelineSnapshot(selection: selection, trace: session.trace,
                                pieces: Self.pieces(of: [session.trace], tokenizer: model.languageModel.tokenizer),
                                status: Self.status(configuration: model.configuration.name, languageModel: model.languageModel.displayName,
                                                    lines: lines),
                                prompts: session.prompts, provenance: lines)
    }

    /// The status line: the configuration, the language model, and each component's provenance
    /// (the language model itself is listed as the LM field, not again as a component).
    static func status(configuration: String, languageModel: String, lines: [ComponentProvenanceLine]) -> StatusInfo {
        StatusInfo(configuration: configuration, languageModel: languageModel,
                   components: lines.filter { $0.component != "language model" }.map {
                       ComponentStatus($0.component, ComponentProvenance($0.provenance))
                   })
    }

    /// The pieces of every token id the views may show.
    static func pieces(of traces: [Trace], tokenizer: BPETokenizer) -> [Int32: String] {
        var ids = Set<Int32>()
        for trace in traces {
            if let lm = trace.languageModel {
                lm.nextTokens.forEach { ids.insert($0.token) }
                lm.logitLens.forEach { ids.insert($0.token) }
            }
            trace.bridge?.languageLens.forEach { $0.forEach { ids.insert($0.token) } }
            if let generation = trace.generation {
                generation.tokens.forEach { ids.insert($0) }
                generation.candidates.forEach { $0.forEach { ids.insert($0.token) } }
            }
            for id in trace.sequence?.tokenIds ?? [] { if let id { ids.insert(id) } }
        }
        var pieces: [Int32: String] = [:]
        for id in ids { pieces[id] = tokenizer.piece(id) }
        return pieces
    }
}

extension ComponentProvenance {
    /// Partly untrained counts as untrained: some of its numbers come from no training at all.
    init(_ provenance: Provenance) {
        switch provenance {
        case .pretrained: self = .pretrained
        case .checkpoint: self = .checkpoint
        case .partial, .untrained: self = .untrained
        }
    }
}

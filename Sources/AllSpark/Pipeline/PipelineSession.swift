import AllSparkData
import Foundation
import SparkEngine
import SparkLM

/// Runs the model on one sample and prompt, one stage at a time, keeping every result.
///
/// The session computes nothing itself: `ModelForward` computes each stage, `StageObservation`
/// reads what the screens show from the result. The session holds the choices (modality,
/// sample, prompt, generation settings), the results in `trace` and the language model's cache.
/// Results are cached in `trace`; selecting another sample (or modality) clears everything,
/// another prompt clears from the prompt stage on, so a prompt edit never re-runs the encoder.
/// Not thread-safe: one caller at a time (the TUI runs it on a background job and reads `trace`
/// copies).
public final class PipelineSession: StageRunning, @unchecked Sendable {
    public let model: AllSparkModel
    public private(set) var modality: Modality
    public private(set) var sampleReference: SampleReference?
    /// The prompt the next prompt stage uses; defaults to the modality's first prompt.
    public private(set) var promptText: String
    public private(set) var promptNumber: Int?
    public var generationSettings = SamplingSettings.greedy
    public var maxNewTokens = 48
    /// How many candidates per step the language-model and generation stages keep.
    public var topK = 10
    public private(set) var trace: Trace
    /// The KV cache after the language-model stage (generation continues from it).
    private var cache: KVCache?
    private var promptLibrary: PromptLibrary

    public init(model: AllSparkModel, modality: Modality) throws {
        self.model = model
        self.modality = modality
        promptLibrary = try model.prompts(modality)
        promptText = promptLibrary.defaultPrompt.text
        promptNumber = 1
        trace = Trace(modality: modality)
    }

    // MARK: - Choices

    public var prompts: PromptLibrary { promptLibrary }

    public func select(modality newModality: Modality) throws {
        let library = try model.prompts(newModality)
        modality = newModality
        promptLibrary = library
        promptText = library.defaultPrompt.text
        promptNumber = 1
        sampleReference = nil
        trace = Trace(modality: newModality)
        cache = nil
    }

    public func select(sample reference: SampleReference) {
        sampleReference = reference
        invalidate(from: .sample)
    }

    /// Uses prompt `number` (1-based) of the modality's library.
    public func selectPrompt(number: Int) throws {
        let prompt = try promptLibrary.prompt(number: number)
        promptText = prompt.text
        promptNumber = number
        invalidate(from: .prompt)
    }

    /// Uses a typed prompt (the encoder and bridge results are kept).
    public func setPrompt(text: String) {
        promptText = text
        promptNumber = promptLibrary.prompts.firstIndex { $0.text == text }.map { $0 + 1 }
        invalidate(from: .prompt)
    }

    /// Saves the current prompt in the user's prompt file.
    public func savePrompt() throws {
        let labels = try model.configuration.section(modality).head.labels ?? []
        promptLibrary = try promptLibrary.saving(promptText, labels: labels)
        promptNumber = promptLibrary.prompts.firstIndex { $0.text == promptText }.map { $0 + 1 }
    }

    /// Runs `body` (which may choose other samples and prompts and run them), then puts the
    /// sample, the prompt, the results and the cache back as they were, even when it throws.
    func keepingSelection<T>(_ body: () throws -> T) rethrows -> T {
        let saved = (sampleReference, promptText, promptNumber, trace, cache)
        defer { (sampleReference, promptText, promptNumber, trace, cache) = saved }
        return try body()
    }

    /// Forgets the results of `stage` and later stages.
    public func invalidate(from stage: PipelineStage) {
        trace.clear(from: stage)
        if stage <= .languageModel { cache = nil }
    }

    // MARK: - Running

    /// The first stage not yet computed, nil when all are.
    public var nextStage: PipelineStage? { PipelineStage.allCases.first { !trace.isDone($0) } }

    /// Computes the next stage with `ModelForward`, keeps its result and what `StageObservation`
    /// reads from it, and returns the stage (nil when everything was done already). Runs of
    /// several stages go through `run(through:limit:cancel:observer:)` (`StageRunning`).
    @discardableResult
    public func runNext(cancel: CancellationFlag? = nil, onText: (String) -> Void = { _ in }) throws -> PipelineStage? {
        guard let stage = nextStage else { return nil }
        let start = DispatchTime.now().uptimeNanoseconds
        var record = try compute(stage, cancel: cancel, onText: onText)
        record.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if let summary = record.summary, summary.hasNonFinite {
            trace.clear(from: stage)
            throw PipelineError(stage, "produced \(summary.nanCount) NaN and \(summary.infCount) infinite values; the run stops here")
        }
        trace.records[stage] = record
        return stage
    }

    /// One stage: its inputs from the trace, its result from the model, its record from the
    /// observation.
    private func compute(_ stage: PipelineStage, cancel: CancellationFlag?, onText: (String) -> Void) throws -> StageRecord {
        let observe = StageObservation(model: model, modality: modality, topK: topK)
        switch stage {
        case .sample:
            guard let reference = sampleReference else {
                throw PipelineError(.sample, "no sample selected; choose one of samples/\(modality.rawValue)/ or give a path")
            }
            let sample = try model.loadSample(modality, reference)
            trace.sample = sample
            return observe.sample(sample, from: reference)
        case .encoder:
            let sample = try require(trace.sample, .encoder, "the sample stage has not run")
            let (result, record) = try observe.encoder(try model.encode(modality, sample))
            trace.encoder = result
            return record
        case .bridge:
            let encoder = try require(trace.encoder, .bridge, "the encoder stage has not run")
            guard let (tokens, attention) = try model.bridge(modality, encoder.output.tokens) else { return observe.bridgeNotUsed() }
            let (result, record) = try observe.bridge(tokens: tokens, attention: attention, encoderTokens: encoder.output.tokens.shape[0])
            trace.bridge = result
            return record
        case .prompt:
            let (result, record) = observe.prompt(promptText, number: promptNumber, library: promptLibrary,
                                                  ids: model.promptTokenIds(promptText))
            trace.prompt = result
            return record
        case .sequence:
            let prompt = try require(trace.prompt, .sequence, "the prompt stage has not run")
            let encoder = try require(trace.encoder, .sequence, "the encoder stage has not run")
            let modalityTokens: ModalityTokens
            if let ids = encoder.output.tokenIds {
                modalityTokens = .tokens(ids)
            } else {
                modalityTokens = .embeddings(try require(trace.bridge, .sequence, "the bridge stage has not run").tokens)
            }
            let sequence = try model.assemble(modalityTokens, prompt: prompt.text)
            trace.sequence = sequence
            return observe.sequence(sequence)
        case .languageModel:
            let sequence = try require(trace.sequence, .languageModel, "the sequence stage has not run")
            let (result, cache) = try model.runLanguageModel(modality, sequence)
            self.cache = cache
            let (stageResult, record) = observe.languageModel(sequence, result)
            trace.languageModel = stageResult
            return record
        case .head:
            let lmStage = try require(trace.languageModel, .head, "the language-model stage has not run")
            let sequence = try require(trace.sequence, .head, "the sequence stage has not run")
            let result = try model.predict(modality, finalHiddenStates: lmStage.finalHiddenStates, sequence: sequence,
                                           sample: trace.sample, cache: cache)
            let (stageResult, record) = try observe.head(result)
            trace.head = stageResult
            return record
        case .generation:
            let lmStage = try require(trace.languageModel, .generation, "the language-model stage has not run")
            let sequence = try require(trace.sequence, .generation, "the sequence stage has not run")
            guard let cache else { throw PipelineError(.generation, "the language model's cache is gone; re-run the language-model stage") }
            let (text, result, pieces) = try model.generate(after: sequence, lastLogits: lmStage.lastLogits, cache: cache,
                                                            settings: generationSettings, maxNewTokens: maxNewTokens,
                                                            cancel: cancel, onText: onText)
            let (stageResult, record) = observe.generation(text, result, pieces: pieces, settings: generationSettings, head: trace.head)
            trace.generation = stageResult
            return record
        }
    }

    private func require<T>(_ value: T?, _ stage: PipelineStage, _ problem: String) throws -> T {
        guard let value else { throw PipelineError(stage, problem) }
        return value
    }
}


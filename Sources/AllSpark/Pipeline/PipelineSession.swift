import AllSparkData
import Foundation
import SparkEngine
import SparkLM

/// Runs the model on one sample and prompt, one stage at a time, keeping every result.
///
/// Read top to bottom, the `run…` functions below are the whole AllSpark forward pass:
/// sample → encoder → bridge → prompt tokens → sequence → language model → head → generation.
/// Results are cached in `trace`; selecting another sample (or modality) clears everything,
/// another prompt clears from the prompt stage on, so a prompt edit never re-runs the encoder.
/// Not thread-safe: one caller at a time (the TUI runs it on a background job and reads `trace`
/// copies).
public final class PipelineSession: @unchecked Sendable {
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

    /// Forgets the results of `stage` and later stages.
    public func invalidate(from stage: PipelineStage) {
        trace.clear(from: stage)
        if stage <= .languageModel { cache = nil }
    }

    // MARK: - Running

    /// The first stage not yet computed, nil when all are.
    public var nextStage: PipelineStage? { PipelineStage.allCases.first { !trace.isDone($0) } }

    /// Computes the next stage; returns it (nil when everything was done already).
    @discardableResult
    public func runNext(cancel: CancellationFlag? = nil, onText: (String) -> Void = { _ in }) throws -> PipelineStage? {
        guard let stage = nextStage else { return nil }
        let start = DispatchTime.now().uptimeNanoseconds
        var record: StageRecord
        switch stage {
        case .sample: record = try runSample()
        case .encoder: record = try runEncoder()
        case .bridge: record = try runBridge()
        case .prompt: record = try runPrompt()
        case .sequence: record = try runSequence()
        case .languageModel: record = try runLanguageModel()
        case .head: record = try runHead()
        case .generation: record = try runGeneration(cancel: cancel, onText: onText)
        }
        record.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if let summary = record.summary, summary.hasNonFinite {
            trace.clear(from: stage)
            throw PipelineError(stage, "produced \(summary.nanCount) NaN and \(summary.infCount) infinite values; the run stops here")
        }
        trace.records[stage] = record
        return stage
    }

    /// Computes every stage up to and including `last`.
    public func run(through last: PipelineStage, cancel: CancellationFlag? = nil, onText: (String) -> Void = { _ in }) throws {
        while let stage = nextStage, stage <= last {
            try runNext(cancel: cancel, onText: onText)
            if cancel?.isCancelled == true { return }
        }
    }

    // MARK: - The stages, in order

    private func runSample() throws -> StageRecord {
        guard let reference = sampleReference else {
            throw PipelineError(.sample, "no sample selected; choose one of samples/\(modality.rawValue)/ or give a path")
        }
        let sample: Sample
        do { sample = try SampleLoaders.load(modality, reference) } catch {
            throw PipelineError(.sample, "\(error)")
        }
        trace.sample = sample
        let (shapes, summary) = Self.describe(sample.content)
        let origin = sample.provenance.isGenerated ? "generated" : "real"
        return StageRecord(stage: .sample, seconds: 0, shapes: shapes, summary: summary,
                           note: "\(sample.content.kindName) from \(reference.text) (\(origin); \(sample.provenance.licence))", provenance: nil)
    }

    private func runEncoder() throws -> StageRecord {
        let sample = try require(trace.sample, .encoder, "the sample stage has not run")
        let components = try model.components(modality)
        let output: EncoderOutput
        if modality.usesTokenizer {
            output = try tokenizerAsEncoder(sample)
        } else {
            let encoder = try require(components.encoder, .encoder, "no encoder for \(modality.rawValue)")
            do { output = try encoder.encode(sample) } catch { throw PipelineError(.encoder, "\(error)") }
        }
        let norms = Self.rowNorms(output.tokens)
        let provenance = components.encoderProvenance ?? model.provenanceLines(for: modality)[0].provenance
        trace.encoder = EncoderStage(output: output, tokenNorms: norms, provenance: provenance)
        return StageRecord(stage: .encoder, seconds: 0,
                           shapes: [NamedShape("tokens", output.tokens.shape), NamedShape("input", output.input.shape)],
                           summary: TensorSummary(output.tokens),
                           note: modality.usesTokenizer ? "\(output.tokens.shape[0]) tokens from the tokenizer, embedded by the language model"
                                                        : (components.encoder?.specification.summary ?? ""),
                           provenance: provenance)
    }

    private func runBridge() throws -> StageRecord {
        let encoder = try require(trace.encoder, .bridge, "the encoder stage has not run")
        let components = try model.components(modality)
        guard let bridge = components.bridge else {
            // Text and code go to the language model as they are.
            return StageRecord(stage: .bridge, seconds: 0, shapes: [], summary: nil,
                               note: "not used: \(modality.rawValue) tokens enter the language model directly", provenance: nil)
        }
        let (tokens, attention) = bridge(encoder.output.tokens)
        let lens = model.languageLens()
        let neighbours = lens.nearest((0..<tokens.shape[0]).map { tokens[row: $0].scalars }, k: 5)
        trace.bridge = BridgeStage(tokens: tokens, attention: attention, languageLens: neighbours,
                                   provenance: components.bridgeProvenance ?? .untrained(seed: model.store.seed))
        return StageRecord(stage: .bridge, seconds: 0,
                           shapes: [NamedShape("tokens", tokens.shape), NamedShape("attention", attention.first?.shape ?? [])],
                           summary: TensorSummary(tokens),
                           note: "Lynx resampler: \(bridge.section.queries) queries × \(bridge.section.depth) layers over \(encoder.output.tokens.shape[0]) tokens",
                           provenance: components.bridgeProvenance)
    }

    private func runPrompt() throws -> StageRecord {
        let tokenizer = model.languageModel.tokenizer
        let ids = tokenizer.encode(promptText, parseSpecial: false)
        let origin = promptNumber.flatMap { n in promptLibrary.prompts.indices.contains(n - 1) ? promptLibrary.prompts[n - 1].origin : nil }
        trace.prompt = PromptStage(text: promptText, number: promptNumber, origin: origin, tokenIds: ids,
                                   pieces: ids.map { tokenizer.piece($0) })
        let which = promptNumber.map { "prompt \($0) of \(promptLibrary.prompts.count)" } ?? "typed prompt"
        return StageRecord(stage: .prompt, seconds: 0, shapes: [NamedShape("ids", [ids.count])], summary: nil,
                           note: "\(which), \(ids.count) tokens", provenance: nil)
    }

    private func runSequence() throws -> StageRecord {
        let prompt = try require(trace.prompt, .sequence, "the prompt stage has not run")
        let modalityTokens: ModalityTokens
        if modality.usesTokenizer {
            let encoder = try require(trace.encoder, .sequence, "the encoder stage has not run")
            modalityTokens = .tokens(encoder.output.extras["ids"]?.scalars.map { Int32($0) } ?? [])
        } else {
            modalityTokens = .embeddings(try require(trace.bridge, .sequence, "the bridge stage has not run").tokens)
        }
        let lm = model.languageModel
        let assembler = SequenceAssembler(tokenizer: lm.tokenizer, template: lm.template,
                                          systemPrompt: model.configuration.languageModel.systemPrompt,
                                          maximumLength: lm.maximumContext)
        let sequence: AssembledSequence
        do { sequence = try assembler.assemble(modalityTokens, prompt: prompt.text) } catch {
            throw PipelineError(.sequence, "\(error)")
        }
        trace.sequence = sequence
        let layout = sequence.segments.map { "\($0.kind.rawValue) \($0.length)" }.joined(separator: " | ")
        return StageRecord(stage: .sequence, seconds: 0, shapes: [NamedShape("positions", [sequence.count, lm.configuration.width])],
                           summary: nil, note: layout, provenance: nil)
    }

    private func runLanguageModel() throws -> StageRecord {
        let sequence = try require(trace.sequence, .languageModel, "the sequence stage has not run")
        let lm = model.languageModel
        let cache = lm.makeCache()
        let result: ForwardResult
        do {
            result = try lm.decoder.forward(sequence.inputs, cache: cache,
                                            capture: CaptureRequest(hiddenStates: true, finalHiddenStates: true))
        } catch { throw PipelineError(.languageModel, "\(error)") }
        self.cache = cache
        let width = lm.configuration.width
        let hidden = result.hiddenStates ?? []
        let norms = hidden.map { layer in Self.rowNorms(Tensor(shape: [sequence.count, width], scalars: layer)) }
        let lastRows = hidden.dropFirst().map { Array($0[((sequence.count - 1) * width)...]) }
        let lensLogits = lm.decoder.logitLens(residuals: lastRows)
        let lens = EngineThreads.map(lensLogits.count) { Sampler<SeededRandomGenerator>.topProbabilities(lensLogits[$0], k: 1)[0] }
        let final = Tensor(shape: [sequence.count, width], scalars: result.finalHiddenStates ?? [])
        trace.languageModel = LanguageModelStage(
            residualNorms: norms, logitLens: lens,
            nextTokens: Sampler<SeededRandomGenerator>.topProbabilities(result.logits, k: topK),
            finalHiddenStates: final, lastLogits: result.logits,
            provenance: .pretrained(source: "\(lm.displayName) (\(lm.path))"), adapterProvenance: model.adapterProvenance)
        let top = trace.languageModel!.nextTokens.first.map { "next token \(PieceText.quoted(lm.tokenizer.piece($0.token))) \(String(format: "%.0f%%", $0.probability * 100))" } ?? ""
        return StageRecord(stage: .languageModel, seconds: 0,
                           shapes: [NamedShape("hidden", final.shape), NamedShape("logits", [result.logits.count])],
                           summary: TensorSummary(final),
                           note: "\(lm.configuration.layerCount) layers over \(sequence.count) positions (\(lm.decoder.numerics == .reference ? "Float32 reference" : "llama.cpp-compatible") numerics); \(top)",
                           provenance: .pretrained(source: lm.displayName))
    }

    private func runHead() throws -> StageRecord {
        let lmStage = try require(trace.languageModel, .head, "the language-model stage has not run")
        let sequence = try require(trace.sequence, .head, "the sequence stage has not run")
        let components = try model.components(modality)
        let pooling = model.configuration.headPooling(modality)
        let pooled = Self.pool(lmStage.finalHiddenStates, pooling: pooling, modalityRange: sequence.range(of: .modality))
        let outputs = components.head.logits(pooled)
        var context = HeadContext(embedding: pooled.scalars)
        if case .trajectory(let observed, _)? = trace.sample?.content, observed.rank == 2, observed.shape[0] > 0 {
            let last = observed.shape[0] - 1
            context.origin = (observed[last, 0], observed[last, 1])
            context.velocity = TrajectoryVelocity.lastStep(observed)
        }
        if case .graph(let series, _, _, _)? = trace.sample?.content {
            context.lastReadings = GraphPersistence.lastReadings(series, fallback: components.head.section.unscale(0))
        }
        if components.head.section.kind == .reidentification {
            do {
                context.ranking = try rankGallery(query: pooled.scalars, sequence: sequence, pooling: pooling, components: components)
            } catch let error as PipelineError { throw error } catch { throw PipelineError(.head, "\(error)") }
        }
        let prediction = components.head.predict(outputs, context: context)
        trace.head = HeadStage(pooling: pooling, pooled: pooled, outputs: outputs, prediction: prediction,
                               provenance: components.headProvenance)
        return StageRecord(stage: .head, seconds: 0,
                           shapes: [NamedShape("output", components.head.section.outputShape)],
                           summary: outputs.map { TensorSummary($0) },
                           note: Self.describe(prediction), provenance: components.headProvenance)
    }

    private func runGeneration(cancel: CancellationFlag?, onText: (String) -> Void) throws -> StageRecord {
        let lmStage = try require(trace.languageModel, .generation, "the language-model stage has not run")
        let sequence = try require(trace.sequence, .generation, "the sequence stage has not run")
        let lm = model.languageModel
        guard let cache else { throw PipelineError(.generation, "the language model's cache is gone; re-run the language-model stage") }
        cache.truncate(to: sequence.count)
        var pieces: [String] = []
        let generated: (text: String, result: GenerationResult)
        do {
            generated = try lm.generate(prompt: [], settings: generationSettings, maxTokens: maxNewTokens, cache: cache,
                                        initialLogits: lmStage.lastLogits, history: sequence.tokenIds.compactMap { $0 },
                                        topCandidates: 5, cancel: cancel) { piece, step in
                pieces.append(lm.tokenizer.piece(step.token))
                onText(piece)
            }
        } catch { throw PipelineError(.generation, "\(error)") }
        let r = generated.result
        trace.generation = GenerationStage(text: generated.text, tokens: r.tokens, pieces: pieces, settings: generationSettings,
                                           stopReason: r.stopReason, tokensPerSecond: r.decodeTokensPerSecond, candidates: r.candidates)
        return StageRecord(stage: .generation, seconds: 0, shapes: [NamedShape("tokens", [r.tokens.count])], summary: nil,
                           note: "\(r.tokens.count) tokens, \(String(format: "%.1f", r.decodeTokensPerSecond)) tokens/s, \(r.stopReason.rawValue); \(generationSettings.summary)",
                           provenance: .pretrained(source: lm.displayName))
    }

    // MARK: - Helpers

    /// Text and code: the tokenizer is the encoder and the token embedding gives the vectors.
    private func tokenizerAsEncoder(_ sample: Sample) throws -> EncoderOutput {
        let text: String
        switch sample.content {
        case .text(let t): text = t
        case .code(let c, _): text = c
        default: throw PipelineError(.encoder, "expected text or code, got \(sample.content.kindName)")
        }
        let lm = model.languageModel
        let ids = lm.tokenizer.encode(text, parseSpecial: false)
        guard !ids.isEmpty else { throw PipelineError(.encoder, "the \(modality.rawValue) sample is empty") }
        var rows: [Float] = []
        rows.reserveCapacity(ids.count * lm.configuration.width)
        for id in ids { rows += try lm.decoder.embedding(of: id) }
        return EncoderOutput(input: Tensor(shape: [ids.count], scalars: ids.map { Float($0) }),
                             tokens: Tensor(shape: [ids.count, lm.configuration.width], scalars: rows),
                             layout: .sequence(labels: ids.map { lm.tokenizer.piece($0) }),
                             extras: ["ids": Tensor(shape: [ids.count], scalars: ids.map { Float($0) })])
    }

    /// Re-identification: embed every gallery image exactly as the query was embedded (RGB
    /// network → bridge → the query's sequence with the image's tokens in place of the query's →
    /// language model → the same pooling) and rank by cosine similarity with the query's pooled
    /// embedding.
    ///
    /// The gallery sequences differ from the query's only from the modality tokens on, so they run
    /// as branches of one batched pass that continue the query's cached positions before its
    /// modality tokens (system text and turn start). With modality-mean pooling a branch is just
    /// the image's tokens: causal attention keeps the text after them from changing them. With
    /// last pooling it carries the rest of the sequence too.
    private func rankGallery(query: [Float], sequence: AssembledSequence, pooling: HeadPooling,
                             components: ModalityComponents) throws -> [GalleryMatch] {
        guard let sample = trace.sample, case .infrared(_, _, let names) = sample.content,
              let gallery = components.encoder as? any GalleryEncoder, let bridge = components.bridge else { return [] }
        let tokensPerImage = try gallery.encodeGallery(sample)
        guard !tokensPerImage.isEmpty else { return [] }
        let modalityRange = sequence.range(of: .modality)
        let end = pooling == .modalityMean ? modalityRange.upperBound : sequence.count
        let branches: [[DecoderInput]] = try bridge(batch: tokensPerImage).map { bridged in
            guard bridged.shape[0] == modalityRange.count else {
                throw PipelineError(.head, "a gallery image gave \(bridged.shape[0]) bridge tokens; the query gave \(modalityRange.count)")
            }
            return (0..<bridged.shape[0]).map { DecoderInput.embedding(bridged[row: $0].scalars) }
                + sequence.inputs[modalityRange.upperBound..<end]
        }
        let lm = model.languageModel
        let prefixCache = try cache ?? {
            let made = lm.makeCache()
            if modalityRange.lowerBound > 0 { _ = try lm.decoder.forward(Array(sequence.inputs[..<modalityRange.lowerBound]), cache: made) }
            return made
        }()
        let hidden = try lm.decoder.forwardBranches(branches, cache: prefixCache, prefixLength: modalityRange.lowerBound)
        let width = lm.configuration.width
        return zip(hidden, branches).enumerated().map { index, pair in
            let states = Tensor(shape: [pair.1.count, width], scalars: pair.0)
            let pooled = Self.pool(states, pooling: pooling, modalityRange: 0..<modalityRange.count)
            return GalleryMatch(index: index, name: index < names.count ? names[index] : "gallery \(index)",
                                similarity: HeadContext.cosine(query, pooled.scalars))
        }.sorted { $0.similarity != $1.similarity ? $0.similarity > $1.similarity : $0.index < $1.index }
    }

    static func pool(_ hidden: Tensor, pooling: HeadPooling, modalityRange: Range<Int>) -> Tensor {
        switch pooling {
        case .last: return hidden[row: hidden.shape[0] - 1]
        case .modalityMean:
            let range = modalityRange.isEmpty ? 0..<hidden.shape[0] : modalityRange
            return hidden.slice(rows: range).mean(axis: 0)
        }
    }

    static func rowNorms(_ t: Tensor) -> [Float] {
        guard t.rank == 2 else { return [] }
        let width = t.shape[1]
        return (0..<t.shape[0]).map { r in
            var s: Float = 0
            for v in t.scalars[(r * width)..<((r + 1) * width)] { s += v * v }
            return s.squareRoot()
        }
    }

    private func require<T>(_ value: T?, _ stage: PipelineStage, _ problem: String) throws -> T {
        guard let value else { throw PipelineError(stage, problem) }
        return value
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

import AllSparkData
import SparkEngine
import SparkLM

/// The AllSpark forward pass, one function per stage, each a function of the model and its inputs.
///
/// Read top to bottom, this file is the whole pass: sample → encoder → bridge → prompt ids →
/// sequence → language model → head → generation. Nothing here keeps state between calls, and
/// nothing measures, formats or looks through a lens: `PipelineSession` caches the results and
/// `StageObservation` derives what the screens show from them (llama.cpp's eval-callback idea:
/// instrumentation is attached from outside the computation).
extension AllSparkModel {
    /// The sample behind `reference`, as its modality's loader reads it.
    public func loadSample(_ modality: Modality, _ reference: SampleReference) throws -> Sample {
        do { return try SampleLoaders.load(modality, reference) } catch {
            throw PipelineError(.sample, "\(error)")
        }
    }

    /// The modality's tokens. Text and code have no encoder of their own: the tokenizer is their
    /// encoder, the language model's input embeddings give the vectors, and the ids travel on.
    public func encode(_ modality: Modality, _ sample: Sample) throws -> EncoderOutput {
        if modality.usesTokenizer { return try tokenizerAsEncoder(modality, sample) }
        guard let encoder = try components(modality).encoder else {
            throw PipelineError(.encoder, "no encoder for \(modality.rawValue)")
        }
        do { return try encoder.encode(sample) } catch { throw PipelineError(.encoder, "\(error)") }
    }

    /// The bridge's tokens in the language model's width and its attention per layer; nil for the
    /// modalities whose tokens enter the language model as they are (text, code).
    public func bridge(_ modality: Modality, _ tokens: Tensor) throws -> (tokens: Tensor, attention: [Tensor])? {
        guard let bridge = try components(modality).bridge else { return nil }
        let (bridged, attention) = bridge(tokens)
        return (bridged, attention)
    }

    /// The prompt's token ids.
    public func promptTokenIds(_ text: String) -> [Int32] {
        languageModel.tokenizer.encode(text, parseSpecial: false)
    }

    /// The language model's input: system text, the modality's tokens (ids or bridge vectors) and
    /// the prompt, in the chat template.
    public func assemble(_ modalityTokens: ModalityTokens, prompt: String) throws -> AssembledSequence {
        let lm = languageModel
        let assembler = SequenceAssembler(tokenizer: lm.tokenizer, template: lm.template,
                                          systemPrompt: configuration.languageModel.systemPrompt,
                                          maximumLength: lm.maximumContext)
        do { return try assembler.assemble(modalityTokens, prompt: prompt) } catch {
            throw PipelineError(.sequence, "\(error)")
        }
    }

    /// The frozen language model (with `modality`'s adapters) over the sequence, with every layer's
    /// hidden states kept, and the cache generation continues from.
    public func runLanguageModel(_ modality: Modality, _ sequence: AssembledSequence) throws -> (result: ForwardResult, cache: KVCache) {
        do {
            let cache = try languageModelCache(modality)
            let result = try languageModel.decoder.forward(sequence.inputs, cache: cache,
                                                           capture: CaptureRequest(hiddenStates: true, finalHiddenStates: true))
            return (result, cache)
        } catch { throw PipelineError(.languageModel, "\(error)") }
    }

    /// The task head on the pooled final hidden states, with what its read-out adds (the last
    /// trajectory position and step, the graph's last readings, the re-identification ranking).
    /// `cache` holds the sequence's positions when there is one; the gallery ranking reuses it.
    public func predict(_ modality: Modality, finalHiddenStates: Tensor, sequence: AssembledSequence,
                        sample: Sample?, cache: KVCache?) throws -> HeadResult {
        let components = try self.components(modality)
        let pooling = configuration.headPooling(modality)
        let pooled = pooling.pool(finalHiddenStates, modalityRange: sequence.range(of: .modality))
        let ranksGallery = components.head.section.ranksGallery
        // A gallery-ranking head's outputs are the query's embedding (projection and shift); otherwise the pooled state is.
        let outputs = ranksGallery ? components.head.queryEmbedding(pooled) : components.head.logits(pooled)
        let embedding = ranksGallery ? (outputs?.scalars ?? pooled.scalars) : pooled.scalars
        var context = HeadContext(embedding: embedding)
        if case .trajectory(let observed, _)? = sample?.content, observed.rank == 2, observed.shape[0] > 0 {
            let last = observed.shape[0] - 1
            context.origin = (observed[last, 0], observed[last, 1])
            context.velocity = TrajectoryVelocity.lastStep(observed)
        }
        if case .graph(let series, _, _, _)? = sample?.content {
            context.lastReadings = GraphPersistence.lastReadings(series, fallback: components.head.section.unscale(0))
        }
        if components.head.section.kind == .reidentification, let sample {
            do {
                context.ranking = try GalleryRanking(model: self, components: components)
                    .rank(query: embedding, sample: sample, sequence: sequence, pooling: pooling, cache: cache)
            } catch let error as PipelineError { throw error } catch { throw PipelineError(.head, "\(error)") }
        }
        return HeadResult(pooling: pooling, pooled: pooled, outputs: outputs,
                          prediction: components.head.predict(outputs, context: context))
    }

    /// Greedy or sampled continuation of the sequence from the language model's last logits, with
    /// each step's vocabulary piece; `cache` holds the sequence's positions (later ones, from an
    /// earlier generation, are dropped first).
    public func generate(after sequence: AssembledSequence, lastLogits: [Float], cache: KVCache,
                         settings: SamplingSettings, maxNewTokens: Int, cancel: CancellationFlag?,
                         onText: (String) -> Void) throws -> (text: String, result: GenerationResult, pieces: [String]) {
        cache.truncate(to: sequence.count)
        let tokenizer = languageModel.tokenizer
        var pieces: [String] = []
        do {
            let (text, result) = try languageModel.generate(
                prompt: [], settings: settings, maxTokens: maxNewTokens, cache: cache, initialLogits: lastLogits,
                history: sequence.tokenIds.compactMap { $0 }, topCandidates: 5, cancel: cancel) { piece, step in
                pieces.append(tokenizer.piece(step.token))
                onText(piece)
            }
            return (text, result, pieces)
        } catch { throw PipelineError(.generation, "\(error)") }
    }

    /// Text and code: the tokenizer's ids, embedded by the language model.
    private func tokenizerAsEncoder(_ modality: Modality, _ sample: Sample) throws -> EncoderOutput {
        let text: String
        switch sample.content {
        case .text(let t): text = t
        case .code(let c, _): text = c
        default: throw PipelineError(.encoder, "expected text or code, got \(sample.content.kindName)")
        }
        let lm = languageModel
        let ids = lm.tokenizer.encode(text, parseSpecial: false)
        guard !ids.isEmpty else { throw PipelineError(.encoder, "the \(modality.rawValue) sample is empty") }
        var rows: [Float] = []
        rows.reserveCapacity(ids.count * lm.configuration.width)
        for id in ids { rows += try lm.decoder.embedding(of: id) }
        return EncoderOutput(input: Tensor(shape: [ids.count], scalars: ids.map { Float($0) }),
                             tokens: Tensor(shape: [ids.count, lm.configuration.width], scalars: rows),
                             layout: .sequence(labels: ids.map { lm.tokenizer.piece($0) }),
                             tokenIds: ids)
    }
}

/// What the head stage computes.
public struct HeadResult: Sendable {
    public var pooling: HeadPooling
    /// The pooled hidden state `[D_llm]` the head reads.
    public var pooled: Tensor
    /// The linear layer's raw outputs (nil for generation).
    public var outputs: Tensor?
    public var prediction: Prediction
}

extension HeadPooling {
    /// The hidden state the head reads: the last position, or the mean over the modality's
    /// positions (all positions when the sequence has none).
    public func pool(_ hidden: Tensor, modalityRange: Range<Int>) -> Tensor {
        switch self {
        case .last: return hidden[row: hidden.shape[0] - 1]
        case .modalityMean:
            let range = modalityRange.isEmpty ? 0..<hidden.shape[0] : modalityRange
            return hidden.slice(rows: range).mean(axis: 0)
        }
    }
}

import AllSparkData
import Dispatch
import Foundation
import SparkEngine
import SparkGrad
import SparkLM

/// A training error with a message for the user.
public struct TrainingError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// What one forward (and backward) pass over a batch gave.
public struct StepResult: Sendable {
    /// headLossWeight · head loss + languageLossWeight · language loss.
    public var loss: Float
    public var headLoss: Float
    /// Mean cross-entropy of the answer tokens (0 when no sample has an answer).
    public var languageLoss: Float
    /// The lens-alignment hinge, mean over the batch (0 when the term is off).
    public var lensLoss: Float = 0
    /// The head's raw outputs `[batch, outputs]`.
    public var headOutputs: Tensor
    /// Gradients of `loss` by parameter name (empty when not asked for).
    public var gradients: [String: Tensor]
    /// Where the step's time went.
    public var timings: StepTimings
    /// Rows the language model ran (batch × body length), for FLOP counts.
    public var languageModelRows: Int
}

/// Wall time of a step's phases, in seconds (`allspark bench train`). `backward` includes the
/// language model's backward, which is also given alone.
public struct StepTimings: Sendable, Equatable {
    public var encoderAndBridge: Double = 0
    public var languageModelForward: Double = 0
    public var headAndLosses: Double = 0
    public var backward: Double = 0
    public var languageModelBackward: Double = 0
    public init() {}
}

/// Seconds since `start`.
func seconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

/// One modality's model as a function of its parameters, for training: sample inputs → encoder
/// (tape) → bridge (tape) → sequence rows → frozen language model (`DecoderTrainer`, explicit
/// backward) → head (tape) and answer-token loss. Gradients flow from both losses through the
/// language model to the bridge tokens, into the bridge, the encoder (unless frozen), the head,
/// and the Lynx adapters when they train.
public final class ModalityTrainer {
    public let model: AllSparkModel
    public let modality: Modality
    public let decoder: DecoderTrainer
    /// The module of the adapters this modality runs with (`llm.adapters`, or its own set).
    public let adapterModule: String
    public let options: TrainingOptions
    private var prefixCache: (tokens: [Int32], adaptersOff: Bool, prefix: CachedPrefix)?
    private var frozenTokens: [String: Tensor] = [:]
    private let frozenTokensLock = NSLock()

    public init(model: AllSparkModel, modality: Modality, decoder: DecoderTrainer, options: TrainingOptions) throws {
        try Self.checkTrainable(model: model, modality: modality, trainAdapters: options.trainAdapters)
        self.model = model; self.modality = modality; self.decoder = decoder; self.options = options
        adapterModule = try model.adapterModule(modality)
        // Built now, so that their names are in the tree before a resumed state is loaded into it.
        _ = try model.adapters(modality)
        if !options.trainEncoder { model.store.freeze([ParameterName.modules(ofModality: modality.rawValue)[0]]) }
        if !options.trainAdapters { model.store.freeze([adapterModule]) }
        // The encoder-only ranking reads neither the bridge nor the head (see `trainedModules`).
        if options.encoderOnly { model.store.freeze(["bridges.\(modality.rawValue)", "heads.\(modality.rawValue)"]) }
        // A modality with its own set never touches the shared one.
        if adapterModule != ParameterName.sharedAdapters { model.store.freeze([ParameterName.sharedAdapters]) }
        // Batch-norm running statistics are constants of the inference-mode forward (see
        // BatchNormLayer's tape forward): frozen, so they are neither counted nor updated.
        model.store.freeze(ParameterName.modules(ofModality: modality.rawValue).flatMap { model.store.trainableNames(under: $0) }
            .filter { $0.hasSuffix(".running_mean") || $0.hasSuffix(".running_var") })
    }

    /// Throws, saying why, when `modality` cannot be trained (call it before the costly set-up).
    /// Text and code have no encoder or bridge: the tokenizer and the frozen token embedding are
    /// their encoder, so what learns is their head and the Lynx adapters when they train: without
    /// a head (code: the language model writes the documentation) only the adapters can learn.
    public static func checkTrainable(model: AllSparkModel, modality: Modality, trainAdapters: Bool = false) throws {
        let components = try model.components(modality)
        if modality.usesTokenizer {
            guard components.head.linear != nil || trainAdapters else {
                throw TrainingError("\(modality.rawValue) has no task head to train: its head is '\(components.head.section.kind.rawValue)' "
                    + "(the language model answers alone); train its adapters (--train-adapters, best with \"ownAdapters\": true in its "
                    + "section) or configure a classification head with labels")
            }
            return
        }
        guard components.encoder is any TrainableEncoder else {
            throw TrainingError("the \(modality.rawValue) encoder cannot learn yet (its forward pass is not on the tape); trainable: "
                + Modality.allCases.filter { (try? model.components($0).encoder) is any TrainableEncoder }.map(\.rawValue).joined(separator: ", "))
        }
        guard components.head.linear != nil else { throw TrainingError("\(modality.rawValue) has no task head to train") }
    }

    /// The rows one example puts where the modality goes: the bridge's tokens of the encoder's
    /// output, on the tape; for text and code the token embeddings of its ids (constants: the
    /// language model's embedding is frozen).
    public func modalityRows(_ example: TrainingExample, _ p: ParameterBinding) throws -> Variable {
        if modality.usesTokenizer {
            let ids = example.input.scalars.map { Int32($0) }
            guard !ids.isEmpty else { throw TrainingError("\(example.reference.text): no tokens") }
            let width = model.languageModel.configuration.width
            return p.tape.constant(Tensor(shape: [ids.count, width], scalars: try decoder.embed(ids)))
        }
        let components = try model.components(modality)
        guard let encoder = components.encoder as? any TrainableEncoder, let bridge = components.bridge else {
            throw TrainingError("\(modality.rawValue): no trainable encoder and bridge")
        }
        let encoderModule = ParameterName.modules(ofModality: modality.rawValue)[0]
        guard model.store.trainableNames(under: encoderModule).isEmpty else {
            return bridge(encoder.forward(p.tape.constant(example.input), variant: example.variant, p), p)
        }
        return bridge(p.tape.constant(try frozenEncoderTokens(example, encoder)), p)
    }

    /// A frozen encoder's tokens of `example`: constants of training, so computed once per example
    /// and kept (a pretrained ViT-S at 224 × 224 costs ~12 GFLOP an image; its 257 × 384 tokens
    /// take 0.4 MB).
    func frozenEncoderTokens(_ example: TrainingExample, _ encoder: any TrainableEncoder) throws -> Tensor {
        let key = "\(example.reference.path)#\(example.reference.options.sorted { $0.key < $1.key })#\(example.variant)"
        frozenTokensLock.lock()
        let cached = frozenTokens[key]
        frozenTokensLock.unlock()
        if let cached { return cached }
        let tape = Tape()
        let tokens = encoder.forward(tape.constant(example.input), variant: example.variant, ParameterBinding(tape: tape, store: model.store)).value
        frozenTokensLock.lock()
        frozenTokens[key] = tokens
        frozenTokensLock.unlock()
        return tokens
    }

    /// Whether the answer-token loss reaches anything that learns: not for text and code unless
    /// the adapters train (their rows are constants, and so is the language model).
    var teachesAnswers: Bool { !modality.usesTokenizer || options.trainAdapters }

    /// The modules this run trains and saves: the modality's components (but a pretrained encoder,
    /// which stays in its own file), and its adapters when they train.
    /// The encoder-only ranking stage learns the encoder alone: what does not learn is not saved,
    /// so it stays marked untrained.
    public var trainedModules: [String] {
        ParameterName.modules(ofModality: modality.rawValue).filter { module in
            !model.pretrainedModules.contains(module) && !(options.encoderOnly && !module.hasPrefix("encoders."))
        } + (options.trainAdapters ? [adapterModule] : [])
    }

    /// The names this run trains (after the first step has bound them all).
    public func trainableNames() -> [String] {
        trainedModules.flatMap { model.store.trainableNames(under: $0) }
    }

    /// Runs `examples` as one batch with `prompt`; with `gradients`, also the backward pass.
    /// `adaptersOff` runs the language model without adapters (the pretrained model's loss: the
    /// baseline of a modality whose adapters are all that learns).
    public func step(_ examples: [TrainingExample], prompt: String, gradients wantsGradients: Bool = true,
                     adaptersOff: Bool = false) throws -> StepResult {
        guard !examples.isEmpty else { throw TrainingError("an empty batch") }
        let components = try model.components(modality)
        let head = components.head
        if head.section.ranksGallery { return try galleryRankingStep(examples, prompt: prompt, gradients: wantsGradients) }
        guard head.linear != nil || (teachesAnswers && examples.allSatisfy { $0.answer != nil }) else {
            throw TrainingError("\(modality.rawValue): no task head and no answer to learn")
        }
        let lm = model.languageModel
        let width = lm.configuration.width
        let batch = examples.count
        let adapters = adaptersOff ? [:] : try activeAdapters()

        var timings = StepTimings()
        var clock = DispatchTime.now()
        // Encoder and bridge on the tape (or a text's token rows).
        let tape = Tape()
        let p = ParameterBinding(tape: tape, store: model.store)
        let bridged = try examples.map { try modalityRows($0, p) }

        // One layout per count of modality rows: a bridge always gives its queries, a text its tokens.
        let assembler = SequenceAssembler(tokenizer: lm.tokenizer, template: lm.template,
                                          systemPrompt: model.configuration.languageModel.systemPrompt, maximumLength: lm.maximumContext)
        var layouts: [Int: TrainingSequence] = [:]
        for rows in bridged where layouts[rows.shape[0]] == nil {
            layouts[rows.shape[0]] = try TrainingSequence(assembler: assembler, prompt: prompt, modalityCount: rows.shape[0], width: width,
                                                          cachesSystemTurn: !options.trainAdapters)
        }
        let layoutOf = bridged.map { layouts[$0.shape[0]]! }
        let answers = examples.map { example -> [Int32] in
            guard teachesAnswers, let answer = example.answer else { return [] }
            return lm.tokenizer.encode(answer, parseSpecial: false)
        }
        // Shorter sequences are padded at the end, which causal attention keeps from every earlier row.
        let fullLength = zip(layoutOf, answers).map { $0.bodyLength(answerLengths: [$1.count]) }.max()!
        // A modality-mean head reads only the modality rows, and causal attention keeps every
        // later row (the prompt, the turn markers) from them: without an answer to learn, the
        // batch stops at its last modality row (trajectory's 64 rows become 35).
        let readsModalityRowsOnly = head.linear != nil && model.configuration.headPooling(modality) == .modalityMean
            && (answers.allSatisfy(\.isEmpty) || options.languageLossWeight == 0)
        let length = readsModalityRowsOnly ? layoutOf.map(\.modalityRows.upperBound).max()! : fullLength

        var bodies: [[Int32?]] = []
        var targets: [(row: Int, token: Int32)] = []
        for b in 0..<batch {
            let (ids, answerTargets) = layoutOf[b].body(answer: readsModalityRowsOnly ? [] : answers[b], length: fullLength)
            bodies.append(Array(ids.prefix(length)))
            if teachesAnswers, !readsModalityRowsOnly, examples[b].answer != nil {
                targets += answerTargets.map { (row: b * length + $0.row, token: $0.token) }
            }
        }
        timings.encoderAndBridge = seconds(since: clock)
        clock = DispatchTime.now()
        let pass = try languageModelPass(bodies: bodies, rows: bridged, prefixTokens: layoutOf[0].prefixTokens, adapters: adapters, p)
        let (record, hidden) = (pass.record, pass.hidden)
        timings.languageModelForward = seconds(since: clock)
        clock = DispatchTime.now()

        // The head on the pooled hidden state of each sequence (none: the answer loss alone).
        var outputs = tape.constant(Tensor(shape: [batch, 0], scalars: []))
        var headLoss = tape.constant(Tensor(shape: [1], scalars: [0]))
        if let headLinear = head.linear {
            (outputs, headLoss) = try headOutputsAndLoss(headLinear, head: head.section, hidden: hidden, examples: examples,
                                                         layoutOf: layoutOf, length: length, p)
        }
        var total = headLoss.reshaped([1]) * options.headLossWeight
        var languageLoss: Float = 0
        if !targets.isEmpty, options.languageLossWeight > 0 {
            let (value, dHidden) = try decoder.lmLoss(record, targets: targets)
            languageLoss = value
            let lossVariable = tape.custom([hidden], value: Tensor(shape: [1], scalars: [value])) { g in
                [Tensor(shape: [batch * length, width], scalars: dHidden.map { $0 * g.scalars[0] })]
            }
            total = total + lossVariable * options.languageLossWeight
        }
        var lensLoss: Float = 0
        if options.lensWeight > 0, let lens = try lensAlignmentLoss(bridged, examples) {
            lensLoss = lens.value.scalars[0]
            total = total + lens.reshaped([1]) * options.lensWeight
        }
        timings.headAndLosses = seconds(since: clock)
        clock = DispatchTime.now()
        var gradients: [String: Tensor] = [:]
        if wantsGradients {
            tape.backward(total)
            gradients = p.gradients()
        }
        timings.backward = seconds(since: clock)
        timings.languageModelBackward = pass.backwardSeconds.value
        return StepResult(loss: total.value.scalars[0], headLoss: headLoss.value.scalars[0], languageLoss: languageLoss,
                          lensLoss: lensLoss, headOutputs: outputs.value, gradients: gradients, timings: timings,
                          languageModelRows: batch * length)
    }

    /// The lens-alignment term (`LensAlignment`) of a batch, the mean over its classified samples'
    /// bridge tokens; nil when none is (text and code have no bridge; regressions no class word).
    func lensAlignmentLoss(_ bridged: [Variable], _ examples: [TrainingExample]) throws -> Variable? {
        guard !modality.usesTokenizer else { return nil }
        let alignment = LensAlignment(lens: model.languageLens())
        let tokenizer = model.languageModel.tokenizer
        var terms: [Variable] = []
        for (rows, example) in zip(bridged, examples) {
            guard case .classIndex = example.target else { continue }
            let words = LensAlignment.classTokens(example.label, tokenizer: tokenizer)
            guard !words.isEmpty else { throw TrainingError("\(example.reference.text): the class '\(example.label)' has no word tokens to align to") }
            terms.append(alignment.loss(rows, classTokens: words).reshaped([1]))
        }
        guard let first = terms.first else { return nil }
        return terms.dropFirst().reduce(first, +) * (1 / Float(terms.count))
    }

    /// Seconds measured inside a tape operation's backward, read after `Tape.backward`.
    final class MeasuredSeconds { var value = 0.0 }

    /// What the frozen language model gave a batch: its record (for the answer loss) and its
    /// final-norm hidden states `[batch · length, width]`, as one tape operation whose backward is
    /// the decoder's explicit one.
    struct LanguageModelPass {
        let record: ForwardRecord
        let hidden: Variable
        let backwardSeconds: MeasuredSeconds
    }

    /// Runs `bodies` (token ids, nil where the modality's rows go, all of one length) after the
    /// cached `prefixTokens`, with sequence b's modality rows taken from `bridged[b]`. Gradients
    /// flow back to those rows and, when the adapters train, to the adapters.
    func languageModelPass(bodies: [[Int32?]], rows bridged: [Variable], prefixTokens: [Int32], adapters: [Int: LynxAdapter],
                           _ p: ParameterBinding) throws -> LanguageModelPass {
        let width = model.languageModel.configuration.width
        let batch = bodies.count, length = bodies.first?.count ?? 0
        guard batch == bridged.count, bodies.allSatisfy({ $0.count == length }) else {
            throw TrainingError("a batch of \(batch) sequences needs one length and one set of modality rows each")
        }
        // The language model's input rows: token embeddings, and the bridge's rows where the modality goes.
        var inputs = [Float]()
        inputs.reserveCapacity(batch * length * width)
        var modalityStarts: [Int] = []
        for (ids, rows) in zip(bodies, bridged) {
            let tokenRows = try decoder.embed(ids.compactMap { $0 })
            let start = ids.firstIndex(of: nil) ?? 0
            guard ids[start...].prefix(while: { $0 == nil }).count == rows.shape[0] else {
                throw TrainingError("a sequence has room for \(ids.filter { $0 == nil }.count) modality rows; the bridge gave \(rows.shape[0])")
            }
            modalityStarts.append(start)
            var tokenIndex = 0, modalityIndex = 0
            let values = rows.value.scalars
            for id in ids {
                if id != nil {
                    inputs += tokenRows[(tokenIndex * width)..<((tokenIndex + 1) * width)]
                    tokenIndex += 1
                } else {
                    inputs += values[(modalityIndex * width)..<((modalityIndex + 1) * width)]
                    modalityIndex += 1
                }
            }
        }
        let prefix = try cachedPrefix(prefixTokens, adapters: adapters)
        let record = try decoder.forward(inputs, batch: batch, length: length, adapters: adapters, prefix: prefix)
        let backwardSeconds = MeasuredSeconds()

        // The language model as one tape operation: bridge rows (and adapter parameters) in,
        // final-norm hidden states out; its backward is the decoder's explicit one.
        let adapterInputs = options.trainAdapters ? adapterVariables(adapters, p) : []
        // The backward keeps only the gradient readers: a Variable holds its tape, so capturing the
        // variables themselves would make a cycle (tape → this closure → tape) and every step's
        // tape and recorded activations would stay alive (23 GB after 450 text steps).
        let adapterReaders = adapterInputs.map(\.gradient)
        let rowCounts = bridged.map { $0.shape[0] }
        let hidden = p.tape.custom(bridged + adapterInputs.map(\.variable),
                                   value: Tensor(shape: [batch * length, width], scalars: record.hidden)) { [decoder, adapterReaders] g in
            let started = DispatchTime.now()
            let (dInputs, adapterGradients) = decoder.backward(record, dFinalHidden: g.scalars)
            backwardSeconds.value = seconds(since: started)
            var out: [Tensor?] = (0..<batch).map { b in
                let start = (b * length + modalityStarts[b]) * width
                return Tensor(shape: [rowCounts[b], width], scalars: Array(dInputs[start..<(start + rowCounts[b] * width)]))
            }
            for read in adapterReaders { out.append(read(adapterGradients)) }
            return out
        }
        return LanguageModelPass(record: record, hidden: hidden, backwardSeconds: backwardSeconds)
    }

    /// The adapters the language model runs with: none while every adapter is the identity and
    /// none learns (they would add exactly zero), else all of them.
    func activeAdapters() throws -> [Int: LynxAdapter] {
        let adapters = try model.adapters(modality).adapters
        if options.trainAdapters { return adapters }
        let identity = adapters.values.allSatisfy { a in a.upWeight.allSatisfy { $0 == 0 } && a.upBias.allSatisfy { $0 == 0 } }
        return identity ? [:] : adapters
    }

    /// The system turn's keys and values, made once per adapter state.
    private func cachedPrefix(_ tokens: [Int32], adapters: [Int: LynxAdapter]) throws -> CachedPrefix? {
        guard !tokens.isEmpty else { return nil }
        let off = adapters.isEmpty
        if !options.trainAdapters, let cached = prefixCache, cached.tokens == tokens, cached.adaptersOff == off { return cached.prefix }
        let prefix = try decoder.makePrefix(decoder.embed(tokens), adapters: adapters)
        prefixCache = (tokens, off, prefix)
        return prefix
    }

    /// Each adapter parameter bound on the tape, with how to read its gradient out of the
    /// decoder's adapter gradients.
    private func adapterVariables(_ adapters: [Int: LynxAdapter], _ p: ParameterBinding)
        -> [(variable: Variable, gradient: ([Int: LynxAdapterGradient]) -> Tensor?)] {
        var out: [(Variable, ([Int: LynxAdapterGradient]) -> Tensor?)] = []
        for layer in adapters.keys.sorted() {
            let a = adapters[layer]!, d = a.width, h = a.bottleneck
            let name = "\(adapterModule).\(layer)"
            let fields: [(String, [Float], [Int], (LynxAdapterGradient) -> [Float])] = [
                ("norm.weight", a.normWeight, [d], { $0.normWeight }), ("norm.bias", a.normBias, [d], { $0.normBias }),
                ("down.weight", a.downWeight, [h, d], { $0.downWeight }), ("down.bias", a.downBias, [h], { $0.downBias }),
                ("up.weight", a.upWeight, [d, h], { $0.upWeight }), ("up.bias", a.upBias, [d], { $0.upBias }),
                ("scale", [a.scale], [1], { [$0.scale] }),
            ]
            for (field, value, shape, read) in fields {
                let variable = p("\(name).\(field)", Tensor(shape: shape, scalars: value))
                out.append((variable, { gradients in gradients[layer].map { Tensor(shape: shape, scalars: read($0)) } }))
            }
        }
        return out
    }
}

import AllSparkData
import Dispatch
import SparkEngine
import SparkGrad

// Re-identification trained as it is measured (`ReidentificationEvaluation`, `GalleryRanking`):
// the query's sequence reads the infrared query alone, each gallery image's sequence reads that
// image alone, both are pooled the same way and projected by the head (the query's side plus
// the head's query shift), and the sample's gallery is ranked by cosine similarity with the
// query. The ranking loss is the cross-entropy of the true match among the sample's own gallery
// (InfoNCE within the sample, as `scripts/reference/infrared_siamese_probe.py`, which learned
// this task where identity classification and pair scoring had not):
//
//     loss_b = −log softmax_k(scale · cos(query_b, gallery_b,k))[match_b]
//
// Training runs in two stages (weights/README.md, "infrared"). `encoderOnly` ranks the encoder's
// own tokens, with no language model, so the encoder sees many samples. `distilEncoder` then
// teaches the bridge and the head, with the encoder frozen: each image's embedding is pulled
// towards a fixed projection of its tokens. The ranking loss itself, through the language model,
// collapsed to ln 5: the pooled states of any two images are ~0.98 cosine-similar, and making
// every image alike was the nearest way down. The head's bias and query shift start centred on
// each side's mean state (`calibrateRankingProjection`).
//
// Only the rows up to the end of the modality rows run through the language model: pooling is
// the mean over the modality rows, and causal attention keeps the prompt after them from
// changing them.

extension ModalityTrainer {
    /// Cosine similarities are in [−1, 1]; the softmax reads them multiplied by this (CLIP's
    /// learned temperature ends near 100; the reference probe used 10).
    static let rankingScale: Float = 20

    /// The ranking step: `examples` hold `[1 + gallery, 3, H, W]` (the query, then its gallery)
    /// with the match as their class index. `encoderOnly` ranks the encoder's own tokens (all of
    /// an image's tokens, concatenated) instead of the language model's pooled states: a
    /// pretraining stage that costs no language model, so the encoder can see many more samples.
    func galleryRankingStep(_ examples: [TrainingExample], prompt: String, gradients wantsGradients: Bool) throws -> StepResult {
        var timings = StepTimings()
        let tape = Tape()
        let p = ParameterBinding(tape: tape, store: model.store)
        let (states, images, pass, tokens) = try rankingStates(examples, prompt: prompt, p, timings: &timings)
        var clock = DispatchTime.now()
        let matches = try examples.map { example -> Int in
            guard case .classIndex(let match) = example.target, (0..<(images - 1)).contains(match) else {
                throw TrainingError("\(example.reference.text): the target is not a gallery image (0..<\(images - 1))")
            }
            return match
        }
        var embeddings = states
        if !options.encoderOnly {
            let head = try model.components(modality).head
            guard let projection = head.linear, let shift = head.queryShift else { throw TrainingError("\(modality.rawValue): no head to project with") }
            // The query's rows (each sample's first) get the query shift.
            let samples = examples.count, width = projection.outputs
            let rowOfShift = p("\(projection.name).query_shift", shift).reshaped([1, width])
            let zero = tape.constant(Tensor(zeros: [images - 1, width]))
            let shifts = Variable.concatenate((0..<samples).flatMap { _ in [rowOfShift, zero] }, axis: 0)
            embeddings = projection(states, p) + shifts
        }
        let unit = embeddings.rowNormalised()
        var (similarities, loss) = Self.withinGalleryLoss(unit, images: images, matches: matches, scale: Self.rankingScale)
        if options.distilEncoder { loss = Self.encoderDistillationLoss(unit, tokens: tokens) }
        timings.headAndLosses = seconds(since: clock)
        clock = DispatchTime.now()
        var gradients: [String: Tensor] = [:]
        if wantsGradients {
            tape.backward(loss)
            gradients = p.gradients()
        }
        timings.backward = seconds(since: clock)
        timings.languageModelBackward = pass?.backwardSeconds.value ?? 0
        let value = loss.value.scalars[0]
        return StepResult(loss: value, headLoss: value, languageLoss: 0, headOutputs: similarities.value, gradients: gradients,
                          timings: timings, languageModelRows: pass.map { $0.record.hidden.count / model.languageModel.configuration.width } ?? 0)
    }

    /// What is ranked, one row per image `[samples · images, d]` (each sample's query, then its
    /// gallery): the pooled states of each image's sequence, or with `encoderOnly` the image's
    /// encoder tokens concatenated. Also the images per sample and the language model's pass.
    func rankingStates(_ examples: [TrainingExample], prompt: String, _ p: ParameterBinding,
                       timings: inout StepTimings) throws -> (states: Variable, images: Int, pass: LanguageModelPass?, tokens: Tensor) {
        let components = try model.components(modality)
        guard let encoder = components.encoder as? InfraredEncoder, let bridge = components.bridge else {
            throw TrainingError("\(modality.rawValue): gallery ranking needs the infrared encoder and a bridge")
        }
        let imageCounts = examples.map { $0.input.rank == 4 ? $0.input.shape[0] : 0 }
        guard let images = imageCounts.first, images >= 2, imageCounts.allSatisfy({ $0 == images }) else {
            throw TrainingError("gallery ranking needs every sample of a batch as [1 + gallery, 3, H, W] with one gallery size; got \(imageCounts) images")
        }
        var clock = DispatchTime.now()
        // Every image's tokens, sample after sample: the query, then its gallery.
        let perImage = try examples.flatMap { example -> [Variable] in
            try modalityTokens(example, encoder, p).split(parts: images, axis: 0)
        }
        precondition(perImage.allSatisfy { $0.shape[0] == encoder.rows * encoder.columns }, "an image gave a number of tokens other than rows × columns")
        let flattened = Variable.concatenate(perImage.map { $0.reshaped([1, $0.shape.reduce(1, *)]) }, axis: 0)
        if options.encoderOnly {
            timings.encoderAndBridge = seconds(since: clock)
            return (flattened, images, nil, flattened.value)
        }
        let bridged = perImage.map { bridge($0, p) }
        let lm = model.languageModel
        let assembler = SequenceAssembler(tokenizer: lm.tokenizer, template: lm.template,
                                          systemPrompt: model.configuration.languageModel.systemPrompt, maximumLength: lm.maximumContext)
        let layout = try TrainingSequence(assembler: assembler, prompt: prompt, modalityCount: bridged[0].shape[0],
                                          width: lm.configuration.width, cachesSystemTurn: !options.trainAdapters)
        let body: [Int32?] = layout.before.map { $0 } + Array(repeating: nil, count: layout.modalityCount)
        timings.encoderAndBridge = seconds(since: clock)
        clock = DispatchTime.now()
        let pass = try languageModelPass(bodies: Array(repeating: body, count: bridged.count), rows: bridged,
                                         prefixTokens: layout.prefixTokens, adapters: try activeAdapters(), p)
        timings.languageModelForward = seconds(since: clock)
        let length = body.count, rows = layout.modalityRows
        let pooled = Variable.concatenate((0..<bridged.count).map { s in
            pass.hidden.slice(rows: (s * length + rows.lowerBound)..<(s * length + rows.upperBound)).mean(axis: 0, keepDims: true)
        }, axis: 0)
        return (pooled, images, pass, flattened.value)
    }

    /// The distillation stage's loss: 1 − the mean cosine of each image's unit embedding
    /// `[images, d]` and the fixed random projection to d values of its encoder tokens
    /// `[images, tokens · width]` (constants: the target does not move with the encoder). A
    /// Gaussian projection keeps the cosines of the encoder's ranking up to a few per cent
    /// (Johnson–Lindenstrauss), so an embedding that lands on its target ranks as the encoder does.
    static func encoderDistillationLoss(_ unit: Variable, tokens: Tensor) -> Variable {
        let rows = unit.shape[0], width = unit.shape[1]
        let projection = distillationProjection(outputs: width, inputs: tokens.shape[1])
        let targets = unit.tape.constant(tokens.linear(weight: projection, bias: nil)).rowNormalised()
        return (unit * targets).sum() * (-1 / Float(rows)) + 1
    }

    /// The fixed projection `[outputs, inputs]`, N(0, 1/inputs), from a fixed seed.
    static func distillationProjection(outputs: Int, inputs: Int) -> Tensor {
        var random = DeterministicRandom(seed: 20_261_206)
        return Tensor(shape: [outputs, inputs], scalars: (0..<(outputs * inputs)).map { _ in Float(random.normal() / Double(inputs).squareRoot()) })
    }

    /// Centres the head's projections on the first `count` examples: the bias becomes minus the
    /// projected mean of the gallery images' pooled states, the query shift the projected
    /// difference of that mean and the queries' (so a query's embedding is its projection minus
    /// the queries' projected mean); a line saying what it did.
    public func calibrateRankingProjection(_ examples: [TrainingExample], prompt: String, count: Int = 16) throws -> String {
        let head = try model.components(modality).head
        guard let linear = head.linear, let bias = linear.bias, !examples.isEmpty else { throw TrainingError("\(modality.rawValue): no head bias to calibrate") }
        var timings = StepTimings()
        var sums: [[Double]] = [[], []], rows = [0, 0]  // queries, gallery images
        for start in stride(from: 0, to: min(count, examples.count), by: 4) {
            let tape = Tape()
            let (states, images, _, _) = try rankingStates(Array(examples[start..<min(start + 4, count, examples.count)]), prompt: prompt,
                                                        ParameterBinding(tape: tape, store: model.store), timings: &timings)
            let width = states.value.shape[1]
            for row in 0..<states.value.shape[0] {
                let side = row % images == 0 ? 0 : 1
                if sums[side].isEmpty { sums[side] = [Double](repeating: 0, count: width) }
                for c in 0..<width { sums[side][c] += Double(states.value.scalars[row * width + c]) }
                rows[side] += 1
            }
        }
        func projectedMean(_ side: Int) -> [Float] {
            Tensor(shape: [1, sums[side].count], scalars: sums[side].map { Float($0 / Double(rows[side])) }).linear(weight: linear.weight, bias: nil).scalars
        }
        let (query, gallery) = (projectedMean(0), projectedMean(1))
        try model.store.update(from: [linear.name + ".bias": Tensor(shape: bias.shape, scalars: gallery.map { -$0 }),
                                      linear.name + ".query_shift": Tensor(shape: bias.shape, scalars: zip(gallery, query).map { $0 - $1 })])
        try model.rebuildComponents()
        return "head: centred on the projected mean pooled states of \(rows[0]) queries and \(rows[1]) gallery images"
    }

    /// Unit embeddings `[samples · images, d]` (each sample's query, then its gallery) → the
    /// cosine similarities `[samples, images − 1]` of each query with its own gallery, and the
    /// mean cross-entropy of the true matches under softmax(scale · similarity).
    static func withinGalleryLoss(_ unit: Variable, images: Int, matches: [Int], scale: Float) -> (similarities: Variable, loss: Variable) {
        let samples = matches.count
        let similarities = Variable.concatenate((0..<samples).map { s -> Variable in
            let query = unit.slice(rows: (s * images)..<(s * images + 1))
            let gallery = unit.slice(rows: (s * images + 1)..<((s + 1) * images))
            return query.matmul(gallery, transposeOther: true)
        }, axis: 0)
        return (similarities, (similarities * scale).crossEntropy(targets: matches))
    }

    /// An infrared example's tokens on the tape: through the encoder when it learns, else its
    /// frozen tokens (computed once).
    private func modalityTokens(_ example: TrainingExample, _ encoder: InfraredEncoder, _ p: ParameterBinding) throws -> Variable {
        let encoderModule = ParameterName.modules(ofModality: modality.rawValue)[0]
        guard model.store.trainableNames(under: encoderModule).isEmpty else {
            return encoder.forward(p.tape.constant(example.input), variant: example.variant, p)
        }
        return p.tape.constant(try frozenEncoderTokens(example, encoder))
    }
}

import Foundation
import SparkEngine

/// The frozen language model as a differentiable function of its input embeddings and of its
/// Lynx adapters, in the reference numerics (plain Float32): `forward` records what `backward`
/// needs, `backward` carries a gradient of the final-norm hidden states back through every layer
/// to the input embeddings, and returns the adapters' parameter gradients on the way. The frozen
/// weights get no gradient.
///
/// Written as llm.c writes GPT-2: each layer's forward and backward by hand, side by side
/// (`forward` here, `backward` in DecoderTrainer+Backward.swift), activations in named buffers.
/// Every frozen matrix is copied once, dense Float32, so that each product in both directions is
/// one sgemm on all B·T rows of the batch: Y = X · Wᵀ forward, dX = dY · W backward (no transposed
/// copy: sgemm reads W either way). Queries, keys and values share one matrix `[width + 2·kvWidth,
/// width]`, gate and up another `[2·ffWidth, width]`, so a layer is four products each way.
///
/// Not thread-safe: one trainer serves one caller at a time.
public final class DecoderTrainer: CustomStringConvertible {
    public let configuration: LlamaConfiguration
    /// The frozen decoder the dense copies are made from, on first use: a run that never calls the
    /// language model (infrared's `--encoder-only` stage) then never pays for them.
    private let source: LlamaDecoder
    private var denseLayers: [DenseLayer]?
    var layers: [DenseLayer] {
        if let denseLayers { return denseLayers }
        let made = Self.denseLayers(of: source)
        denseLayers = made
        return made
    }
    let outputNorm: [Float]
    /// `[vocabulary, width]` Float32: the token-embedding matrix and the output matrix (the same
    /// array when the model ties them, shared with the decoder's lens copy).
    private(set) lazy var tokenEmbedding: [Float] = Self.values(of: source.lensMatrices().input)
    private(set) lazy var outputMatrix: [Float] = Self.values(of: source.lensMatrices().output)
    var rope: RoPETable

    /// One layer's frozen weights, dense.
    struct DenseLayer {
        let attentionNorm: [Float]
        /// `[width + 2·kvWidth, width]`: the query rows, then the key rows, then the value rows.
        let queryKeyValue: [Float]
        /// `[width, width]`
        let attentionOutput: [Float]
        let feedForwardNorm: [Float]
        /// `[2·ffWidth, width]`: the gate rows, then the up rows.
        let gateUp: [Float]
        /// `[width, ffWidth]`
        let down: [Float]
    }

    /// Keeps `decoder` for the dense Float32 copies of its weights, made on first use (about
    /// 425 MB for SmolLM2-135M's layers; the vocabulary matrix is the decoder's own lens copy,
    /// 113 MB, made if it is not there yet).
    public init(decoder: LlamaDecoder) {
        configuration = decoder.configuration
        source = decoder
        outputNorm = decoder.weights.outputNorm
        rope = RoPETable(frequencies: decoder.ropeFrequencies)
    }

    /// Whether the layers' dense copies have been made (by the first forward or backward pass).
    public var hasDenseLayers: Bool { denseLayers != nil }

    static func denseLayers(of decoder: LlamaDecoder) -> [DenseLayer] {
        decoder.weights.layers.map { layer in
            DenseLayer(attentionNorm: layer.attentionNorm,
                       queryKeyValue: stacked([layer.query, layer.key, layer.value]),
                       attentionOutput: stacked([layer.attentionOutput]),
                       feedForwardNorm: layer.feedForwardNorm,
                       gateUp: stacked([layer.gate, layer.up]),
                       down: stacked([layer.down]))
        }
    }

    /// Floats in the dense copies of the layers' matrices (the price of sgemm in both directions);
    /// also the multiply-adds per row of a forward pass's products, and of the input-gradient pass's.
    /// Counted from the configuration, so asking does not make the copies.
    public var layerWeightFloatCount: Int {
        let c = configuration
        let perLayer = (c.width + 2 * c.keyValueWidth) * c.width + c.width * c.width + 3 * c.feedForwardWidth * c.width
        return c.layerCount * perLayer
    }

    /// Floats in the vocabulary matrix (or matrices, when the output is not tied).
    public var vocabularyFloatCount: Int {
        configuration.vocabularySize * configuration.width * (configuration.tiedOutput ? 1 : 2)
    }

    public var description: String {
        let c = configuration
        func megabytes(_ floats: Int) -> String { String(format: "%.1f MB", Double(floats) * 4 / 1e6) }
        return "DecoderTrainer: \(c.layerCount) layers, width \(c.width), Float32 reference numerics; "
            + "dense layer weights \(layerWeightFloatCount) floats (\(megabytes(layerWeightFloatCount)), made on first use), "
            + "vocabulary matrix \(vocabularyFloatCount) floats (\(megabytes(vocabularyFloatCount)), shared with the decoder's lens copy)"
    }

    // MARK: Inputs

    /// The input embeddings of `tokens`, rows of the token-embedding matrix `[tokens, width]`.
    public func embed(_ tokens: [Int32]) throws -> [Float] {
        let width = configuration.width
        var out = [Float](repeating: 0, count: tokens.count * width)
        for (i, token) in tokens.enumerated() {
            guard token >= 0, Int(token) < configuration.vocabularySize else {
                throw LMError.invalidInput("token id \(token) at position \(i) is outside the vocabulary (0..<\(configuration.vocabularySize))")
            }
            out.replaceSubrange((i * width)..<((i + 1) * width), with: tokenEmbedding[(Int(token) * width)..<((Int(token) + 1) * width)])
        }
        return out
    }

    /// Keys and values of `embeddings` (`[length, width]`, one sequence at positions 0..<length)
    /// run with `adapters`, for batches that all continue it. No gradient flows into a prefix: it
    /// is a constant of the batches that use it, so after the adapters change it should be made
    /// again (a forward pass over its rows, no backward) for the gradients to stay exact.
    public func makePrefix(_ embeddings: [Float], adapters: [Int: LynxAdapter] = [:]) throws -> CachedPrefix {
        let c = configuration
        let length = embeddings.count / c.width
        let record = try forward(embeddings, batch: 1, length: length, adapters: adapters)
        let qkvWidth = c.width + 2 * c.keyValueWidth, kvWidth = c.keyValueWidth
        var keys: [[Float]] = [], values: [[Float]] = []
        for layer in record.layers {
            var k = [Float](repeating: 0, count: length * kvWidth), v = k
            for r in 0..<length {
                let row = r * qkvWidth + c.width
                k.replaceSubrange((r * kvWidth)..<((r + 1) * kvWidth), with: layer.queryKeyValue[row..<(row + kvWidth)])
                v.replaceSubrange((r * kvWidth)..<((r + 1) * kvWidth),
                                  with: layer.queryKeyValue[(row + kvWidth)..<(row + 2 * kvWidth)])
            }
            keys.append(k); values.append(v)
        }
        return CachedPrefix(length: length, keys: keys, values: values)
    }

    // MARK: Forward

    /// `forward` on B sequences given as `[sequence][position][width]` (all of one length).
    public func forward(batch sequences: [[[Float]]], adapters: [Int: LynxAdapter] = [:], prefix: CachedPrefix? = nil,
                        firstPosition: Int? = nil) throws -> ForwardRecord {
        guard let length = sequences.first?.count, sequences.allSatisfy({ $0.count == length }) else {
            throw LMError.invalidInput("a batch needs at least one sequence, all of the same length")
        }
        let width = configuration.width
        var flat: [Float] = []
        flat.reserveCapacity(sequences.count * length * width)
        for (s, sequence) in sequences.enumerated() {
            for (t, row) in sequence.enumerated() {
                guard row.count == width else {
                    throw LMError.invalidInput("sequence \(s), position \(t): \(row.count) values; the model's width is \(width)")
                }
                flat += row
            }
        }
        return try forward(flat, batch: sequences.count, length: length, adapters: adapters, prefix: prefix,
                           firstPosition: firstPosition)
    }

    /// Runs B sequences of `length` input embeddings (`inputs` is `[batch · length, width]`,
    /// sequence after sequence) through every layer: each sequence attends causally to itself
    /// and to all of `prefix`, at RoPE positions `firstPosition ..< firstPosition + length`
    /// (default: right after the prefix). Adapters always run (an adapter whose Up is zero adds
    /// zero). Returns the final-norm hidden states (`record.hidden`) and what `backward` needs.
    public func forward(_ inputs: [Float], batch: Int, length: Int, adapters: [Int: LynxAdapter] = [:],
                        prefix: CachedPrefix? = nil, firstPosition: Int? = nil) throws -> ForwardRecord {
        let c = configuration
        let width = c.width, kvWidth = c.keyValueWidth, ffWidth = c.feedForwardWidth
        let qkvWidth = width + 2 * kvWidth
        let n = batch * length
        guard batch > 0, length > 0 else { throw LMError.invalidInput("a batch needs at least one sequence of at least one position") }
        guard inputs.count == n * width else {
            throw LMError.invalidInput("inputs hold \(inputs.count) values; \(batch) × \(length) rows of width \(width) need \(n * width)")
        }
        guard inputs.allSatisfy({ $0.isFinite }) else { throw LMError.invalidInput("inputs contain NaN or infinite values") }
        try validate(adapters)
        if let prefix, prefix.keys.count != c.layerCount || prefix.keys.first?.count != prefix.length * kvWidth {
            throw LMError.invalidInput("the cached prefix was not made by a model of this shape")
        }
        let prefixLength = prefix?.length ?? 0
        let start = firstPosition ?? prefixLength
        guard start >= 0, start + length <= c.contextLength else {
            throw LMError.invalidInput("positions \(start)..<\(start + length) exceed the context of \(c.contextLength)")
        }
        rope.reserve(start + length)
        let span = prefixLength + length

        var x = inputs
        var h = [Float](repeating: 0, count: n * width)
        var attended = [Float](repeating: 0, count: n * width)
        var activated = [Float](repeating: 0, count: n * ffWidth)
        var records: [LayerRecord] = []
        records.reserveCapacity(c.layerCount)

        for (index, layer) in layers.enumerated() {
            let input = x
            // Attention block: x += Wo · Attention(RoPE(Wq·h), RoPE(Wk·h), Wv·h), h = RMSNorm(x).
            var attentionRMS = [Float](repeating: 0, count: n)
            rmsNorm(x, weight: layer.attentionNorm, rows: n, into: &h, inverseRMS: &attentionRMS)
            var qkv = [Float](repeating: 0, count: n * qkvWidth)
            product(h, rows: n, weight: layer.queryKeyValue, outputs: qkvWidth, into: &qkv)
            qkv.withUnsafeMutableBufferPointer { p in
                for b in 0..<batch {
                    let base = p.baseAddress! + b * length * qkvWidth
                    rope.rotate(base, rows: length, stride: qkvWidth, heads: c.headCount, headWidth: c.headWidth,
                                firstPosition: start, inverse: false)
                    rope.rotate(base + width, rows: length, stride: qkvWidth, heads: c.keyValueHeadCount,
                                headWidth: c.headWidth, firstPosition: start, inverse: false)
                }
            }
            var probabilities = [Float](repeating: 0, count: batch * c.headCount * length * span)
            attentionForward(qkv, batch: batch, length: length, prefix: prefix, layer: index,
                             probabilities: &probabilities, into: &attended)
            product(attended, rows: n, weight: layer.attentionOutput, outputs: width, accumulateInto: &x)
            let middle = x

            // Feed-forward block: x += W_down · (SiLU(W_gate·h) ⊙ W_up·h), h = RMSNorm(x).
            var feedForwardRMS = [Float](repeating: 0, count: n)
            rmsNorm(x, weight: layer.feedForwardNorm, rows: n, into: &h, inverseRMS: &feedForwardRMS)
            var gateUp = [Float](repeating: 0, count: n * 2 * ffWidth)
            product(h, rows: n, weight: layer.gateUp, outputs: 2 * ffWidth, into: &gateUp)
            gateUp.withUnsafeBufferPointer { g in
                activated.withUnsafeMutableBufferPointer { a in
                    TrainingKernels.swiGLUForward(g.baseAddress!, rows: n, width: ffWidth, into: a.baseAddress!)
                }
            }
            product(activated, rows: n, weight: layer.down, outputs: width, accumulateInto: &x)

            let adapterRecord = adapters[index].map { adapterForward($0, x: &x, rows: n) }
            records.append(LayerRecord(input: input, attentionInverseRMS: attentionRMS, queryKeyValue: qkv,
                                       probabilities: probabilities, middle: middle, feedForwardInverseRMS: feedForwardRMS,
                                       gateUp: gateUp, adapter: adapterRecord))
        }

        var finalRMS = [Float](repeating: 0, count: n)
        rmsNorm(x, weight: outputNorm, rows: n, into: &h, inverseRMS: &finalRMS)
        return ForwardRecord(batch: batch, length: length, prefix: prefix, firstPosition: start, adapters: adapters,
                             layers: records, finalResidual: x, finalInverseRMS: finalRMS, hidden: h)
    }

    private func validate(_ adapters: [Int: LynxAdapter]) throws {
        for (layer, adapter) in adapters {
            guard (0..<configuration.layerCount).contains(layer) else {
                throw LMError.invalidInput("an adapter is placed after layer \(layer); the model has layers 0..<\(configuration.layerCount)")
            }
            guard adapter.width == configuration.width else {
                throw LMError.invalidInput("the adapter after layer \(layer) is \(adapter.width) wide; the model is \(configuration.width)")
            }
        }
    }

    /// x ← x + scale · Up(SiLU(Down(LayerNorm(x)))), recording the branch's activations.
    func adapterForward(_ adapter: LynxAdapter, x: inout [Float], rows n: Int) -> AdapterRecord {
        let d = adapter.width, b = adapter.bottleneck
        var normalized = [Float](repeating: 0, count: n * d), normed = normalized, delta = normalized
        var inverseDeviation = [Float](repeating: 0, count: n)
        var pre = [Float](repeating: 0, count: n * b), hidden = pre
        x.withUnsafeBufferPointer { xp in
            adapter.normWeight.withUnsafeBufferPointer { w in
                adapter.normBias.withUnsafeBufferPointer { bias in
                    normalized.withUnsafeMutableBufferPointer { np in
                        inverseDeviation.withUnsafeMutableBufferPointer { sp in
                            normed.withUnsafeMutableBufferPointer { op in
                                TrainingKernels.layerNormForward(xp.baseAddress!, rows: n, width: d, weight: w.baseAddress!,
                                                                 bias: bias.baseAddress!, epsilon: 1e-5, normalized: np.baseAddress!,
                                                                 inverseDeviation: sp.baseAddress!, into: op.baseAddress!)
                            }
                        }
                    }
                }
            }
        }
        Self.affine(normed, rows: n, weight: adapter.downWeight, bias: adapter.downBias, outputs: b, into: &pre)
        pre.withUnsafeBufferPointer { p in
            hidden.withUnsafeMutableBufferPointer { TrainingKernels.siluForward(p.baseAddress!, count: n * b, into: $0.baseAddress!) }
        }
        Self.affine(hidden, rows: n, weight: adapter.upWeight, bias: adapter.upBias, outputs: d, into: &delta)
        let scale = adapter.scale
        x.withUnsafeMutableBufferPointer { xp in
            delta.withUnsafeBufferPointer { dp in
                let x = xp.baseAddress!, dl = dp.baseAddress!
                for i in 0..<(n * d) { x[i] += scale * dl[i] }
            }
        }
        return AdapterRecord(normalized: normalized, inverseDeviation: inverseDeviation, normed: normed,
                             downPreActivation: pre, hidden: hidden, delta: delta)
    }

    // MARK: Products and norms

    /// y[rows, outputs] = x[rows, inputs] · Wᵀ (`accumulate`: y += …), W `[outputs, inputs]`.
    func product(_ x: [Float], rows: Int, weight: [Float], outputs: Int, into y: inout [Float]) {
        productCore(x, rows: rows, weight: weight, outputs: outputs, beta: 0, into: &y)
    }

    func product(_ x: [Float], rows: Int, weight: [Float], outputs: Int, accumulateInto y: inout [Float]) {
        productCore(x, rows: rows, weight: weight, outputs: outputs, beta: 1, into: &y)
    }

    private func productCore(_ x: [Float], rows: Int, weight: [Float], outputs: Int, beta: Float, into y: inout [Float]) {
        let inputs = weight.count / outputs
        x.withUnsafeBufferPointer { xp in
            weight.withUnsafeBufferPointer { wp in
                y.withUnsafeMutableBufferPointer { yp in
                    MatrixProduct.gemm(transposeA: false, transposeB: true, m: rows, n: outputs, k: inputs,
                                       a: xp.baseAddress!, lda: inputs, b: wp.baseAddress!, ldb: inputs,
                                       beta: beta, c: yp.baseAddress!, ldc: outputs)
                }
            }
        }
    }

    /// dX[rows, inputs] = dY[rows, outputs] · W (`accumulate`: dX += …), W `[outputs, inputs]`:
    /// the input gradient of `product`, reading W as stored.
    func inputGradient(_ dy: [Float], rows: Int, weight: [Float], outputs: Int, into dx: inout [Float]) {
        let inputs = weight.count / outputs
        dy.withUnsafeBufferPointer { gp in
            weight.withUnsafeBufferPointer { wp in
                dx.withUnsafeMutableBufferPointer { xp in
                    MatrixProduct.gemm(transposeA: false, transposeB: false, m: rows, n: inputs, k: outputs,
                                       a: gp.baseAddress!, lda: outputs, b: wp.baseAddress!, ldb: inputs,
                                       c: xp.baseAddress!, ldc: inputs)
                }
            }
        }
    }

    func rmsNorm(_ x: [Float], weight: [Float], rows: Int, into out: inout [Float], inverseRMS: inout [Float]) {
        let width = configuration.width, epsilon = configuration.rmsNormEpsilon
        x.withUnsafeBufferPointer { xp in
            weight.withUnsafeBufferPointer { w in
                out.withUnsafeMutableBufferPointer { o in
                    inverseRMS.withUnsafeMutableBufferPointer { r in
                        TrainingKernels.rmsNormForward(xp.baseAddress!, rows: rows, width: width, weight: w.baseAddress!,
                                                       epsilon: epsilon, into: o.baseAddress!, inverseRMS: r.baseAddress!)
                    }
                }
            }
        }
    }

    /// out[rows, outputs] = in · Wᵀ + bias (the adapters' small products).
    static func affine(_ input: [Float], rows: Int, weight: [Float], bias: [Float], outputs: Int, into out: inout [Float]) {
        let inputs = weight.count / outputs
        input.withUnsafeBufferPointer { ip in
            weight.withUnsafeBufferPointer { wp in
                out.withUnsafeMutableBufferPointer { op in
                    let o = op.baseAddress!
                    for r in 0..<rows { (o + r * outputs).update(from: bias, count: outputs) }
                    MatrixProduct.gemm(transposeA: false, transposeB: true, m: rows, n: outputs, k: inputs,
                                       a: ip.baseAddress!, lda: inputs, b: wp.baseAddress!, ldb: inputs,
                                       beta: 1, c: o, ldc: outputs)
                }
            }
        }
    }

    // MARK: Dense copies

    /// The rows of `matrices` (all with the same inputs) one after another, as Float32.
    static func stacked(_ matrices: [WeightMatrix]) -> [Float] {
        let inputs = matrices[0].inputs
        precondition(matrices.allSatisfy { $0.inputs == inputs })
        var out = [Float](repeating: 0, count: matrices.reduce(0) { $0 + $1.outputs } * inputs)
        out.withUnsafeMutableBufferPointer { op in
            var row = 0
            for matrix in matrices {
                let base = op.baseAddress! + row * inputs
                switch matrix.storage {
                case .dense(let w):
                    base.update(from: w, count: w.count)
                case .quantized(let q):
                    let outputs = matrix.outputs
                    let chunks = EngineThreads.count, perChunk = (outputs + chunks - 1) / chunks
                    EngineThreads.parallelFor(chunks: chunks) { c in
                        let first = c * perChunk, end = Swift.min(outputs, first + perChunk)
                        if first < end { q.dequantize(rows: first..<end, into: base + first * inputs) }
                    }
                }
                row += matrix.outputs
            }
        }
        return out
    }

    static func values(of matrix: WeightMatrix) -> [Float] {
        if case .dense(let w) = matrix.storage { return w }
        return stacked([matrix])
    }
}

import Foundation
import SparkEngine
import SparkFormats

/// A LLaMA-architecture decoder (RMSNorm, RoPE, grouped-query attention, SwiGLU feed-forward)
/// running on the engine, with optional Lynx adapters after chosen layers.
///
/// One forward pass reads `DecoderInput`s at the next positions of a `KVCache`; read top to
/// bottom, `forward` is the whole model. Not thread-safe: one decoder serves one caller at a time
/// (its scratch buffers are reused between calls).
public final class LlamaDecoder {
    public let configuration: LlamaConfiguration
    let weights: LlamaWeights
    /// Lynx adapters by layer index (applied after that layer's feed-forward residual).
    public var adapters: [Int: LynxAdapter] = [:]
    let ropeFrequencies: [Float]
    let scratch = ScratchBuffer()
    private var denseLensMatrices: (input: WeightMatrix, output: WeightMatrix)?
    /// How activations and attention are rounded (see `DecoderNumerics`).
    public var numerics = DecoderNumerics.llamaCompatible

    public var file: GGUFFile { weights.file }

    public init(file: GGUFFile) throws {
        let configuration = try LlamaConfiguration(gguf: file)
        self.configuration = configuration
        weights = try LlamaWeights(file: file, configuration: configuration)
        ropeFrequencies = DecoderKernels.ropeFrequencies(base: configuration.ropeBase, dimensions: configuration.ropeDimensions)
    }

    public convenience init(path: String) throws {
        try self.init(file: GGUFFile(path: path))
    }

    public func makeCache(maximumLength: Int? = nil) -> KVCache {
        KVCache(configuration: configuration, maximumLength: maximumLength)
    }

    /// The input embedding of `token` (a row of the token-embedding matrix).
    public func embedding(of token: Int32) throws -> [Float] {
        guard token >= 0, Int(token) < configuration.vocabularySize else {
            throw LMError.invalidInput("token id \(token) is outside the vocabulary (0..<\(configuration.vocabularySize))")
        }
        var row = [Float](repeating: 0, count: configuration.width)
        row.withUnsafeMutableBufferPointer { weights.tokenEmbedding.row(Int(token), into: $0.baseAddress!) }
        return row
    }

    /// Runs `inputs` at the next positions of `cache` and returns the last position's logits
    /// (plus whatever `capture` asks for).
    public func forward(_ inputs: [DecoderInput], cache: KVCache, capture: CaptureRequest = .none) throws -> ForwardResult {
        let n = inputs.count
        guard n > 0 else { throw LMError.invalidInput("empty input: at least one token or embedding is needed") }
        let start = cache.count
        try cache.reserve(start + n)
        let pass = try run(inputs, cache: cache, layout: BatchLayout(prefix: start, storedAt: start, segments: [0..<n]), capture: capture)
        cache.advance(by: n)

        // Final norm: every row when asked (task heads), else only the last (generation).
        let width = configuration.width
        let normed = finalNorm(pass.residual, rows: (capture.finalHiddenStates ? 0 : n - 1)..<n)
        let last = Array(normed[(normed.count - width)...])
        return ForwardResult(positions: start..<(start + n), logits: outputLogits(normedHidden: last), lastHiddenState: last,
                             hiddenStates: pass.hiddenStates, attention: pass.attention,
                             finalHiddenStates: capture.finalHiddenStates ? normed : nil)
    }

    /// Runs several continuations of the same cached prefix side by side in one batched pass and
    /// returns each one's final-norm hidden states (`[branch length × width]` per branch).
    ///
    /// Every branch continues the first `prefixLength` positions of `cache` — it attends to them
    /// and causally to itself, never to another branch or to cached positions past the prefix — so
    /// each result equals a `forward` of that branch alone after the prefix. The branches' keys and
    /// values are written past the cache's end as scratch and forgotten: the cache keeps its count.
    /// Batching them gives sgemm long, efficient products (a gallery of images embedded against one
    /// prompt prefix). Attention takes the plain path (two sgemms around a softmax) whatever the
    /// numerics, since llama.cpp's flash-attention kernels need one run of contiguous keys.
    public func forwardBranches(_ branches: [[DecoderInput]], cache: KVCache, prefixLength: Int) throws -> [[Float]] {
        guard !branches.isEmpty, branches.allSatisfy({ !$0.isEmpty }) else {
            throw LMError.invalidInput("branches: at least one branch, each with at least one token or embedding, is needed")
        }
        guard (0...cache.count).contains(prefixLength) else {
            throw LMError.invalidInput("branches continue a prefix of \(prefixLength) positions; the cache holds \(cache.count)")
        }
        var segments: [Range<Int>] = [], n = 0
        for branch in branches {
            segments.append(n..<(n + branch.count))
            n += branch.count
        }
        let storedAt = cache.count
        try cache.reserve(storedAt + n)
        let pass = try run(Array(branches.joined()), cache: cache,
                           layout: BatchLayout(prefix: prefixLength, storedAt: storedAt, segments: segments), capture: .none)
        let width = configuration.width
        let normed = finalNorm(pass.residual, rows: 0..<n)
        return segments.map { Array(normed[($0.lowerBound * width)..<($0.upperBound * width)]) }
    }

    /// The layers over one batch laid out by `layout`: returns the residual stream after the last
    /// layer (`[rows × width]`) and what `capture` asks for. Keys and values go to the cache from
    /// row `layout.storedAt`; the caller advances the cache (or not).
    private func run(_ inputs: [DecoderInput], cache: KVCache, layout: BatchLayout, capture: CaptureRequest)
        throws -> (residual: [Float], hiddenStates: [[Float]]?, attention: [[Float]]?) {
        let c = configuration
        let n = inputs.count
        let width = c.width, kvWidth = c.keyValueWidth, ffWidth = c.feedForwardWidth

        // Activations for this call: x (residual), h (normed), q, k, v, attention output, gate, up.
        var x = try embedInputs(inputs)
        var h = [Float](repeating: 0, count: n * width)
        var q = [Float](repeating: 0, count: n * width)
        var attended = [Float](repeating: 0, count: n * width)
        var projected = [Float](repeating: 0, count: n * width)
        var gate = [Float](repeating: 0, count: n * ffWidth)
        var up = [Float](repeating: 0, count: n * ffWidth)
        var scores = [Float](repeating: 0, count: layout.scoreCount)

        var hiddenStates: [[Float]]? = capture.hiddenStates ? [x] : nil
        var attentionMaps: [[Float]]? = capture.attention ? [] : nil

        let layerAdapters = cache.adapters ?? adapters
        for (index, layer) in weights.layers.enumerated() {
            let keys = cache.keys(layer: index) + layout.storedAt * kvWidth
            let values = cache.values(layer: index) + layout.storedAt * kvWidth
            var layerAttention: [Float]? = capture.attention ? [Float](repeating: 0, count: c.headCount * n * (layout.prefix + n)) : nil
            // Attention block: x += Wo · Attention(RoPE(Wq·h), RoPE(Wk·h), Wv·h), h = RMSNorm(x).
            x.withUnsafeBufferPointer { xp in
                layer.attentionNorm.withUnsafeBufferPointer { w in
                    h.withUnsafeMutableBufferPointer { hp in
                        DecoderKernels.rmsNorm(xp.baseAddress!, rows: n, width: width, weight: w.baseAddress!,
                                               epsilon: c.rmsNormEpsilon, llamaOrder: numerics.llamaOperationOrder, into: hp.baseAddress!)
                    }
                }
            }
            h.withUnsafeBufferPointer { hp in
                q.withUnsafeMutableBufferPointer { qp in
                    WeightMatrix.apply(sharing: hp.baseAddress!, rows: n,
                                       (layer.query, qp.baseAddress!), (layer.key, keys), (layer.value, values),
                                       scratch: scratch, activations: numerics.activations)
                }
            }
            for segment in layout.segments {
                let positions = layout.positions(of: segment)
                q.withUnsafeMutableBufferPointer { qp in
                    rope(qp.baseAddress! + segment.lowerBound * width, rowWidth: width, heads: c.headCount, positions: positions)
                }
                rope(keys + segment.lowerBound * kvWidth, rowWidth: kvWidth, heads: c.keyValueHeadCount, positions: positions)
            }
            if numerics.halfPrecisionAttention {
                DecoderKernels.roundToHalf(keys, count: n * kvWidth)
                DecoderKernels.roundToHalf(values, count: n * kvWidth)
                // In llama.cpp order the attention kernels round queries themselves (or not: its
                // tiled kernel multiplies Float32 queries).
                if !numerics.llamaOperationOrder {
                    q.withUnsafeMutableBufferPointer { DecoderKernels.roundToHalf($0.baseAddress!, count: n * width) }
                }
            }
            attend(query: q, layer: index, cache: cache, layout: layout, scores: &scores,
                   into: &attended, probabilities: &layerAttention)
            attended.withUnsafeBufferPointer { ap in
                projected.withUnsafeMutableBufferPointer { pp in
                    layer.attentionOutput.apply(ap.baseAddress!, rows: n, into: pp.baseAddress!, scratch: scratch, activations: numerics.activations)
                }
            }
            addInPlace(&x, projected)

            // Feed-forward block: x += W_down · (SiLU(W_gate·h) ⊙ W_up·h), h = RMSNorm(x).
            x.withUnsafeBufferPointer { xp in
                layer.feedForwardNorm.withUnsafeBufferPointer { w in
                    h.withUnsafeMutableBufferPointer { hp in
                        DecoderKernels.rmsNorm(xp.baseAddress!, rows: n, width: width, weight: w.baseAddress!,
                                               epsilon: c.rmsNormEpsilon, llamaOrder: numerics.llamaOperationOrder, into: hp.baseAddress!)
                    }
                }
            }
            h.withUnsafeBufferPointer { hp in
                gate.withUnsafeMutableBufferPointer { gp in
                    up.withUnsafeMutableBufferPointer { up in
                        WeightMatrix.apply(sharing: hp.baseAddress!, rows: n,
                                           (layer.gate, gp.baseAddress!), (layer.up, up.baseAddress!),
                                           scratch: scratch, activations: numerics.activations)
                    }
                }
            }
            gate.withUnsafeMutableBufferPointer { gp in
                up.withUnsafeBufferPointer { up in
                    // Rows are independent, so splitting them over threads changes no value.
                    let g = gp.baseAddress!, u = up.baseAddress!, llamaOrder = numerics.llamaOperationOrder
                    if n == 1 && llamaOrder {
                        // A decoded token: halves of its row (split at a multiple of 8, where the
                        // SIMD groups fall anyway) on the spinning workers, through a C function
                        // so that they allocate nothing.
                        let threads = EngineThreads.count
                        var job = SiLUJob(gate: g, up: u, width: ffWidth, part: (ffWidth / threads + 7) & ~7)
                        EngineThreads.parallelFor(chunks: threads, context: &job) { context, c in
                            context!.assumingMemoryBound(to: SiLUJob.self).pointee.run(chunk: c)
                        }
                        return
                    }
                    EngineThreads.parallelRanges(count: n, grain: 8) { rows in
                        let offset = rows.lowerBound * ffWidth
                        if llamaOrder {
                            DecoderKernels.siluMultiplyLlama(g + offset, u + offset, rows: rows.count, width: ffWidth)
                        } else {
                            DecoderKernels.siluMultiply(g + offset, u + offset, count: rows.count * ffWidth)
                        }
                    }
                }
            }
            gate.withUnsafeBufferPointer { gp in
                projected.withUnsafeMutableBufferPointer { pp in
                    layer.down.apply(gp.baseAddress!, rows: n, into: pp.baseAddress!, scratch: scratch, activations: numerics.activations)
                }
            }
            addInPlace(&x, projected)

            if let adapter = layerAdapters[index] { adapter.apply(&x, rows: n) }
            hiddenStates?.append(x)
            if let layerAttention { attentionMaps?.append(layerAttention) }
        }
        return (x, hiddenStates, attentionMaps)
    }

    /// RMSNorm(x) · output-norm weight for `rows` of the residual stream `x`.
    private func finalNorm(_ x: [Float], rows: Range<Int>) -> [Float] {
        let width = configuration.width
        var normed = [Float](repeating: 0, count: rows.count * width)
        x.withUnsafeBufferPointer { xp in
            weights.outputNorm.withUnsafeBufferPointer { w in
                normed.withUnsafeMutableBufferPointer { np in
                    DecoderKernels.rmsNorm(xp.baseAddress! + rows.lowerBound * width, rows: rows.count, width: width,
                                           weight: w.baseAddress!, epsilon: configuration.rmsNormEpsilon,
                                           llamaOrder: numerics.llamaOperationOrder, into: np.baseAddress!)
                }
            }
        }
        return normed
    }

    /// Logits = W_out · h for a final-normed hidden state.
    public func outputLogits(normedHidden: [Float]) -> [Float] {
        var logits = [Float](repeating: 0, count: configuration.vocabularySize)
        normedHidden.withUnsafeBufferPointer { hp in
            logits.withUnsafeMutableBufferPointer { lp in
                weights.output.apply(hp.baseAddress!, rows: 1, into: lp.baseAddress!, scratch: scratch, activations: numerics.activations)
            }
        }
        return logits
    }

    /// The logit lens: final norm + output matrix applied to residual-stream rows of any layers,
    /// one logit vector per row. All rows meet the output matrix in one sgemm, on a Float32 copy
    /// of it (`lensMatrices`), so a lens over every layer costs about one quantised mat-vec.
    public func logitLens(residuals: [[Float]]) -> [[Float]] {
        let width = configuration.width
        guard !residuals.isEmpty else { return [] }
        for residual in residuals {
            precondition(residual.count == width, "logit lens: a residual has \(residual.count) values, the model's width is \(width)")
        }
        let normed = finalNorm(Array(residuals.joined()), rows: 0..<residuals.count)
        let logits = lensMatrices().output.apply(normed, rows: residuals.count, scratch: scratch)
        let vocabulary = configuration.vocabularySize
        return (0..<residuals.count).map { Array(logits[($0 * vocabulary)..<(($0 + 1) * vocabulary)]) }
    }

    /// Float32 copies of the token-embedding and output matrices for the lenses, made on first
    /// use (113 MB for SmolLM2's 49152 × 576) and kept; one copy when the model ties them.
    public func lensMatrices() -> (input: WeightMatrix, output: WeightMatrix) {
        if let denseLensMatrices { return denseLensMatrices }
        let input = weights.tokenEmbedding.dequantized()
        let made = (input: input, output: configuration.tiedOutput ? input : weights.output.dequantized())
        denseLensMatrices = made
        return made
    }

    private func embedInputs(_ inputs: [DecoderInput]) throws -> [Float] {
        let width = configuration.width
        var x = [Float](repeating: 0, count: inputs.count * width)
        try x.withUnsafeMutableBufferPointer { xp in
            for (i, input) in inputs.enumerated() {
                switch input {
                case .token(let id):
                    guard id >= 0, Int(id) < configuration.vocabularySize else {
                        throw LMError.invalidInput("token id \(id) at input position \(i) is outside the vocabulary (0..<\(configuration.vocabularySize))")
                    }
                    weights.tokenEmbedding.row(Int(id), into: xp.baseAddress! + i * width)
                case .embedding(let row):
                    guard row.count == width else {
                        throw LMError.invalidInput("embedding at input position \(i) has \(row.count) values; the model's width is \(width)")
                    }
                    guard row.allSatisfy({ $0.isFinite }) else {
                        throw LMError.invalidInput("embedding at input position \(i) contains NaN or infinite values")
                    }
                    (xp.baseAddress! + i * width).update(from: row, count: width)
                }
            }
        }
        return x
    }

    /// RoPE over `rows` rows of `heads` heads at `positions`, in the numerics' operation order.
    private func rope(_ x: UnsafeMutablePointer<Float>, rowWidth: Int, heads: Int, positions: Range<Int>) {
        let c = configuration
        if numerics.llamaOperationOrder {
            DecoderKernels.ropeAdjacentPairsLlama(x, rows: positions.count, rowWidth: rowWidth, heads: heads, headWidth: c.headWidth,
                                                  dimensions: c.ropeDimensions, base: c.ropeBase, positions: positions)
        } else {
            DecoderKernels.ropeAdjacentPairs(x, rows: positions.count, rowWidth: rowWidth, heads: heads, headWidth: c.headWidth,
                                             frequencies: ropeFrequencies, positions: positions)
        }
    }

    private func addInPlace(_ y: inout [Float], _ x: [Float]) {
        y.withUnsafeMutableBufferPointer { yp in
            x.withUnsafeBufferPointer { xp in DecoderKernels.add(yp.baseAddress!, xp.baseAddress!, count: yp.count) }
        }
    }
}

/// One chunk of a decoded token's SiLU(gate) ⊙ up: elements [c · part, (c + 1) · part).
private struct SiLUJob {
    let gate: UnsafeMutablePointer<Float>
    let up: UnsafePointer<Float>
    let width: Int
    let part: Int

    func run(chunk c: Int) {
        let from = Swift.min(width, c * part), to = Swift.min(width, from + part)
        if from < to { DecoderKernels.siluMultiplyLlama(gate + from, up + from, rows: 1, width: to - from) }
    }
}

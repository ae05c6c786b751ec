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
        let c = configuration
        let n = inputs.count
        guard n > 0 else { throw LMError.invalidInput("empty input: at least one token or embedding is needed") }
        let start = cache.count
        try cache.reserve(start + n)
        let total = start + n
        let width = c.width, kvWidth = c.keyValueWidth, ffWidth = c.feedForwardWidth

        // Activations for this call: x (residual), h (normed), q, k, v, attention output, gate, up.
        var x = try embedInputs(inputs)
        var h = [Float](repeating: 0, count: n * width)
        var q = [Float](repeating: 0, count: n * width)
        var attended = [Float](repeating: 0, count: n * width)
        var projected = [Float](repeating: 0, count: n * width)
        var gate = [Float](repeating: 0, count: n * ffWidth)
        var up = [Float](repeating: 0, count: n * ffWidth)
        var scores = [Float](repeating: 0, count: n * total)

        var hiddenStates: [[Float]]? = capture.hiddenStates ? [x] : nil
        var attentionMaps: [[Float]]? = capture.attention ? [] : nil

        for (index, layer) in weights.layers.enumerated() {
            let keys = cache.keys(layer: index) + start * kvWidth
            let values = cache.values(layer: index) + start * kvWidth
            var layerAttention: [Float]? = capture.attention ? [Float](repeating: 0, count: c.headCount * n * total) : nil

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
                    layer.query.apply(hp.baseAddress!, rows: n, into: qp.baseAddress!, scratch: scratch, activations: numerics.activations)
                }
                layer.key.apply(hp.baseAddress!, rows: n, into: keys, scratch: scratch, activations: numerics.activations)
                layer.value.apply(hp.baseAddress!, rows: n, into: values, scratch: scratch, activations: numerics.activations)
            }
            q.withUnsafeMutableBufferPointer { qp in rope(qp.baseAddress!, rowWidth: width, heads: c.headCount, positions: start..<total) }
            rope(keys, rowWidth: kvWidth, heads: c.keyValueHeadCount, positions: start..<total)
            if numerics.halfPrecisionAttention {
                DecoderKernels.roundToHalf(keys, count: n * kvWidth)
                DecoderKernels.roundToHalf(values, count: n * kvWidth)
                // In llama.cpp order the attention kernels round queries themselves (or not: its
                // tiled kernel multiplies Float32 queries).
                if !numerics.llamaOperationOrder {
                    q.withUnsafeMutableBufferPointer { DecoderKernels.roundToHalf($0.baseAddress!, count: n * width) }
                }
            }
            attend(query: q, layer: index, cache: cache, start: start, count: n, scores: &scores,
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
                    layer.gate.apply(hp.baseAddress!, rows: n, into: gp.baseAddress!, scratch: scratch, activations: numerics.activations)
                }
                up.withUnsafeMutableBufferPointer { up in
                    layer.up.apply(hp.baseAddress!, rows: n, into: up.baseAddress!, scratch: scratch, activations: numerics.activations)
                }
            }
            gate.withUnsafeMutableBufferPointer { gp in
                up.withUnsafeBufferPointer { up in
                    if numerics.llamaOperationOrder {
                        DecoderKernels.siluMultiplyLlama(gp.baseAddress!, up.baseAddress!, rows: n, width: ffWidth)
                    } else {
                        DecoderKernels.siluMultiply(gp.baseAddress!, up.baseAddress!, count: n * ffWidth)
                    }
                }
            }
            gate.withUnsafeBufferPointer { gp in
                projected.withUnsafeMutableBufferPointer { pp in
                    layer.down.apply(gp.baseAddress!, rows: n, into: pp.baseAddress!, scratch: scratch, activations: numerics.activations)
                }
            }
            addInPlace(&x, projected)

            if let adapter = adapters[index] { adapter.apply(&x, rows: n) }
            hiddenStates?.append(x)
            if let layerAttention { attentionMaps?.append(layerAttention) }
        }
        cache.advance(by: n)

        // Final norm: every row when asked (task heads), else only the last (generation).
        let normedRows = capture.finalHiddenStates ? n : 1
        let firstNormed = n - normedRows
        var normed = [Float](repeating: 0, count: normedRows * width)
        x.withUnsafeBufferPointer { xp in
            weights.outputNorm.withUnsafeBufferPointer { w in
                normed.withUnsafeMutableBufferPointer { np in
                    DecoderKernels.rmsNorm(xp.baseAddress! + firstNormed * width, rows: normedRows, width: width,
                                           weight: w.baseAddress!, epsilon: c.rmsNormEpsilon, llamaOrder: numerics.llamaOperationOrder,
                                           into: np.baseAddress!)
                }
            }
        }
        let last = Array(normed[((normedRows - 1) * width)...])
        let logits = outputLogits(normedHidden: last)
        return ForwardResult(positions: start..<total, logits: logits, lastHiddenState: last,
                             hiddenStates: hiddenStates, attention: attentionMaps,
                             finalHiddenStates: capture.finalHiddenStates ? normed : nil)
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

    /// The logit lens: final norm + output matrix applied to a residual-stream row of any layer.
    public func logitLens(residual: [Float]) -> [Float] {
        precondition(residual.count == configuration.width)
        var normed = [Float](repeating: 0, count: configuration.width)
        residual.withUnsafeBufferPointer { rp in
            weights.outputNorm.withUnsafeBufferPointer { w in
                normed.withUnsafeMutableBufferPointer { np in
                    DecoderKernels.rmsNorm(rp.baseAddress!, rows: 1, width: configuration.width, weight: w.baseAddress!,
                                           epsilon: configuration.rmsNormEpsilon, llamaOrder: numerics.llamaOperationOrder,
                                           into: np.baseAddress!)
                }
            }
        }
        return outputLogits(normedHidden: normed)
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

    /// Causal grouped-query attention of `count` queries (positions start..<start+count) over all
    /// cached keys; writes head outputs side by side into `output` `[count, width]`. In llama.cpp
    /// operation order the outputs come from `FlashAttention`; otherwise from two sgemms around a
    /// softmax, which also give the probabilities when they are captured.
    private func attend(query: [Float], layer: Int, cache: KVCache, start: Int, count n: Int,
                        scores: inout [Float], into output: inout [Float], probabilities: inout [Float]?) {
        let c = configuration
        let total = start + n
        let headWidth = c.headWidth, width = c.width, kvWidth = c.keyValueWidth
        let group = c.headCount / c.keyValueHeadCount
        let scale = 1 / Float(headWidth).squareRoot()
        let keys = cache.keys(layer: layer), values = cache.values(layer: layer)
        let flash = numerics.llamaOperationOrder
        if flash {
            flashAttend(query: query, keys: keys, values: values, start: start, count: n, into: &output)
            if probabilities == nil { return }
        }
        query.withUnsafeBufferPointer { qp in
            output.withUnsafeMutableBufferPointer { op in
                scores.withUnsafeMutableBufferPointer { sp in
                    for head in 0..<c.headCount {
                        let kvHead = head / group
                        let s = sp.baseAddress!
                        // scores[n, total] = scale · Q_head · K_kvHeadᵀ
                        MatrixProduct.gemm(transposeA: false, transposeB: true, m: n, n: total, k: headWidth, alpha: scale,
                                           a: qp.baseAddress! + head * headWidth, lda: width,
                                           b: keys + kvHead * headWidth, ldb: kvWidth, c: s, ldc: total)
                        for i in 0..<n {
                            DecoderKernels.softmax(s + i * total, valid: start + i + 1, count: total)
                        }
                        if probabilities != nil {
                            probabilities!.withUnsafeMutableBufferPointer { pp in
                                (pp.baseAddress! + head * n * total).update(from: s, count: n * total)
                            }
                        }
                        if flash { continue }
                        // out[n, headWidth] = P · V_kvHead
                        MatrixProduct.gemm(transposeA: false, transposeB: false, m: n, n: headWidth, k: total,
                                           a: s, lda: total, b: values + kvHead * headWidth, ldb: kvWidth,
                                           c: op.baseAddress! + head * headWidth, ldc: width)
                    }
                }
            }
        }
    }

    /// `attend`'s outputs computed as llama.cpp's flash attention (see `FlashAttention`): rows
    /// in micro-batches of 64 or more queries by the tiled variant, a lone query past position 255
    /// by the split variant, the others one at a time. One head per task.
    private func flashAttend(query: [Float], keys: UnsafePointer<Float>, values: UnsafePointer<Float>, start: Int, count n: Int,
                             into output: inout [Float]) {
        let c = configuration
        let headWidth = c.headWidth, width = c.width, group = c.headCount / c.keyValueHeadCount
        let scale = 1 / Float(headWidth).squareRoot()
        let halfPrecision = numerics.halfPrecisionAttention
        // Only the last micro-batch can be short, so the tiled rows are a prefix.
        let tiledRows = (0..<n).first { !FlashAttention.usesTiles(row: $0, of: n) } ?? n
        let tiles = (start + n + FlashAttention.tile - 1) / FlashAttention.tile
        let scratchCount = tiledRows > 0 ? tiles * FlashAttention.tile * headWidth + FlashAttention.tile + headWidth : 2 * headWidth
        let threads = numerics.llamaThreadCount
        let chunks = n * (start + n) * c.headCount < 16_384 ? 1 : EngineThreads.count
        query.withUnsafeBufferPointer { qp in
            output.withUnsafeMutableBufferPointer { op in
                let q = qp.baseAddress!, o = op.baseAddress!
                EngineThreads.parallelFor(chunks: chunks) { chunk in
                    withUnsafeTemporaryAllocation(of: Float.self, capacity: Swift.max(scratchCount, 4 * headWidth)) { scratch in
                        for head in stride(from: chunk, to: c.headCount, by: chunks) {
                            let kvOffset = (head / group) * headWidth, qOffset = head * headWidth
                            FlashAttention.attendTiled(queries: q + qOffset, queryStride: width, positions: start..<(start + tiledRows),
                                                       keys: keys + kvOffset, values: values + kvOffset, stride: c.keyValueWidth,
                                                       width: headWidth, scale: scale, scratch: scratch.baseAddress!,
                                                       into: o + qOffset, outStride: width)
                            if FlashAttention.usesSplit(count: n, position: start + n - 1) {
                                FlashAttention.attendSplit(query: q + qOffset, keys: keys + kvOffset, values: values + kvOffset,
                                                           stride: c.keyValueWidth, position: start, width: headWidth, scale: scale,
                                                           halfPrecision: halfPrecision, threads: threads,
                                                           scratch: scratch.baseAddress!, into: o + qOffset)
                                continue
                            }
                            for i in tiledRows..<n {
                                FlashAttention.attend(query: q + i * width + qOffset, keys: keys + kvOffset,
                                                      values: values + kvOffset, stride: c.keyValueWidth, keyCount: start + i + 1,
                                                      width: headWidth, scale: scale, halfPrecision: halfPrecision,
                                                      scratch: scratch.baseAddress!, into: o + i * width + qOffset)
                            }
                        }
                    }
                }
            }
        }
    }

    private func addInPlace(_ y: inout [Float], _ x: [Float]) {
        y.withUnsafeMutableBufferPointer { yp in
            x.withUnsafeBufferPointer { xp in DecoderKernels.add(yp.baseAddress!, xp.baseAddress!, count: yp.count) }
        }
    }
}

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
    /// The activations short passes reuse (see `DecoderActivations`).
    private lazy var keptActivations = DecoderActivations(width: configuration.width, feedForwardWidth: configuration.feedForwardWidth)
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
        try checkVocabulary(token)
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
        let layout = BatchLayout(prefix: start, storedAt: start, segments: [0..<n])
        let a = activations(rows: n, layout: layout, capture: capture)
        try embed(inputs, into: a.x)
        let (hiddenStates, attention) = run(a, rows: n, cache: cache, layout: layout, capture: capture)
        cache.advance(by: n)

        // Final norm: every row when asked (task heads), else only the last (generation).
        let width = configuration.width
        let normedRows = capture.finalHiddenStates ? 0..<n : (n - 1)..<n
        var normed = [Float](repeating: 0, count: normedRows.count * width)
        normed.withUnsafeMutableBufferPointer { finalNorm(a.x + normedRows.lowerBound * width, rows: normedRows.count, into: $0.baseAddress!) }
        let last = Array(normed[(normed.count - width)...])
        return ForwardResult(positions: start..<(start + n), logits: outputLogits(normedHidden: last), lastHiddenState: last,
                             hiddenStates: hiddenStates, attention: attention,
                             finalHiddenStates: capture.finalHiddenStates ? normed : nil)
    }

    /// Decodes one token: runs `token` at the next position of `cache` and writes the logits for
    /// the position after it into `logits` (made `vocabularySize` long). The generation loop and
    /// `bench llm` decode through this: once the decoder's kept activations and `logits` have
    /// their sizes, a decoded token allocates nothing (`DecodeAllocationTests`).
    public func decode(_ token: Int32, cache: KVCache, logits: inout [Float]) throws {
        try checkVocabulary(token)
        let start = cache.count
        try cache.reserve(start + 1)
        let layout = BatchLayout(prefix: start, storedAt: start, segments: [0..<1])
        let a = activations(rows: 1, layout: layout, capture: .none)
        weights.tokenEmbedding.row(Int(token), into: a.x)
        _ = run(a, rows: 1, cache: cache, layout: layout, capture: .none)
        cache.advance(by: 1)
        // After the last layer `h` is free: it takes the final-normed row.
        finalNorm(a.x, rows: 1, into: a.h)
        let vocabulary = configuration.vocabularySize
        if logits.count != vocabulary { logits = [Float](repeating: 0, count: vocabulary) }
        logits.withUnsafeMutableBufferPointer { writeLogits(normedHidden: a.h, into: $0.baseAddress!) }
    }

    /// Throws unless `token` is a row of the embedding matrix; `where` says which input it was.
    private func checkVocabulary(_ token: Int32, where place: String = "") throws {
        guard token >= 0, Int(token) < configuration.vocabularySize else {
            throw LMError.invalidInput("token id \(token)\(place) is outside the vocabulary (0..<\(configuration.vocabularySize))")
        }
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
        let layout = BatchLayout(prefix: prefixLength, storedAt: storedAt, segments: segments)
        let a = activations(rows: n, layout: layout, capture: .none)
        try embed(Array(branches.joined()), into: a.x)
        _ = run(a, rows: n, cache: cache, layout: layout, capture: .none)
        let width = configuration.width
        var normed = [Float](repeating: 0, count: n * width)
        normed.withUnsafeMutableBufferPointer { finalNorm(a.x, rows: n, into: $0.baseAddress!) }
        return segments.map { Array(normed[($0.lowerBound * width)..<($0.upperBound * width)]) }
    }

    /// Activation buffers for a pass of `rows` rows: the kept set for short passes, a set of its
    /// own for long ones (see `DecoderActivations`). The scores buffer is needed only where the
    /// attention is not flash attention, or its probabilities are captured.
    private func activations(rows: Int, layout: BatchLayout, capture: CaptureRequest) -> DecoderActivations {
        let flash = numerics.llamaOperationOrder && layout.isContiguous && !capture.attention
        let scoreCount = flash ? 0 : layout.scoreCount
        let set = rows <= DecoderActivations.keptRows
            ? keptActivations
            : DecoderActivations(width: configuration.width, feedForwardWidth: configuration.feedForwardWidth)
        set.reserve(rows: rows, scoreCount: scoreCount)
        return set
    }

    /// The layers over one batch laid out by `layout`, its input rows already in `a.x`: leaves the
    /// residual stream after the last layer in `a.x` (`[rows × width]`) and returns what `capture`
    /// asks for. Keys and values go to the cache from row `layout.storedAt`; the caller advances
    /// the cache (or not).
    private func run(_ a: DecoderActivations, rows n: Int, cache: KVCache, layout: BatchLayout, capture: CaptureRequest)
        -> (hiddenStates: [[Float]]?, attention: [[Float]]?) {
        let c = configuration
        let width = c.width, kvWidth = c.keyValueWidth, ffWidth = c.feedForwardWidth
        let x = a.x, h = a.h, q = a.q, gate = a.gate, up = a.up
        let llamaOrder = numerics.llamaOperationOrder

        var hiddenStates: [[Float]]? = capture.hiddenStates ? [a.residual(rows: n)] : nil
        var attentionMaps: [[Float]]? = capture.attention ? [] : nil

        let layerAdapters = cache.adapters ?? adapters
        for (index, layer) in weights.layers.enumerated() {
            let keys = cache.keys(layer: index) + layout.storedAt * kvWidth
            let values = cache.values(layer: index) + layout.storedAt * kvWidth
            var layerAttention: [Float]? = capture.attention ? [Float](repeating: 0, count: c.headCount * n * (layout.prefix + n)) : nil
            // Attention block: x += Wo · Attention(RoPE(Wq·h), RoPE(Wk·h), Wv·h), h = RMSNorm(x).
            layer.attentionNorm.withUnsafeBufferPointer { w in
                DecoderKernels.rmsNorm(x, rows: n, width: width, weight: w.baseAddress!,
                                       epsilon: c.rmsNormEpsilon, llamaOrder: llamaOrder, into: h)
            }
            WeightMatrix.apply(sharing: h, rows: n, (layer.query, q), (layer.key, keys), (layer.value, values),
                               scratch: scratch, activations: numerics.activations)
            for segment in layout.segments {
                let positions = layout.positions(of: segment)
                rope(q + segment.lowerBound * width, rowWidth: width, heads: c.headCount, positions: positions)
                rope(keys + segment.lowerBound * kvWidth, rowWidth: kvWidth, heads: c.keyValueHeadCount, positions: positions)
            }
            if numerics.halfPrecisionAttention {
                DecoderKernels.roundToHalf(keys, count: n * kvWidth)
                DecoderKernels.roundToHalf(values, count: n * kvWidth)
                // In llama.cpp order the attention kernels round queries themselves (or not: its
                // tiled kernel multiplies Float32 queries).
                if !llamaOrder { DecoderKernels.roundToHalf(q, count: n * width) }
            }
            attend(query: q, layer: index, cache: cache, layout: layout, scores: a.scores,
                   into: a.attended, probabilities: &layerAttention)
            layer.attentionOutput.apply(a.attended, rows: n, into: a.projected, scratch: scratch, activations: numerics.activations)
            DecoderKernels.add(x, a.projected, count: n * width)

            // Feed-forward block: x += W_down · (SiLU(W_gate·h) ⊙ W_up·h), h = RMSNorm(x).
            layer.feedForwardNorm.withUnsafeBufferPointer { w in
                DecoderKernels.rmsNorm(x, rows: n, width: width, weight: w.baseAddress!,
                                       epsilon: c.rmsNormEpsilon, llamaOrder: llamaOrder, into: h)
            }
            WeightMatrix.apply(sharing: h, rows: n, (layer.gate, gate), (layer.up, up),
                               scratch: scratch, activations: numerics.activations)
            // Rows are independent, so splitting them over threads changes no value.
            if n == 1 {
                // A decoded token: halves of its row (split at a multiple of 8, where the SIMD
                // groups fall anyway) on the spinning workers, through a C function so that they
                // allocate nothing.
                let threads = EngineThreads.count
                var job = SiLUJob(gate: gate, up: up, width: ffWidth, part: (ffWidth / threads + 7) & ~7, llamaOrder: llamaOrder)
                EngineThreads.parallelFor(chunks: threads, context: &job) { context, c in
                    context!.assumingMemoryBound(to: SiLUJob.self).pointee.run(chunk: c)
                }
            } else {
                EngineThreads.parallelRanges(count: n, grain: 8) { rows in
                    let offset = rows.lowerBound * ffWidth
                    if llamaOrder {
                        DecoderKernels.siluMultiplyLlama(gate + offset, up + offset, rows: rows.count, width: ffWidth)
                    } else {
                        DecoderKernels.siluMultiply(gate + offset, up + offset, count: rows.count * ffWidth)
                    }
                }
            }
            layer.down.apply(gate, rows: n, into: a.projected, scratch: scratch, activations: numerics.activations)
            DecoderKernels.add(x, a.projected, count: n * width)

            if let adapter = layerAdapters[index] { adapter.apply(x, rows: n) }
            hiddenStates?.append(a.residual(rows: n))
            if let layerAttention { attentionMaps?.append(layerAttention) }
        }
        return (hiddenStates, attentionMaps)
    }

    /// RMSNorm · output-norm weight over `rows` rows of the residual stream.
    private func finalNorm(_ x: UnsafePointer<Float>, rows: Int, into normed: UnsafeMutablePointer<Float>) {
        weights.outputNorm.withUnsafeBufferPointer { w in
            DecoderKernels.rmsNorm(x, rows: rows, width: configuration.width, weight: w.baseAddress!,
                                   epsilon: configuration.rmsNormEpsilon, llamaOrder: numerics.llamaOperationOrder, into: normed)
        }
    }

    /// Logits = W_out · h for a final-normed hidden state.
    public func outputLogits(normedHidden: [Float]) -> [Float] {
        var logits = [Float](repeating: 0, count: configuration.vocabularySize)
        normedHidden.withUnsafeBufferPointer { hp in
            logits.withUnsafeMutableBufferPointer { writeLogits(normedHidden: hp.baseAddress!, into: $0.baseAddress!) }
        }
        return logits
    }

    /// W_out · h into `logits` (`vocabularySize` floats) for one final-normed row.
    private func writeLogits(normedHidden h: UnsafePointer<Float>, into logits: UnsafeMutablePointer<Float>) {
        weights.output.apply(h, rows: 1, into: logits, scratch: scratch, activations: numerics.activations)
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
        let joined = Array(residuals.joined())
        var normed = [Float](repeating: 0, count: joined.count)
        joined.withUnsafeBufferPointer { xp in
            normed.withUnsafeMutableBufferPointer { finalNorm(xp.baseAddress!, rows: residuals.count, into: $0.baseAddress!) }
        }
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

    /// Writes each input's embedding row (a token's row of the embedding matrix, or the given
    /// row) into `x`, `[inputs × width]`.
    private func embed(_ inputs: [DecoderInput], into x: UnsafeMutablePointer<Float>) throws {
        let width = configuration.width
        for (i, input) in inputs.enumerated() {
            switch input {
            case .token(let id):
                try checkVocabulary(id, where: " at input position \(i)")
                weights.tokenEmbedding.row(Int(id), into: x + i * width)
            case .embedding(let row):
                guard row.count == width else {
                    throw LMError.invalidInput("embedding at input position \(i) has \(row.count) values; the model's width is \(width)")
                }
                guard row.allSatisfy({ $0.isFinite }) else {
                    throw LMError.invalidInput("embedding at input position \(i) contains NaN or infinite values")
                }
                (x + i * width).update(from: row, count: width)
            }
        }
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
}

/// One chunk of a decoded token's SiLU(gate) ⊙ up: elements [c · part, (c + 1) · part).
private struct SiLUJob {
    let gate: UnsafeMutablePointer<Float>
    let up: UnsafePointer<Float>
    let width: Int
    let part: Int
    let llamaOrder: Bool

    func run(chunk c: Int) {
        let from = Swift.min(width, c * part), to = Swift.min(width, from + part)
        guard from < to else { return }
        if llamaOrder {
            DecoderKernels.siluMultiplyLlama(gate + from, up + from, rows: 1, width: to - from)
        } else {
            DecoderKernels.siluMultiply(gate + from, up + from, count: to - from)
        }
    }
}

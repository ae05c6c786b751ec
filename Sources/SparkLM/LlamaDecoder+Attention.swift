import SparkEngine

/// Where the rows of one forward pass sit and what each may attend to.
///
/// An ordinary pass is one segment right after the cached positions. Branches
/// (`LlamaDecoder.forwardBranches`) are several segments that each continue the same prefix:
/// a row attends to the first `prefix` cached positions and causally within its own segment.
struct BatchLayout {
    /// Cached positions every row may attend to.
    let prefix: Int
    /// The cache row where the batch's keys and values are stored (row r of the batch at
    /// `storedAt + r`).
    let storedAt: Int
    /// Consecutive runs of the batch's rows; together they cover it.
    let segments: [Range<Int>]

    /// The positions (for RoPE) of a segment's rows: each segment starts right after the prefix.
    func positions(of segment: Range<Int>) -> Range<Int> { prefix..<(prefix + segment.count) }

    /// Whether this is an ordinary pass: one segment whose keys follow the prefix's in the cache.
    var isContiguous: Bool { segments.count == 1 && storedAt == prefix }

    /// Floats for one head's scores of the largest segment.
    var scoreCount: Int { segments.reduce(0) { Swift.max($0, $1.count * (prefix + $1.count)) } }
}

extension LlamaDecoder {
    /// Causal grouped-query attention of the batch's queries over the cached keys `layout`
    /// allows; writes head outputs side by side into `output` `[rows, width]`. An ordinary pass in
    /// llama.cpp operation order takes `FlashAttention`; otherwise, per segment and head, sgemms
    /// around a softmax give the scores over [prefix keys | the segment's own keys] (one sgemm when
    /// they are contiguous in the cache, two when a branch's keys sit past other rows), which also
    /// give the probabilities when they are captured (ordinary passes only).
    func attend(query: UnsafePointer<Float>, layer: Int, cache: KVCache, layout: BatchLayout,
                scores: UnsafeMutablePointer<Float>, into output: UnsafeMutablePointer<Float>, probabilities: inout [Float]?) {
        let c = configuration
        let headWidth = c.headWidth, width = c.width, kvWidth = c.keyValueWidth
        let group = c.headCount / c.keyValueHeadCount
        let scale = 1 / Float(headWidth).squareRoot()
        let keys = cache.keys(layer: layer), values = cache.values(layer: layer)
        let flash = numerics.llamaOperationOrder && layout.isContiguous
        if flash {
            let n = layout.segments[0].count
            flashAttend(query: query, keys: keys, values: values, start: layout.prefix, count: n, into: output)
            if probabilities == nil { return }
        }
        let prefix = layout.prefix
        for segment in layout.segments {
            let n = segment.count, span = prefix + n
            let ownRow = layout.storedAt + segment.lowerBound
            let contiguous = ownRow == prefix
            for head in 0..<c.headCount {
                let kvOffset = (head / group) * headWidth
                let s = scores, q = query + segment.lowerBound * width + head * headWidth
                // scores[n, span] = scale · Q_head · [K_prefix | K_own]ᵀ
                if contiguous {
                    MatrixProduct.gemm(transposeA: false, transposeB: true, m: n, n: span, k: headWidth, alpha: scale,
                                       a: q, lda: width, b: keys + kvOffset, ldb: kvWidth, c: s, ldc: span)
                } else {
                    MatrixProduct.gemm(transposeA: false, transposeB: true, m: n, n: prefix, k: headWidth, alpha: scale,
                                       a: q, lda: width, b: keys + kvOffset, ldb: kvWidth, c: s, ldc: span)
                    MatrixProduct.gemm(transposeA: false, transposeB: true, m: n, n: n, k: headWidth, alpha: scale,
                                       a: q, lda: width, b: keys + ownRow * kvWidth + kvOffset, ldb: kvWidth,
                                       c: s + prefix, ldc: span)
                }
                for i in 0..<n {
                    DecoderKernels.softmax(s + i * span, valid: prefix + i + 1, count: span)
                }
                if probabilities != nil {
                    probabilities!.withUnsafeMutableBufferPointer { pp in
                        (pp.baseAddress! + head * n * span).update(from: s, count: n * span)
                    }
                }
                if flash { continue }
                // out[n, headWidth] = P · [V_prefix | V_own]
                let out = output + segment.lowerBound * width + head * headWidth
                if contiguous {
                    MatrixProduct.gemm(transposeA: false, transposeB: false, m: n, n: headWidth, k: span,
                                       a: s, lda: span, b: values + kvOffset, ldb: kvWidth, c: out, ldc: width)
                } else {
                    MatrixProduct.gemm(transposeA: false, transposeB: false, m: n, n: headWidth, k: prefix,
                                       a: s, lda: span, b: values + kvOffset, ldb: kvWidth, c: out, ldc: width)
                    MatrixProduct.gemm(transposeA: false, transposeB: false, m: n, n: headWidth, k: n,
                                       a: s + prefix, lda: span, b: values + ownRow * kvWidth + kvOffset, ldb: kvWidth,
                                       beta: prefix > 0 ? 1 : 0, c: out, ldc: width)
                }
            }
        }
    }

    /// `attend`'s outputs computed as llama.cpp's flash attention (see `FlashAttention`): rows
    /// in micro-batches of 64 or more queries by the tiled variant, a lone query past position 255
    /// by the split variant, the others one at a time. One head per task.
    func flashAttend(query: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>, start: Int, count n: Int,
                     into output: UnsafeMutablePointer<Float>) {
        let c = configuration
        let headWidth = c.headWidth, width = c.width, group = c.headCount / c.keyValueHeadCount
        let scale = 1 / Float(headWidth).squareRoot()
        let halfPrecision = numerics.halfPrecisionAttention
        // Only the last micro-batch can be short, so the tiled rows are a prefix.
        let tiledRows = (0..<n).first { !FlashAttention.usesTiles(row: $0, of: n) } ?? n
        let tiles = (start + n + FlashAttention.tile - 1) / FlashAttention.tile
        let scratchCount = tiledRows > 0 ? tiles * FlashAttention.tile * headWidth + FlashAttention.tile + headWidth : 2 * headWidth
        let threads = numerics.llamaThreadCount
        // A decoded token's heads are split too, on the spinning workers, from a few dozen cached
        // positions on: its attention is otherwise a serial stretch between the parallel products.
        let chunks = n * (start + n) * c.headCount < 256 ? 1 : EngineThreads.count
        var job = FlashAttentionJob(queries: query, output: output, keys: keys, values: values, start: start,
                                    count: n, tiledRows: tiledRows, chunks: chunks, heads: c.headCount, group: group,
                                    width: width, headWidth: headWidth, keyValueWidth: c.keyValueWidth, scale: scale,
                                    halfPrecision: halfPrecision, threads: threads,
                                    scratchCount: Swift.max(scratchCount, 4 * headWidth))
        // A C function over the job, not a closure: the spinning workers then allocate nothing.
        EngineThreads.parallelFor(chunks: chunks, context: &job) { context, chunk in
            context!.assumingMemoryBound(to: FlashAttentionJob.self).pointee.run(chunk: chunk)
        }
    }
}

/// One chunk of `flashAttend`: heads chunk, chunk + chunks, … of every row.
private struct FlashAttentionJob {
    let queries: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
    let keys: UnsafePointer<Float>
    let values: UnsafePointer<Float>
    let start: Int, count: Int, tiledRows: Int, chunks: Int
    let heads: Int, group: Int, width: Int, headWidth: Int, keyValueWidth: Int
    let scale: Float
    let halfPrecision: Bool
    let threads: Int
    let scratchCount: Int

    func run(chunk: Int) {
        let (q, o, n) = (queries, output, count)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: scratchCount) { scratch in
            for head in stride(from: chunk, to: heads, by: chunks) {
                let kvOffset = (head / group) * headWidth, qOffset = head * headWidth
                FlashAttention.attendTiled(queries: q + qOffset, queryStride: width, positions: start..<(start + tiledRows),
                                           keys: keys + kvOffset, values: values + kvOffset, stride: keyValueWidth,
                                           width: headWidth, scale: scale, scratch: scratch.baseAddress!,
                                           into: o + qOffset, outStride: width)
                if FlashAttention.usesSplit(count: n, position: start + n - 1) {
                    FlashAttention.attendSplit(query: q + qOffset, keys: keys + kvOffset, values: values + kvOffset,
                                               stride: keyValueWidth, position: start, width: headWidth, scale: scale,
                                               halfPrecision: halfPrecision, threads: threads,
                                               scratch: scratch.baseAddress!, into: o + qOffset)
                    continue
                }
                for i in tiledRows..<n {
                    FlashAttention.attend(query: q + i * width + qOffset, keys: keys + kvOffset,
                                          values: values + kvOffset, stride: keyValueWidth, keyCount: start + i + 1,
                                          width: headWidth, scale: scale, halfPrecision: halfPrecision,
                                          scratch: scratch.baseAddress!, into: o + i * width + qOffset)
                }
            }
        }
    }
}

/// What `multiHeadAttention` returns.
public struct AttentionResult: Sendable {
    /// `[Lq, queryHeads · valueHeadDim]`, heads side by side as the output projection expects.
    public var output: Tensor
    /// `[queryHeads, Lq, Lk]` softmax weights, when asked for (for inspection); nil otherwise.
    public var probabilities: Tensor?
}

/// Scaled dot-product attention over heads laid side by side in the rows:
/// `query [Lq, queryHeads · d]`, `key [Lk, keyValueHeads · d]`, `value [Lk, keyValueHeads · dv]`.
///
/// Grouped-query attention: `queryHeads` is a multiple of `keyValueHeads`, and query head h reads
/// key/value head h / (queryHeads / keyValueHeads) (consecutive query heads share one, as in LLaMA).
/// Self-attention passes the same sequence's keys, cross-attention another's; `mask` is
/// `.causal(offset:)` for decoders (offset = keys before the first query). The scale defaults to
/// 1/√d. Both products go through BLAS on strided views of the head columns, so no head is copied.
public func multiHeadAttention(
    query: Tensor, key: Tensor, value: Tensor,
    queryHeads: Int, keyValueHeads: Int,
    mask: AttentionMask = .full, scale: Float? = nil, returnProbabilities: Bool = false
) -> AttentionResult {
    precondition(query.rank == 2 && key.rank == 2 && value.rank == 2,
                 "attention expects rank-2 query, key, value; got \(query.shape), \(key.shape), \(value.shape)")
    precondition(queryHeads > 0 && keyValueHeads > 0 && queryHeads % keyValueHeads == 0,
                 "attention needs queryHeads (\(queryHeads)) to be a positive multiple of keyValueHeads (\(keyValueHeads))")
    let queries = query.shape[0], keys = key.shape[0]
    precondition(value.shape[0] == keys, "attention: key has \(keys) rows, value \(value.shape[0])")
    precondition(query.shape[1] % queryHeads == 0 && query.shape[1] > 0,
                 "attention: query width \(query.shape[1]) is not a positive multiple of \(queryHeads) heads")
    let headDim = query.shape[1] / queryHeads
    precondition(key.shape[1] == keyValueHeads * headDim,
                 "attention: key width \(key.shape[1]) should be \(keyValueHeads) heads × \(headDim)")
    precondition(value.shape[1] % keyValueHeads == 0,
                 "attention: value width \(value.shape[1]) is not a multiple of \(keyValueHeads) heads")
    let valueHeadDim = value.shape[1] / keyValueHeads
    let group = queryHeads / keyValueHeads
    let alpha = scale ?? 1 / Float(headDim).squareRoot()

    let probabilityShape = [queryHeads, queries, keys]
    if queries == 0 || keys == 0 || valueHeadDim == 0 {
        // Nothing to attend to (or nothing to read): an all-zero output, as an empty weighted sum.
        return AttentionResult(output: Tensor(zeros: [queries, queryHeads * valueHeadDim]),
                               probabilities: returnProbabilities ? Tensor(zeros: probabilityShape) : nil)
    }
    // Scores of one head at a time unless all heads' weights are wanted.
    var weights = [Float](unsafeUninitializedCapacity: (returnProbabilities ? queryHeads : 1) * queries * keys) {
        _, initialized in initialized = (returnProbabilities ? queryHeads : 1) * queries * keys
    }
    let output = query.withUnsafeBufferPointer { q in
        key.withUnsafeBufferPointer { k in
            value.withUnsafeBufferPointer { v in
                weights.withUnsafeMutableBufferPointer { w in
                    Tensor(shape: [queries, queryHeads * valueHeadDim], uninitializedWith: { out in
                        for head in 0..<queryHeads {
                            let shared = head / group
                            let scores = w.baseAddress! + (returnProbabilities ? head * queries * keys : 0)
                            MatrixProduct.gemm(
                                transposeA: false, transposeB: true, m: queries, n: keys, k: headDim, alpha: alpha,
                                a: q.baseAddress! + head * headDim, lda: queryHeads * headDim,
                                b: k.baseAddress! + shared * headDim, ldb: keyValueHeads * headDim,
                                c: scores, ldc: keys)
                            EngineThreads.parallelRanges(count: queries, grain: Swift.max(1, 8192 / keys)) { range in
                                for row in range {
                                    softmaxRow(scores + row * keys, width: keys,
                                               visible: mask.visibleKeys(forQuery: row, of: keys))
                                }
                            }
                            MatrixProduct.gemm(
                                transposeA: false, transposeB: false, m: queries, n: valueHeadDim, k: keys,
                                a: scores, lda: keys,
                                b: v.baseAddress! + shared * valueHeadDim, ldb: keyValueHeads * valueHeadDim,
                                c: out.baseAddress! + head * valueHeadDim, ldc: queryHeads * valueHeadDim)
                        }
                    })
                }
            }
        }
    }
    return AttentionResult(output: output,
                           probabilities: returnProbabilities ? Tensor(shape: probabilityShape, scalars: weights) : nil)
}

import SparkEngine

extension Variable {
    /// Scaled dot-product attention over heads laid side by side (SparkEngine's `multiHeadAttention`):
    /// query `[Lq, queryHeads · d]`, key `[Lk, keyValueHeads · d]`, value `[Lk, keyValueHeads · dv]`
    /// → `[Lq, queryHeads · dv]`. Self-attention passes the same (or split) variables as query, key
    /// and value, cross-attention another sequence's; grouped-query heads and `.causal(offset:)`
    /// masks as in the engine.
    ///
    /// The forward keeps the softmax weights P `[queryHeads, Lq, Lk]`. Per query head h reading
    /// key/value head s, with S = α·Q_h·K_sᵀ, P = softmax(S), O_h = P·V_s and G = dO_h:
    /// dV_s += Pᵀ·G, dP = G·V_sᵀ, dS = P ⊙ (dP − rowsum(dP ⊙ P)), dQ_h = α·dS·K_s, dK_s += α·dSᵀ·Q_h —
    /// four sgemms on strided views of the head columns, as the forward's two.
    public static func multiHeadAttention(
        query: Variable, key: Variable, value: Variable,
        queryHeads: Int, keyValueHeads: Int, mask: AttentionMask = .full, scale: Float? = nil
    ) -> Variable {
        let q = query.value, k = key.value, v = value.value
        // The weights are kept only when a backward will read them.
        let keepsWeights = query.needsGradient || key.needsGradient || value.needsGradient
        let result = SparkEngine.multiHeadAttention(query: q, key: k, value: v, queryHeads: queryHeads,
                                                    keyValueHeads: keyValueHeads, mask: mask, scale: scale,
                                                    returnProbabilities: keepsWeights)
        let (qID, kID, vID) = (query.id, key.id, value.id)
        let probabilities = result.probabilities
        return query.tape.record(result.output, inputs: [query, key, value]) { g, tape in
            let wantsQ = tape.needsGradient(qID), wantsK = tape.needsGradient(kID), wantsV = tape.needsGradient(vID)
            var dq = Tensor(zeros: q.shape), dk = Tensor(zeros: k.shape), dv = Tensor(zeros: v.shape)
            let queries = q.shape[0], keys = k.shape[0]
            let headDim = q.shape[1] / queryHeads, valueHeadDim = v.shape[1] / keyValueHeads
            if let probabilities, queries > 0, keys > 0, valueHeadDim > 0 {
                let group = queryHeads / keyValueHeads
                let alpha = scale ?? 1 / Float(headDim).squareRoot()
                let (qWidth, kWidth, vWidth, oWidth) = (queryHeads * headDim, keyValueHeads * headDim,
                                                        keyValueHeads * valueHeadDim, queryHeads * valueHeadDim)
                var scoreGradient = [Float](repeating: 0, count: queries * keys)
                q.withUnsafeBufferPointer { qb in k.withUnsafeBufferPointer { kb in v.withUnsafeBufferPointer { vb in
                probabilities.withUnsafeBufferPointer { pb in g.withUnsafeBufferPointer { gb in
                dq.withUnsafeMutableBufferPointer { dqb in dk.withUnsafeMutableBufferPointer { dkb in
                dv.withUnsafeMutableBufferPointer { dvb in scoreGradient.withUnsafeMutableBufferPointer { sb in
                    let ds = sb.baseAddress!
                    for head in 0..<queryHeads {
                        let shared = head / group
                        let p = pb.baseAddress! + head * queries * keys
                        let gHead = gb.baseAddress! + head * valueHeadDim
                        if wantsV {
                            MatrixProduct.gemm(transposeA: true, transposeB: false, m: keys, n: valueHeadDim, k: queries,
                                               a: p, lda: keys, b: gHead, ldb: oWidth,
                                               beta: 1, c: dvb.baseAddress! + shared * valueHeadDim, ldc: vWidth)
                        }
                        guard wantsQ || wantsK else { continue }
                        MatrixProduct.gemm(transposeA: false, transposeB: true, m: queries, n: keys, k: valueHeadDim,
                                           a: gHead, lda: oWidth, b: vb.baseAddress! + shared * valueHeadDim, ldb: vWidth,
                                           c: ds, ldc: keys)
                        EngineThreads.parallelRanges(count: queries, grain: Swift.max(1, 8192 / keys)) { range in
                            for row in range {
                                softmaxBackwardRow(p + row * keys, ds + row * keys, ds + row * keys, width: keys)
                            }
                        }
                        if wantsQ {
                            MatrixProduct.gemm(transposeA: false, transposeB: false, m: queries, n: headDim, k: keys, alpha: alpha,
                                               a: ds, lda: keys, b: kb.baseAddress! + shared * headDim, ldb: kWidth,
                                               c: dqb.baseAddress! + head * headDim, ldc: qWidth)
                        }
                        if wantsK {
                            MatrixProduct.gemm(transposeA: true, transposeB: false, m: keys, n: headDim, k: queries, alpha: alpha,
                                               a: ds, lda: keys, b: qb.baseAddress! + head * headDim, ldb: qWidth,
                                               beta: 1, c: dkb.baseAddress! + shared * headDim, ldc: kWidth)
                        }
                    }
                } } } } } } } } }
            }
            if wantsQ { tape.accumulate(qID, dq) }
            if wantsK { tape.accumulate(kID, dk) }
            if wantsV { tape.accumulate(vID, dv) }
        }
    }

    /// Rotary position embedding of `[L, heads · headDim]` rows (`Tensor.applyingRoPE`). The
    /// rotation is orthogonal, so its transpose — the rotation by −θ, i.e. RoPE at the negated
    /// positions — maps the gradient back.
    public func applyingRoPE(positions: [Int], configuration: RoPEConfiguration) -> Variable {
        let output = value.applyingRoPE(positions: positions, configuration: configuration)
        let xID = id
        return tape.record(output, inputs: [self]) { g, tape in
            tape.accumulate(xID, g.applyingRoPE(positions: positions.map { -$0 }, configuration: configuration))
        }
    }
}

/// Attention on variables; see `Variable.multiHeadAttention`.
public func multiHeadAttention(
    query: Variable, key: Variable, value: Variable,
    queryHeads: Int, keyValueHeads: Int, mask: AttentionMask = .full, scale: Float? = nil
) -> Variable {
    Variable.multiHeadAttention(query: query, key: key, value: value, queryHeads: queryHeads,
                                keyValueHeads: keyValueHeads, mask: mask, scale: scale)
}

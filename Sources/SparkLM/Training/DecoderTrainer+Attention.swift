import SparkEngine

extension DecoderTrainer {
    /// Causal grouped-query attention, per sequence and head: scores = scale · Q · [K_prefix | K_own]ᵀ,
    /// P = softmax (row i sees the prefix and own keys 0…i), out = P · [V_prefix | V_own].
    /// `qkv` is `[rows, width + 2·kvWidth]` after RoPE; P goes to `probabilities`
    /// `[batch, heads, length, span]`, head outputs side by side to `output` `[rows, width]`.
    func attentionForward(_ qkv: [Float], batch: Int, length: Int, prefix: CachedPrefix?, layer: Int,
                          probabilities: inout [Float], into output: inout [Float]) {
        let c = configuration
        let width = c.width, kvWidth = c.keyValueWidth, headWidth = c.headWidth
        let qkvWidth = width + 2 * kvWidth, group = c.headCount / c.keyValueHeadCount
        let scale = 1 / Float(headWidth).squareRoot()
        let p = prefix?.length ?? 0, span = p + length
        let prefixKeys = prefix?.keys[layer] ?? [], prefixValues = prefix?.values[layer] ?? []
        qkv.withUnsafeBufferPointer { qp in
            probabilities.withUnsafeMutableBufferPointer { pp in
                output.withUnsafeMutableBufferPointer { op in
                    prefixKeys.withUnsafeBufferPointer { pk in
                        prefixValues.withUnsafeBufferPointer { pv in
                            for b in 0..<batch {
                                let rows = qp.baseAddress! + b * length * qkvWidth
                                for head in 0..<c.headCount {
                                    let kvOffset = (head / group) * headWidth
                                    let q = rows + head * headWidth, k = rows + width + kvOffset, v = rows + width + kvWidth + kvOffset
                                    let s = pp.baseAddress! + (b * c.headCount + head) * length * span
                                    if p > 0 {
                                        MatrixProduct.gemm(transposeA: false, transposeB: true, m: length, n: p, k: headWidth, alpha: scale,
                                                           a: q, lda: qkvWidth, b: pk.baseAddress! + kvOffset, ldb: kvWidth, c: s, ldc: span)
                                    }
                                    MatrixProduct.gemm(transposeA: false, transposeB: true, m: length, n: length, k: headWidth, alpha: scale,
                                                       a: q, lda: qkvWidth, b: k, ldb: qkvWidth, c: s + p, ldc: span)
                                    for i in 0..<length {
                                        DecoderKernels.softmax(s + i * span, valid: p + i + 1, count: span)
                                    }
                                    let out = op.baseAddress! + b * length * width + head * headWidth
                                    if p > 0 {
                                        MatrixProduct.gemm(transposeA: false, transposeB: false, m: length, n: headWidth, k: p,
                                                           a: s, lda: span, b: pv.baseAddress! + kvOffset, ldb: kvWidth, c: out, ldc: width)
                                    }
                                    MatrixProduct.gemm(transposeA: false, transposeB: false, m: length, n: headWidth, k: length,
                                                       a: s + p, lda: span, b: v, ldb: qkvWidth, beta: p > 0 ? 1 : 0, c: out, ldc: width)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The gradient of `attentionForward` with respect to its queries, keys and values (after
    /// RoPE), given the gradient of its output `dOutput` `[rows, width]`; writes `dQKV`
    /// `[rows, width + 2·kvWidth]` (the prefix's keys and values take no gradient):
    /// dP = dO · Vᵀ, dS = P ⊙ (dP − rowsum(P ⊙ dP)), dQ = scale · dS · K, dK = scale · dSᵀ · Q,
    /// dV = Pᵀ · dO, summed over the heads that share a key-value head.
    func attentionBackward(_ record: ForwardRecord, layer: Int, outputGradient dOutput: [Float], into dQKV: inout [Float]) {
        let c = configuration
        let width = c.width, kvWidth = c.keyValueWidth, headWidth = c.headWidth
        let qkvWidth = width + 2 * kvWidth, group = c.headCount / c.keyValueHeadCount
        let scale = 1 / Float(headWidth).squareRoot()
        let batch = record.batch, length = record.length
        let p = record.prefix?.length ?? 0, span = p + length
        let prefixKeys = record.prefix?.keys[layer] ?? [], prefixValues = record.prefix?.values[layer] ?? []
        let layerRecord = record.layers[layer]
        var dScores = [Float](repeating: 0, count: length * span)
        dQKV.withUnsafeMutableBufferPointer { dp in
            dp.baseAddress!.update(repeating: 0, count: dp.count)
            layerRecord.queryKeyValue.withUnsafeBufferPointer { qp in
                layerRecord.probabilities.withUnsafeBufferPointer { pp in
                    dOutput.withUnsafeBufferPointer { gp in
                        dScores.withUnsafeMutableBufferPointer { sp in
                            prefixKeys.withUnsafeBufferPointer { pk in
                                prefixValues.withUnsafeBufferPointer { pv in
                                    let ds = sp.baseAddress!
                                    for b in 0..<batch {
                                        let rows = qp.baseAddress! + b * length * qkvWidth
                                        let dRows = dp.baseAddress! + b * length * qkvWidth
                                        for head in 0..<c.headCount {
                                            let kvOffset = (head / group) * headWidth
                                            let q = rows + head * headWidth, k = rows + width + kvOffset
                                            let v = rows + width + kvWidth + kvOffset
                                            let dq = dRows + head * headWidth, dk = dRows + width + kvOffset
                                            let dv = dRows + width + kvWidth + kvOffset
                                            let probs = pp.baseAddress! + (b * c.headCount + head) * length * span
                                            let dOut = gp.baseAddress! + b * length * width + head * headWidth
                                            // dP[length, span] = dO · [V_prefix | V_own]ᵀ
                                            if p > 0 {
                                                MatrixProduct.gemm(transposeA: false, transposeB: true, m: length, n: p, k: headWidth,
                                                                   a: dOut, lda: width, b: pv.baseAddress! + kvOffset, ldb: kvWidth,
                                                                   c: ds, ldc: span)
                                            }
                                            MatrixProduct.gemm(transposeA: false, transposeB: true, m: length, n: length, k: headWidth,
                                                               a: dOut, lda: width, b: v, ldb: qkvWidth, c: ds + p, ldc: span)
                                            // dV_own += P_ownᵀ · dO
                                            MatrixProduct.gemm(transposeA: true, transposeB: false, m: length, n: headWidth, k: length,
                                                               a: probs + p, lda: span, b: dOut, ldb: width,
                                                               beta: 1, c: dv, ldc: qkvWidth)
                                            Self.softmaxBackward(probs, gradient: ds, rows: length, span: span, prefix: p)
                                            // dQ = scale · dS · [K_prefix | K_own]
                                            if p > 0 {
                                                MatrixProduct.gemm(transposeA: false, transposeB: false, m: length, n: headWidth, k: p,
                                                                   alpha: scale, a: ds, lda: span, b: pk.baseAddress! + kvOffset,
                                                                   ldb: kvWidth, c: dq, ldc: qkvWidth)
                                            }
                                            MatrixProduct.gemm(transposeA: false, transposeB: false, m: length, n: headWidth, k: length,
                                                               alpha: scale, a: ds + p, lda: span, b: k, ldb: qkvWidth,
                                                               beta: p > 0 ? 1 : 0, c: dq, ldc: qkvWidth)
                                            // dK_own += scale · dS_ownᵀ · Q
                                            MatrixProduct.gemm(transposeA: true, transposeB: false, m: length, n: headWidth, k: length,
                                                               alpha: scale, a: ds + p, lda: span, b: q, ldb: qkvWidth,
                                                               beta: 1, c: dk, ldc: qkvWidth)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// dS = P ⊙ (dP − Σ_j P ⊙ dP) in place over `gradient` (dP), row by row; entries past the
    /// causal diagonal (P = 0) become 0.
    static func softmaxBackward(_ probabilities: UnsafePointer<Float>, gradient: UnsafeMutablePointer<Float>,
                                rows: Int, span: Int, prefix: Int) {
        for i in 0..<rows {
            let pr = probabilities + i &* span, g = gradient + i &* span
            let valid = prefix &+ i &+ 1
            let dot = TrainingKernels.dot(pr, g, count: valid)
            for j in 0..<valid { g[j] = pr[j] * (g[j] - dot) }
            for j in valid..<span { g[j] = 0 }
        }
    }
}

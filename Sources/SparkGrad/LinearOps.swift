import SparkEngine

extension Variable {
    /// A fully connected layer: `self [..., in] · weightᵀ + bias`, weight `[out, in]`, bias `[out]`
    /// (`Tensor.linear`). With X the input as `[rows, in]` and G the output gradient `[rows, out]`:
    /// dX = G · W, dW = Gᵀ · X, db = Σ_rows G — two sgemms and a gemv.
    public func linear(weight: Variable, bias: Variable? = nil) -> Variable {
        let x = value, w = weight.value
        let output = x.linear(weight: w, bias: bias?.value)
        let (xID, wID, bID) = (id, weight.id, bias?.id)
        let inputs = [self, weight] + (bias.map { [$0] } ?? [])
        return tape.record(output, inputs: inputs) { g, tape in
            let outputs = w.shape[0], width = w.shape[1]
            let rows = x.count / Swift.max(width, 1)
            if let bID, tape.needsGradient(bID) { tape.accumulate(bID, GradientKernels.columnSums(g, width: outputs)) }
            if rows == 0 || outputs == 0 || width == 0 {
                if tape.needsGradient(xID) { tape.accumulate(xID, Tensor(zeros: x.shape)) }
                if tape.needsGradient(wID) { tape.accumulate(wID, Tensor(zeros: w.shape)) }
                return
            }
            g.withUnsafeBufferPointer { gp in
                if tape.needsGradient(xID) {
                    let dx = w.withUnsafeBufferPointer { wp in
                        Tensor(shape: x.shape, uninitializedWith: { out in
                            MatrixProduct.gemm(transposeA: false, transposeB: false, m: rows, n: width, k: outputs,
                                               a: gp.baseAddress!, lda: outputs, b: wp.baseAddress!, ldb: width,
                                               c: out.baseAddress!, ldc: width)
                        })
                    }
                    tape.accumulate(xID, dx)
                }
                if tape.needsGradient(wID) {
                    let dw = x.withUnsafeBufferPointer { xp in
                        Tensor(shape: w.shape, uninitializedWith: { out in
                            MatrixProduct.gemm(transposeA: true, transposeB: false, m: outputs, n: width, k: rows,
                                               a: gp.baseAddress!, lda: outputs, b: xp.baseAddress!, ldb: width,
                                               c: out.baseAddress!, ldc: width)
                        })
                    }
                    tape.accumulate(wID, dw)
                }
            }
        }
    }

    /// Matrix product of the last two axes (`Tensor.matmul`): leading axes are batch axes of equal
    /// size, or `other` is 2-D and shared across the batch (its gradient then sums over the batch).
    /// With C = op(A) · op(B) and G = dC: d op(A) = G · op(B)ᵀ and d op(B) = op(A)ᵀ · G, each one
    /// sgemm per batch item with the transposes folded into BLAS's flags.
    public func matmul(_ other: Variable, transposeSelf: Bool = false, transposeOther: Bool = false) -> Variable {
        let a = value, b = other.value
        let output = a.matmul(b, transposeSelf: transposeSelf, transposeOther: transposeOther)
        let (aID, bID) = (id, other.id)
        return tape.record(output, inputs: [self, other]) { g, tape in
            let (ar, ac) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
            let (br, bc) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
            let (m, k) = transposeSelf ? (ac, ar) : (ar, ac)
            let n = transposeOther ? br : bc
            let batch = a.count / Swift.max(ar * ac, 1)
            let shared = b.rank == 2
            g.withUnsafeBufferPointer { gp in
                if tape.needsGradient(aID) {
                    let da = b.withUnsafeBufferPointer { bp in
                        Tensor(shape: a.shape, uninitializedWith: { out in
                            if out.count == 0 { return }
                            for i in 0..<batch {
                                let gi = gp.baseAddress! + i * m * n, bi = bp.baseAddress! + (shared ? 0 : i * br * bc)
                                let ai = out.baseAddress! + i * ar * ac
                                if !transposeSelf {
                                    // dA [m, k] = G · op(B)ᵀ
                                    MatrixProduct.gemm(transposeA: false, transposeB: !transposeOther, m: m, n: k, k: n,
                                                       a: gi, lda: n, b: bi, ldb: bc, c: ai, ldc: ac)
                                } else {
                                    // A is [k, m]: dA = op(B) · Gᵀ
                                    MatrixProduct.gemm(transposeA: transposeOther, transposeB: true, m: k, n: m, k: n,
                                                       a: bi, lda: bc, b: gi, ldb: n, c: ai, ldc: ac)
                                }
                            }
                        })
                    }
                    tape.accumulate(aID, da)
                }
                if tape.needsGradient(bID) {
                    let db = a.withUnsafeBufferPointer { ap in
                        Tensor(shape: b.shape, uninitializedWith: { out in
                            if out.count == 0 { return }
                            if batch == 0 { out.initialize(repeating: 0); return }
                            for i in 0..<batch {
                                let gi = gp.baseAddress! + i * m * n, ai = ap.baseAddress! + i * ar * ac
                                let bi = out.baseAddress! + (shared ? 0 : i * br * bc)
                                let beta: Float = shared && i > 0 ? 1 : 0  // a shared B sums over the batch
                                if !transposeOther {
                                    // dB [k, n] = op(A)ᵀ · G
                                    MatrixProduct.gemm(transposeA: !transposeSelf, transposeB: false, m: k, n: n, k: m,
                                                       a: ai, lda: ac, b: gi, ldb: n, beta: beta, c: bi, ldc: bc)
                                } else {
                                    // B is [n, k]: dB = Gᵀ · op(A)
                                    MatrixProduct.gemm(transposeA: true, transposeB: transposeSelf, m: n, n: k, k: m,
                                                       a: gi, lda: n, b: ai, ldb: ac, beta: beta, c: bi, ldc: bc)
                                }
                            }
                        })
                    }
                    tape.accumulate(bID, db)
                }
            }
        }
    }
}

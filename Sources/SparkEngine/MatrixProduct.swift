import COpenBLAS

/// Dense matrix products through OpenBLAS. Every dense product in the project goes through here.
public enum MatrixProduct {
    /// C[m×n] = alpha · op(A) · op(B) + beta · C on raw row-major pointers.
    /// `lda`, `ldb`, `ldc` are row strides of the stored (untransposed) matrices.
    @inline(__always)
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            // An empty sum: C = beta · C. beta == 0 writes zeros without reading C, which may be
            // uninitialised (as BLAS itself does).
            for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : c[i * ldc + j] * beta } }
            return
        }
        _ = EngineThreads.count  // makes sure the thread setting reached OpenBLAS
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// y[m] = alpha · op(A) · x + beta · y, A stored row-major as rows × cols.
    @inline(__always)
    public static func gemv(
        transposeA: Bool, rows: Int, cols: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>,
        beta: Float = 0, y: UnsafeMutablePointer<Float>
    ) {
        if rows == 0 || cols == 0 { return }
        _ = EngineThreads.count
        cblas_sgemv(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, Int32(rows), Int32(cols),
                    alpha, a, Int32(lda), x, 1, beta, y, 1)
    }
}

extension Tensor {
    /// Matrix product of the last two axes; leading axes (if any) are batch axes of equal size,
    /// or `other` is 2-D and shared across the batch.
    public func matmul(_ other: Tensor, transposeSelf: Bool = false, transposeOther: Bool = false) -> Tensor {
        precondition(rank >= 2 && other.rank >= 2, "matmul needs rank ≥ 2, got \(shape) and \(other.shape)")
        let (ar, ac) = (shape[rank - 2], shape[rank - 1])
        let (br, bc) = (other.shape[other.rank - 2], other.shape[other.rank - 1])
        let (m, k) = transposeSelf ? (ac, ar) : (ar, ac)
        let (k2, n) = transposeOther ? (bc, br) : (br, bc)
        precondition(k == k2, "matmul inner sizes differ: \(shape)\(transposeSelf ? "ᵀ" : "") · \(other.shape)\(transposeOther ? "ᵀ" : "")")
        let batchShape = Array(shape.dropLast(2))
        let batch = Tensor.elementCount(batchShape)
        let otherBatch = Tensor.elementCount(Array(other.shape.dropLast(2)))
        precondition(other.rank == 2 || otherBatch == batch, "matmul batch sizes differ: \(shape) · \(other.shape)")
        let resultShape = batchShape + [m, n]
        if batch == 0 || m == 0 || n == 0 { return Tensor(zeros: resultShape) }
        // The product overwrites every scalar (beta = 0), so the result is not zero-filled first:
        // at 1024² that fill costs a few percent of the product itself.
        return scalars.withUnsafeBufferPointer { a in
            other.scalars.withUnsafeBufferPointer { b in
                Tensor(shape: resultShape, uninitializedWith: { c in
                    for i in 0..<batch {
                        let bOffset = other.rank == 2 ? 0 : i * br * bc
                        MatrixProduct.gemm(transposeA: transposeSelf, transposeB: transposeOther, m: m, n: n, k: k,
                                           a: a.baseAddress! + i * ar * ac, lda: ac,
                                           b: b.baseAddress! + bOffset, ldb: bc,
                                           c: c.baseAddress! + i * m * n, ldc: n)
                    }
                })
            }
        }
    }
}

extension Tensor {
    /// A fully connected layer in PyTorch's layout: `self [..., in] · weightᵀ + bias` with
    /// `weight [out, in]` and `bias [out]` or nil; leading axes are kept. One sgemm; the bias is
    /// written first and the product added onto it (beta = 1), so there is no second pass.
    public func linear(weight: Tensor, bias: Tensor? = nil) -> Tensor {
        precondition(rank >= 1 && weight.rank == 2 && weight.shape[1] == shape[rank - 1],
                     "linear: input \(shape) needs weight [out, \(rank >= 1 ? shape[rank - 1] : 0)], got \(weight.shape)")
        let inputs = weight.shape[1], outputs = weight.shape[0]
        Tensor.checkParameter(bias, outputs, "linear bias")
        let rows = Tensor.elementCount(Array(shape.dropLast()))
        let resultShape = Array(shape.dropLast()) + [outputs]
        if rows == 0 || outputs == 0 { return Tensor(zeros: resultShape) }
        if inputs == 0 {
            // An empty dot product: only the bias remains.
            let zeros = Tensor(zeros: resultShape)
            return bias.map { zeros + $0 } ?? zeros
        }
        return withUnsafeBufferPointer { x in
            weight.withUnsafeBufferPointer { w in
                Tensor(shape: resultShape, uninitializedWith: { y in
                    let yp = y.baseAddress!
                    if let bias {
                        bias.withUnsafeBufferPointer { b in
                            for row in 0..<rows { (yp + row * outputs).update(from: b.baseAddress!, count: outputs) }
                        }
                    }
                    MatrixProduct.gemm(transposeA: false, transposeB: true, m: rows, n: outputs, k: inputs,
                                       a: x.baseAddress!, lda: inputs,
                                       b: w.baseAddress!, ldb: inputs,
                                       beta: bias == nil ? 0 : 1, c: yp, ldc: outputs)
                })
            }
        }
    }
}

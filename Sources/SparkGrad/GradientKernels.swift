import SparkEngine

/// Loops the backwards share: sums over leading rows (through BLAS's gemv against a vector of
/// ones, so they run at BLAS speed) and elementwise combinations of same-shape tensors.
enum GradientKernels {
    /// Σ over the leading rows of `t` seen as `[rows, width]`: a `[width]` vector (a bias gradient).
    static func columnSums(_ t: Tensor, width: Int) -> Tensor {
        let rows = width == 0 ? 0 : t.count / width
        if rows == 0 || width == 0 { return Tensor(zeros: [width]) }
        let ones = [Float](repeating: 1, count: rows)
        return t.withUnsafeBufferPointer { a in
            ones.withUnsafeBufferPointer { x in
                Tensor(shape: [width], uninitializedWith: { y in
                    MatrixProduct.gemv(transposeA: true, rows: rows, cols: width, a: a.baseAddress!, lda: width,
                                       x: x.baseAddress!, y: y.baseAddress!)
                })
            }
        }
    }

    /// Σ along each row of `t` seen as `[rows, width]`: a `[rows]` vector (a per-channel bias gradient).
    static func rowSums(_ t: Tensor, rows: Int) -> Tensor {
        let width = rows == 0 ? 0 : t.count / rows
        if rows == 0 { return Tensor(zeros: [0]) }
        if width == 0 { return Tensor(zeros: [rows]) }
        let ones = [Float](repeating: 1, count: width)
        return t.withUnsafeBufferPointer { a in
            ones.withUnsafeBufferPointer { x in
                Tensor(shape: [rows], uninitializedWith: { y in
                    MatrixProduct.gemv(transposeA: false, rows: rows, cols: width, a: a.baseAddress!, lda: width,
                                       x: x.baseAddress!, y: y.baseAddress!)
                })
            }
        }
    }

    /// The gradient of an operand of `shape` that was broadcast to `gradient`'s shape as a block
    /// repeated along leading axes: the sum over those axes.
    static func reduce(_ gradient: Tensor, to shape: [Int]) -> Tensor {
        if gradient.shape == shape { return gradient }
        return columnSums(gradient, width: Tensor.elementCount(shape)).reshaped(shape)
    }

    /// `f(a[i], b[i])` for same-shape tensors, in parallel when large.
    @inline(__always)
    static func combine(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        precondition(a.count == b.count, "combine: \(a.shape) and \(b.shape) differ")
        if a.count == 0 { return Tensor(zeros: a.shape) }
        return a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in
                Tensor(shape: a.shape, uninitializedWith: { out in
                    let xp = x.baseAddress!, yp = y.baseAddress!, o = out.baseAddress!
                    EngineThreads.parallelRanges(count: a.count, grain: 1 << 15) { range in
                        for i in range { o[i] = f(xp[i], yp[i]) }
                    }
                })
            }
        }
    }

    /// `f(a[i], b[i], c[i])` for same-shape tensors, in parallel when large.
    @inline(__always)
    static func combine(_ a: Tensor, _ b: Tensor, _ c: Tensor, _ f: (Float, Float, Float) -> Float) -> Tensor {
        precondition(a.count == b.count && a.count == c.count, "combine: \(a.shape), \(b.shape), \(c.shape) differ")
        if a.count == 0 { return Tensor(zeros: a.shape) }
        return a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in
                c.withUnsafeBufferPointer { z in
                    Tensor(shape: a.shape, uninitializedWith: { out in
                        let xp = x.baseAddress!, yp = y.baseAddress!, zp = z.baseAddress!, o = out.baseAddress!
                        EngineThreads.parallelRanges(count: a.count, grain: 1 << 15) { range in
                            for i in range { o[i] = f(xp[i], yp[i], zp[i]) }
                        }
                    })
                }
            }
        }
    }
}

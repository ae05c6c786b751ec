extension Tensor {
    /// Axes reordered: result axis i is this tensor's axis `axes[i]` (NumPy's `transpose(axes)`).
    /// A copy; the innermost run is copied whole when the last axis stays last.
    public func permuted(_ axes: [Int]) -> Tensor {
        precondition(axes.count == rank && Set(axes) == Set(0..<rank),
                     "permutation \(axes) is not an ordering of the \(rank) axes of \(shape)")
        if axes == Array(0..<rank) { return self }
        if rank == 2 { return transposed() }
        let resultShape = axes.map { shape[$0] }
        if count == 0 { return Tensor(zeros: resultShape) }
        let sourceStrides = Tensor.strides(of: shape)
        // Source stride of each result axis; the last result axis is the innermost loop.
        let strides = axes.map { sourceStrides[$0] }
        let inner = resultShape[rank - 1], innerStride = strides[rank - 1]
        let outerRank = rank - 1
        return withUnsafeBufferPointer { x in
            Tensor(shape: resultShape, uninitializedWith: { out in
                var index = [Int](repeating: 0, count: outerRank)
                var sourceOffset = 0
                var target = out.baseAddress!
                for _ in 0..<(count / inner) {
                    let source = x.baseAddress! + sourceOffset
                    if innerStride == 1 {
                        target.update(from: source, count: inner)
                    } else {
                        for j in 0..<inner { target[j] = source[j * innerStride] }
                    }
                    target += inner
                    var axis = outerRank - 1
                    while axis >= 0 {
                        index[axis] += 1
                        sourceOffset += strides[axis]
                        if index[axis] < resultShape[axis] { break }
                        sourceOffset -= strides[axis] * resultShape[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                }
            })
        }
    }

    /// The last two axes swapped (a matrix transpose, batched over any leading axes).
    /// Copies in 32 × 32 tiles so reads and writes both stay within a few cache lines.
    public func transposed() -> Tensor {
        precondition(rank >= 2, "transposed needs rank ≥ 2, got \(shape)")
        let rows = shape[rank - 2], columns = shape[rank - 1]
        var resultShape = shape
        resultShape.swapAt(rank - 2, rank - 1)
        if count == 0 { return Tensor(zeros: resultShape) }
        let batch = count / (rows * columns)
        let tile = 32
        return withUnsafeBufferPointer { x in
            Tensor(shape: resultShape, uninitializedWith: { out in
                for b in 0..<batch {
                    let source = x.baseAddress! + b * rows * columns, target = out.baseAddress! + b * rows * columns
                    for r0 in stride(from: 0, to: rows, by: tile) {
                        for c0 in stride(from: 0, to: columns, by: tile) {
                            for r in r0..<Swift.min(r0 + tile, rows) {
                                for c in c0..<Swift.min(c0 + tile, columns) {
                                    target[c * rows + r] = source[r * columns + c]
                                }
                            }
                        }
                    }
                }
            })
        }
    }
}

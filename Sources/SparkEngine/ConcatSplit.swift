extension Tensor {
    /// Joins tensors along `axis` (negative counts from the end); all other sizes must agree.
    public static func concatenate(_ tensors: [Tensor], axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "concatenate needs at least one tensor")
        let first = tensors[0]
        let a = first.normalizedAxis(axis)
        for t in tensors {
            precondition(t.rank == first.rank && t.shape.enumerated().allSatisfy { $0.offset == a || $0.element == first.shape[$0.offset] },
                         "concatenate along axis \(axis): shapes \(tensors.map(\.shape)) differ off that axis")
        }
        var resultShape = first.shape
        resultShape[a] = tensors.reduce(0) { $0 + $1.shape[a] }
        let layout = AxisLayout(shape: resultShape, axis: a)
        if Tensor.elementCount(resultShape) == 0 { return Tensor(zeros: resultShape) }
        return Tensor(shape: resultShape, uninitializedWith: { out in
            // Each outer index holds one block per input, of that input's (size along axis) · inner.
            var offset = 0
            for t in tensors {
                let block = t.shape[a] * layout.inner
                if block == 0 { continue }
                t.withUnsafeBufferPointer { x in
                    for outer in 0..<layout.outer {
                        (out.baseAddress! + outer * layout.size * layout.inner + offset)
                            .update(from: x.baseAddress! + outer * block, count: block)
                    }
                }
                offset += block
            }
        })
    }

    /// Pieces of the given sizes along `axis`; the sizes must add up to that axis.
    public func split(sizes: [Int], axis: Int) -> [Tensor] {
        let a = normalizedAxis(axis)
        precondition(sizes.allSatisfy { $0 >= 0 } && sizes.reduce(0, +) == shape[a],
                     "split sizes \(sizes) must be ≥ 0 and add up to \(shape[a]) (axis \(axis) of \(shape))")
        let layout = AxisLayout(shape: shape, axis: a)
        var start = 0
        return sizes.map { size in
            var pieceShape = shape
            pieceShape[a] = size
            let block = size * layout.inner
            defer { start += block }
            if Tensor.elementCount(pieceShape) == 0 { return Tensor(zeros: pieceShape) }
            return withUnsafeBufferPointer { x in
                Tensor(shape: pieceShape, uninitializedWith: { out in
                    for outer in 0..<layout.outer {
                        (out.baseAddress! + outer * block)
                            .update(from: x.baseAddress! + outer * layout.size * layout.inner + start, count: block)
                    }
                })
            }
        }
    }

    /// `parts` equal pieces along `axis` (e.g. a fused QKV projection into Q, K, V).
    public func split(parts: Int, axis: Int) -> [Tensor] {
        let size = dim(axis)
        precondition(parts > 0 && size % parts == 0, "cannot split axis \(axis) of \(shape) into \(parts) equal parts")
        return split(sizes: [Int](repeating: size / parts, count: parts), axis: axis)
    }
}

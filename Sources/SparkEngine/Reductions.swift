extension Tensor {
    /// Sum over `axis` (negative counts from the end); with `keepDims` the axis stays with size 1.
    public func sum(axis: Int, keepDims: Bool = false) -> Tensor {
        reduced(axis: axis, keepDims: keepDims, initial: 0, combine: { $0 + $1 }, finish: { v, _ in v })
    }

    /// Arithmetic mean over `axis`. An axis of size 0 gives NaN, as NumPy.
    public func mean(axis: Int, keepDims: Bool = false) -> Tensor {
        reduced(axis: axis, keepDims: keepDims, initial: 0, combine: { $0 + $1 }, finish: { v, n in v / Float(n) })
    }

    /// Largest value over `axis`; NaN wins (as NumPy's `max`). An empty axis gives -infinity.
    /// (Named `maximum` because a method named `max` would hide `Swift.max` inside every
    /// `extension Tensor`, including other modules'.)
    public func maximum(axis: Int, keepDims: Bool = false) -> Tensor {
        reduced(axis: axis, keepDims: keepDims, initial: -.infinity,
                combine: { best, v in (v > best || v.isNaN) ? v : best }, finish: { v, _ in v })
    }

    /// Index of the largest value along `axis` for each position of the other axes (row-major
    /// order of the remaining shape). Ties go to the lowest index; NaN is never chosen, and an
    /// all-NaN run gives index 0.
    public func argmax(axis: Int) -> [Int] {
        let a = normalizedAxis(axis)
        let layout = AxisLayout(shape: shape, axis: a)
        precondition(layout.size > 0, "argmax over an empty axis of shape \(shape)")
        var result = [Int](repeating: 0, count: layout.outer * layout.inner)
        scalars.withUnsafeBufferPointer { x in
            for outer in 0..<layout.outer {
                for inner in 0..<layout.inner {
                    let base = x.baseAddress! + outer * layout.size * layout.inner + inner
                    var best = -Float.infinity, bestIndex = -1
                    for i in 0..<layout.size where base[i * layout.inner] > best || (bestIndex < 0 && !base[i * layout.inner].isNaN) {
                        best = base[i * layout.inner]
                        bestIndex = i
                    }
                    result[outer * layout.inner + inner] = Swift.max(bestIndex, 0)
                }
            }
        }
        return result
    }

    /// Index of the largest scalar of the whole tensor in row-major order (same rules as `argmax(axis:)`).
    public func argmax() -> Int {
        precondition(count > 0, "argmax of an empty tensor")
        return reshaped([count]).argmax(axis: 0)[0]
    }

    /// Shared loop of the reductions: the tensor seen as [outer, size, inner]; each of the
    /// outer·inner results folds `size` values with `combine`, then `finish(value, size)`.
    /// The fold runs across whole inner rows at once, so the inner loop is contiguous.
    private func reduced(axis: Int, keepDims: Bool, initial: Float,
                         combine: (Float, Float) -> Float, finish: (Float, Int) -> Float) -> Tensor {
        let a = normalizedAxis(axis)
        let layout = AxisLayout(shape: shape, axis: a)
        var resultShape = shape
        if keepDims { resultShape[a] = 1 } else { resultShape.remove(at: a) }
        var result = Tensor(repeating: initial, shape: resultShape)
        if result.count == 0 { return result }
        scalars.withUnsafeBufferPointer { x in
            result.scalars.withUnsafeMutableBufferPointer { y in
                for outer in 0..<layout.outer {
                    let target = y.baseAddress! + outer * layout.inner
                    for i in 0..<layout.size {
                        let source = x.baseAddress! + (outer * layout.size + i) * layout.inner
                        for j in 0..<layout.inner { target[j] = combine(target[j], source[j]) }
                    }
                    for j in 0..<layout.inner { target[j] = finish(target[j], layout.size) }
                }
            }
        }
        return result
    }
}

import SparkEngine

extension Variable {
    /// Largest value over `axis` (`Tensor.maximum(axis:keepDims:)`), as PointNet's max-pool over
    /// the points of a group.
    ///
    /// The maximum is piecewise the identity of one input, so each output's gradient goes to the
    /// element the forward's fold chose and nowhere else: the first largest value, or the last NaN
    /// (the fold lets every NaN replace what it holds), or the first element when all are -∞.
    public func maximum(axis: Int, keepDims: Bool = false) -> Variable {
        let x = value
        let a = x.normalizedAxis(axis)
        let xID = id
        return tape.record(x.maximum(axis: a, keepDims: keepDims), inputs: [self]) { g, tape in
            tape.accumulate(xID, Variable.maximumGradient(input: x, axis: a, gradient: g))
        }
    }

    /// The input gradient of `maximum` over axis `a` of `x`: zeros but at each chosen element.
    static func maximumGradient(input x: Tensor, axis a: Int, gradient g: Tensor) -> Tensor {
        // x seen as [outer, size, inner]; the output (with or without the kept axis) as [outer, inner].
        let outer = x.shape[..<a].reduce(1, *), size = x.shape[a], inner = x.shape[(a + 1)...].reduce(1, *)
        var result = [Float](repeating: 0, count: x.count)
        if size == 0 || outer * inner == 0 { return Tensor(zeros: x.shape) }
        x.withUnsafeBufferPointer { xb in
            g.withUnsafeBufferPointer { gb in
                result.withUnsafeMutableBufferPointer { rb in
                    for o in 0..<outer {
                        for i in 0..<inner {
                            let base = o * size * inner + i
                            var best = -Float.infinity, chosen = -1
                            for k in 0..<size {
                                let v = xb[base + k * inner]
                                if v > best || v.isNaN || (chosen < 0 && v == best) { best = v; chosen = k }
                            }
                            rb[base + chosen * inner] += gb[o * inner + i]
                        }
                    }
                }
            }
        }
        return Tensor(shape: x.shape, scalars: result)
    }
}

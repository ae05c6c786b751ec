import SparkEngine

extension Variable {
    /// Sum of every scalar, as a rank-0 variable (a loss).
    public func sum() -> Variable {
        let inputShape = shape, xID = id
        return tape.record(value.reshaped([value.count]).sum(axis: 0), inputs: [self]) { g, tape in
            tape.accumulate(xID, Tensor(repeating: g.scalars[0], shape: inputShape))
        }
    }

    /// Mean of every scalar, as a rank-0 variable.
    public func mean() -> Variable {
        let inputShape = shape, xID = id, n = value.count
        return tape.record(value.reshaped([n]).mean(axis: 0), inputs: [self]) { g, tape in
            tape.accumulate(xID, Tensor(repeating: g.scalars[0] / Float(n), shape: inputShape))
        }
    }

    /// Sum over `axis` (`Tensor.sum(axis:keepDims:)`); every summed position gets the gradient.
    public func sum(axis: Int, keepDims: Bool = false) -> Variable {
        reduction(axis: axis, keepDims: keepDims, mean: false)
    }

    /// Mean over `axis` (`Tensor.mean(axis:keepDims:)`); every position gets 1/n of the gradient.
    public func mean(axis: Int, keepDims: Bool = false) -> Variable {
        reduction(axis: axis, keepDims: keepDims, mean: true)
    }

    /// Mean over the first axis: `[N, D…]` → `[D…]` (mean pooling of tokens).
    public func meanRows() -> Variable { mean(axis: 0) }

    private func reduction(axis: Int, keepDims: Bool, mean: Bool) -> Variable {
        let x = value
        let a = x.normalizedAxis(axis)
        let output = mean ? x.mean(axis: a, keepDims: keepDims) : x.sum(axis: a, keepDims: keepDims)
        var keptShape = x.shape
        keptShape[a] = 1
        let n = x.shape[a], xID = id
        return tape.record(output, inputs: [self]) { g, tape in
            // Broadcast the gradient back along the reduced axis.
            var dx = Tensor(zeros: x.shape) + g.reshaped(keptShape)
            if mean && n > 0 { dx.scale(by: 1 / Float(n)) }
            tape.accumulate(xID, dx)
        }
    }
}

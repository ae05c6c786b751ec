import Foundation

extension Tensor {
    /// Layer normalisation over the last axis: (x - mean) / √(var + eps) · weight + bias, with the
    /// biased variance (divide by D) as PyTorch's `LayerNorm`. weight and bias are `[D]` or nil.
    public func layerNorm(weight: Tensor?, bias: Tensor?, eps: Float = 1e-5) -> Tensor {
        let width = lastAxisWidth("layerNorm")
        Tensor.checkParameter(weight, width, "layerNorm weight")
        Tensor.checkParameter(bias, width, "layerNorm bias")
        return normalizedRows(width: width) { x, y in
            let mean = VectorMath.sum(x, width) / Float(width)
            let variance = VectorMath.sumOfSquaredDeviations(x, width, from: mean) / Float(width)
            let inverseDeviation = 1 / (variance + eps).squareRoot()
            weight.withOptionalPointer { w in
                bias.withOptionalPointer { b in
                    for j in 0..<width {
                        var v = (x[j] - mean) * inverseDeviation
                        if let w { v *= w[j] }
                        if let b { v += b[j] }
                        y[j] = v
                    }
                }
            }
        }
    }

    /// RMS normalisation over the last axis: x / √(mean(x²) + eps) · weight (LLaMA's RMSNorm).
    public func rmsNorm(weight: Tensor?, eps: Float = 1e-5) -> Tensor {
        let width = lastAxisWidth("rmsNorm")
        Tensor.checkParameter(weight, width, "rmsNorm weight")
        return normalizedRows(width: width) { x, y in
            let meanSquare = VectorMath.sumOfSquares(x, width) / Float(width)
            let inverseRMS = 1 / (meanSquare + eps).squareRoot()
            weight.withOptionalPointer { w in
                if let w {
                    for j in 0..<width { y[j] = x[j] * inverseRMS * w[j] }
                } else {
                    for j in 0..<width { y[j] = x[j] * inverseRMS }
                }
            }
        }
    }

    /// Batch normalisation in inference form, per channel c along `channelAxis`:
    /// (x - runningMean[c]) / √(runningVariance[c] + eps) · weight[c] + bias[c].
    /// Use channelAxis 0 for `[C, ...]` and 1 for `[N, C, ...]`. weight and bias may be nil (affine=False).
    public func batchNorm(runningMean: Tensor, runningVariance: Tensor, weight: Tensor?, bias: Tensor?,
                          eps: Float = 1e-5, channelAxis: Int = 0) -> Tensor {
        let axis = normalizedAxis(channelAxis)
        let channels = shape[axis]
        for (parameter, name) in [(runningMean, "running mean"), (runningVariance, "running variance")] {
            Tensor.checkParameter(parameter, channels, "batchNorm \(name)")
        }
        Tensor.checkParameter(weight, channels, "batchNorm weight")
        Tensor.checkParameter(bias, channels, "batchNorm bias")
        // Fold the four parameter vectors into y = x · scale[c] + shift[c].
        var scale = [Float](repeating: 0, count: channels), shift = scale
        for c in 0..<channels {
            let s = (weight?.scalars[c] ?? 1) / (runningVariance.scalars[c] + eps).squareRoot()
            scale[c] = s
            shift[c] = (bias?.scalars[c] ?? 0) - runningMean.scalars[c] * s
        }
        let layout = AxisLayout(shape: shape, axis: axis)
        if count == 0 { return self }
        return withUnsafeBufferPointer { x in
            Tensor(shape: shape, uninitializedWith: { y in
                let xp = x.baseAddress!, yp = y.baseAddress!
                for outer in 0..<layout.outer {
                    for c in 0..<channels {
                        let offset = (outer * channels + c) * layout.inner
                        let s = scale[c], t = shift[c]
                        for i in 0..<layout.inner { yp[offset + i] = xp[offset + i] * s + t }
                    }
                }
            })
        }
    }

    // MARK: - Helpers

    private func lastAxisWidth(_ operation: String) -> Int {
        precondition(rank >= 1, "\(operation) needs rank ≥ 1, got a scalar")
        return shape[rank - 1]
    }

    static func checkParameter(_ parameter: Tensor?, _ size: Int, _ name: String) {
        guard let parameter else { return }
        precondition(parameter.shape == [size],
                     "\(name) must have \(size) values (shape [\(size)]), got shape \(parameter.shape)")
    }

    /// Applies `body(x, y)` to each row of the last axis, in parallel for large tensors.
    private func normalizedRows(width: Int, _ body: (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> Tensor {
        if count == 0 || width == 0 { return self }
        let rows = count / width
        return withUnsafeBufferPointer { x in
            Tensor(shape: shape, uninitializedWith: { y in
                let xp = x.baseAddress!, yp = y.baseAddress!
                EngineThreads.parallelRanges(count: rows, grain: Swift.max(1, 16384 / width)) { range in
                    for row in range { body(xp + row * width, yp + row * width) }
                }
            })
        }
    }
}

extension Optional where Wrapped == Tensor {
    /// Calls `body` with the tensor's scalars, or with nil when there is no tensor.
    @inline(__always)
    func withOptionalPointer<R>(_ body: (UnsafePointer<Float>?) -> R) -> R {
        switch self {
        case .none: return body(nil)
        case let .some(tensor): return tensor.scalars.withUnsafeBufferPointer { body($0.baseAddress) }
        }
    }
}

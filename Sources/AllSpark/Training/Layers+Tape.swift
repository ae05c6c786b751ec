import SparkEngine
import SparkGrad

// The layers' forward passes on a tape, for training. Each computes with the same engine function
// as the layer's `callAsFunction(Tensor)` (SparkGrad's operations call them), so the values are
// bit for bit those of inference; `TapeForwardTests` checks it for every module written here.

extension Linear {
    public func callAsFunction(_ x: Variable, _ p: ParameterBinding) -> Variable {
        let w = p(name + ".weight", weight)
        let b = bias.map { p(name + ".bias", $0) }
        if x.rank == 2 { return x.linear(weight: w, bias: b) }
        let rows = x.value.count / inputs
        return x.reshaped([rows, inputs]).linear(weight: w, bias: b).reshaped(Array(x.shape.dropLast()) + [outputs])
    }
}

extension Conv2dLayer {
    public func callAsFunction(_ x: Variable, _ p: ParameterBinding) -> Variable {
        x.conv2d(weight: p(name + ".weight", weight), bias: bias.map { p(name + ".bias", $0) }, stride: stride, padding: padding)
    }
}

extension BatchNormLayer {
    /// Inference-mode batch norm: the running statistics are constants that training does not
    /// update (the trainer freezes them), so the network computes the same function in training
    /// and at inference; what learns is the per-channel weight and bias.
    public func callAsFunction(_ x: Variable, _ p: ParameterBinding) -> Variable {
        x.batchNorm(runningMean: runningMean, runningVariance: runningVariance, weight: p(name + ".weight", weight),
                    bias: p(name + ".bias", bias), eps: epsilon)
    }
}

extension LayerNormLayer {
    public func callAsFunction(_ x: Variable, _ p: ParameterBinding) -> Variable {
        x.layerNorm(weight: p(name + ".weight", weight), bias: p(name + ".bias", bias), eps: epsilon)
    }
}

extension TransformerBlock {
    /// x `[N, width]` → `[N, width]`, as `callAsFunction(_:returnAttention:)`.
    public func callAsFunction(_ x: Variable, _ p: ParameterBinding) -> Variable {
        let width = x.shape[1]
        let parts = qkv(norm1(x, p), p).split(sizes: [width, width, width], axis: 1)
        let attended = multiHeadAttention(query: parts[0], key: parts[1], value: parts[2], queryHeads: heads, keyValueHeads: heads)
        let y = x + projection(attended, p)
        return y + fc2(fc1(norm2(y, p), p).applying(activation), p)
    }
}

extension TransformerStack {
    public func callAsFunction(_ x: Variable, _ p: ParameterBinding, positions: Variable? = nil) -> Variable {
        var y = x
        for block in blocks {
            if let positions { y = y + positions }
            y = block(y, p)
        }
        return norm(y, p)
    }
}

extension PatchEmbedding {
    /// input `[channels, spatial…]` → tokens `[windows, width]`, as `callAsFunction(_:)`.
    public func callAsFunction(_ input: Variable, _ p: ParameterBinding) -> Variable {
        let w = p(name + ".weight", weight), b = p(name + ".bias", bias)
        let features = kernel.count == 2 && stride[0] == stride[1]
            ? input.conv2d(weight: w, bias: b, stride: stride[0])
            : input.convolution(weight: w, bias: b, stride: stride, padding: [Int](repeating: 0, count: kernel.count))
        return features.reshaped([width, features.value.count / width]).permuted([1, 0])
    }
}

extension VisionTransformer {
    /// image `[channels, side, side]` → tokens `[1 + grid², width]`, as `callAsFunction(_:)`.
    public func callAsFunction(_ image: Variable, _ p: ParameterBinding) -> Variable {
        let tokens = Variable.concatenate([p(prefix + ".cls_token", classToken), patchEmbedding(image, p)], axis: 0)
        return stack(tokens + p(prefix + ".pos_embed", positions), p)
    }
}

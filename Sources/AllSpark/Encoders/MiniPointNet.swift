import SparkEngine

/// Point-BERT's group encoder (its `Encoder` module, a mini-PointNet): every point of a group,
/// relative to the group's centre, goes through a shared MLP 3 → 128 → 256 (`first_conv`:
/// 1×1 Conv1d, BatchNorm, ReLU, 1×1 Conv1d); the group's max-pooled feature is put in front of
/// every point's own (256 + 256 = 512); a second shared MLP 512 → 512 → `outputs` (`second_conv`)
/// and a max-pool over the group give one vector per group. Max-pooling makes the result
/// independent of the order of the points in a group.
///
/// Names follow Point-BERT's `nn.Sequential` indices: `first_conv.0` (conv), `first_conv.1`
/// (BatchNorm), `first_conv.3` (conv), and the same under `second_conv`. BatchNorm runs in
/// inference form with its running statistics.
struct MiniPointNet: Sendable {
    static let firstHidden = 128
    static let firstOutput = 256
    static let secondHidden = 512

    let conv1: PointwiseConvolution
    let norm1: PointwiseBatchNorm
    let conv2: PointwiseConvolution
    let conv3: PointwiseConvolution
    let norm2: PointwiseBatchNorm
    let conv4: PointwiseConvolution

    /// neighbourhoods `[groups · size, 3]` (group after group) → `[groups, outputs]`.
    func callAsFunction(_ neighbourhoods: Tensor, groups: Int, size: Int) -> Tensor {
        let local = conv2(norm1(conv1(neighbourhoods)).relu()).reshaped([groups, size, Self.firstOutput])
        let pooled = local.maximum(axis: 1, keepDims: true)                           // [g, 1, 256]
        // Broadcast over the group as `size` copies, as the tape forward does it.
        let expanded = Tensor.concatenate(Array(repeating: pooled, count: size), axis: 1)
        let joined = Tensor.concatenate([expanded, local], axis: 2).reshaped([groups * size, 2 * Self.firstOutput])
        let features = conv4(norm2(conv3(joined)).relu())
        return features.reshaped([groups, size, conv4.outputs]).maximum(axis: 1)
    }
}

extension MiniPointNet {
    init(_ store: ParameterStore, _ prefix: String, outputs: Int) throws {
        self.init(
            conv1: try PointwiseConvolution(store, prefix + ".first_conv.0", inputs: 3, outputs: Self.firstHidden),
            norm1: try PointwiseBatchNorm(store, prefix + ".first_conv.1", channels: Self.firstHidden),
            conv2: try PointwiseConvolution(store, prefix + ".first_conv.3", inputs: Self.firstHidden, outputs: Self.firstOutput),
            conv3: try PointwiseConvolution(store, prefix + ".second_conv.0", inputs: 2 * Self.firstOutput, outputs: Self.secondHidden),
            norm2: try PointwiseBatchNorm(store, prefix + ".second_conv.1", channels: Self.secondHidden),
            conv4: try PointwiseConvolution(store, prefix + ".second_conv.3", inputs: Self.secondHidden, outputs: outputs))
    }
}

/// A 1×1 `nn.Conv1d` over points `[rows, inputs]` → `[rows, outputs]` (a linear layer per point).
/// The weight keeps PyTorch's `[outputs, inputs, 1]` shape so checkpoints load as they are;
/// initialised as PyTorch does (weight and bias uniform in ±1/√inputs).
struct PointwiseConvolution: Sendable {
    /// The parameter-tree prefix: `<name>.weight` (stored `[outputs, inputs, 1]`), `<name>.bias`.
    let name: String
    let weight: Tensor
    let bias: Tensor

    /// `name` is what a tape binds the tensors under; a layer built from bare tensors needs none.
    init(name: String = "", weight: Tensor, bias: Tensor) {
        self.name = name; self.weight = weight; self.bias = bias
    }

    var outputs: Int { weight.shape[0] }

    func callAsFunction(_ x: Tensor) -> Tensor { x.linear(weight: weight, bias: bias) }
}

extension PointwiseConvolution {
    init(_ store: ParameterStore, _ name: String, inputs: Int, outputs: Int) throws {
        self.init(name: name, weight: try store.tensor(name + ".weight", [outputs, inputs, 1], .kaimingUniform(fanIn: inputs)).reshaped([outputs, inputs]),
                  bias: try store.tensor(name + ".bias", [outputs], .kaimingUniform(fanIn: inputs)))
    }
}

/// `nn.BatchNorm1d` in inference form over `[rows, channels]`: `weight` (ones), `bias` (zeros),
/// `running_mean` (zeros), `running_var` (ones), eps 1e-5 as PyTorch.
struct PointwiseBatchNorm: Sendable {
    /// The parameter-tree prefix: `<name>.weight`, `.bias`, `.running_mean`, `.running_var`.
    let name: String
    let weight: Tensor
    let bias: Tensor
    let runningMean: Tensor
    let runningVariance: Tensor
    /// PyTorch's `nn.BatchNorm1d` default.
    static let epsilon: Float = 1e-5

    /// `name` is what a tape binds the tensors under; a layer built from bare tensors needs none.
    init(name: String = "", weight: Tensor, bias: Tensor, runningMean: Tensor, runningVariance: Tensor) {
        self.name = name; self.weight = weight; self.bias = bias
        self.runningMean = runningMean; self.runningVariance = runningVariance
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        x.batchNorm(runningMean: runningMean, runningVariance: runningVariance, weight: weight, bias: bias,
                    eps: Self.epsilon, channelAxis: 1)
    }
}

extension PointwiseBatchNorm {
    init(_ store: ParameterStore, _ name: String, channels: Int) throws {
        self.init(name: name, weight: try store.tensor(name + ".weight", [channels], .ones),
                  bias: try store.tensor(name + ".bias", [channels], .zeros),
                  runningMean: try store.tensor(name + ".running_mean", [channels], .zeros),
                  runningVariance: try store.tensor(name + ".running_var", [channels], .ones))
    }
}

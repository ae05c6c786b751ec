import SparkEngine

/// Batch normalisation in inference form over the channel axis of `[C, …]` (PyTorch's
/// `BatchNorm2d` in eval mode). Parameters under `<name>.`: `weight` (ones), `bias` (zeros),
/// `running_mean` (zeros) and `running_var` (ones) — an untrained layer is therefore the identity
/// up to eps, so the statistics of a seeded network stay those of its convolutions.
public struct BatchNormLayer: Sendable {
    /// The parameter-tree prefix (`<name>.weight`, `.bias`, `.running_mean`, `.running_var`).
    public let name: String
    public let weight: Tensor
    public let bias: Tensor
    public let runningMean: Tensor
    public let runningVariance: Tensor
    public let epsilon: Float

    public init(_ store: ParameterStore, _ name: String, channels: Int, epsilon: Float = 1e-5) throws {
        self.name = name
        weight = try store.tensor(name + ".weight", [channels], .ones)
        bias = try store.tensor(name + ".bias", [channels], .zeros)
        runningMean = try store.tensor(name + ".running_mean", [channels], .zeros)
        runningVariance = try store.tensor(name + ".running_var", [channels], .ones)
        self.epsilon = epsilon
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.batchNorm(runningMean: runningMean, runningVariance: runningVariance, weight: weight, bias: bias,
                    eps: epsilon, channelAxis: 0)
    }
}

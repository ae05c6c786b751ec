import SparkEngine

/// `y = x · Wᵀ + b`, W `[outputs, inputs]` (PyTorch's nn.Linear), over the last axis of x.
public struct Linear: Sendable {
    /// The parameter-tree prefix: `<name>.weight`, `<name>.bias`.
    public let name: String
    public let weight: Tensor
    public let bias: Tensor?

    /// Parameters `<name>.weight` (truncated normal, std 0.02, as timm's transformers) and
    /// `<name>.bias` (zeros) unless `bias` is false.
    public init(_ store: ParameterStore, _ name: String, inputs: Int, outputs: Int, bias: Bool = true,
                initialiser: Initialiser = .truncatedNormal(std: 0.02)) throws {
        self.name = name
        weight = try store.tensor(name + ".weight", [outputs, inputs], initialiser)
        self.bias = bias ? try store.tensor(name + ".bias", [outputs], .zeros) : nil
    }

    public var inputs: Int { weight.shape[1] }
    public var outputs: Int { weight.shape[0] }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        if x.rank == 2 { return x.linear(weight: weight, bias: bias) }
        let rows = x.count / inputs
        return x.reshaped([rows, inputs]).linear(weight: weight, bias: bias).reshaped(Array(x.shape.dropLast()) + [outputs])
    }
}

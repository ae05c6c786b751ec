import SparkEngine

/// LayerNorm over the last axis with learnable scale (`<name>.weight`, ones) and shift
/// (`<name>.bias`, zeros); eps 1e-6 as timm's ViT (1e-5 is PyTorch's default, pass it explicitly).
public struct LayerNormLayer: Sendable {
    /// The parameter-tree prefix: `<name>.weight`, `<name>.bias`.
    public let name: String
    public let weight: Tensor
    public let bias: Tensor
    public let epsilon: Float

    public init(_ store: ParameterStore, _ name: String, width: Int, epsilon: Float = 1e-6) throws {
        self.name = name
        weight = try store.tensor(name + ".weight", [width], .ones)
        bias = try store.tensor(name + ".bias", [width], .zeros)
        self.epsilon = epsilon
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.layerNorm(weight: weight, bias: bias, eps: epsilon)
    }
}

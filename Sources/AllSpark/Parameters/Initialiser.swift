import SparkEngine

/// How an untrained parameter is initialised. The schemes follow the PyTorch/timm defaults of the
/// layers they stand in for: truncated normal (std 0.02) for transformer linear and embedding
/// weights, zeros for biases, ones and zeros for normalisation scales and shifts, Kaiming-uniform
/// for convolutions, and zeros for anything that must start as the identity (Lynx adapters' Up).
public enum Initialiser: Sendable, Equatable {
    case zeros
    case ones
    case constant(Float)
    /// N(0, std²) truncated at ±2 std.
    case truncatedNormal(std: Float)
    case normal(std: Float)
    /// U(−bound, bound).
    case uniform(bound: Float)
    /// PyTorch's default for Linear/Conv weights: U(±1/√fanIn)·√(…) simplified to U(±√(1/fanIn)).
    case kaimingUniform(fanIn: Int)

    /// Fills a new tensor of `shape` from `generator`.
    public func make(_ shape: [Int], generator: inout SeededRandomGenerator) -> Tensor {
        switch self {
        case .zeros: return Tensor(zeros: shape)
        case .ones: return Tensor(repeating: 1, shape: shape)
        case .constant(let v): return Tensor(repeating: v, shape: shape)
        case .truncatedNormal(let std): return Tensor(truncatedNormal: shape, std: std, generator: &generator)
        case .normal(let std): return Tensor(randomNormal: shape, std: std, generator: &generator)
        case .uniform(let bound): return Tensor(randomUniform: shape, lower: -bound, upper: bound, generator: &generator)
        case .kaimingUniform(let fanIn):
            let bound = 1 / Float(Swift.max(fanIn, 1)).squareRoot()
            return Tensor(randomUniform: shape, lower: -bound, upper: bound, generator: &generator)
        }
    }
}

import Foundation

/// Pointwise activation functions. `Activation` names them so configurations can choose one by
/// name (`"gelu"`, `"silu"` …); each also has a method of its own (`x.gelu()`).
public enum Activation: String, Sendable, Codable, CaseIterable {
    /// x · Φ(x), Φ the standard normal CDF (PyTorch's `gelu`, approximate="none").
    case gelu
    /// 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³))) (PyTorch's approximate="tanh", GPT-2's).
    case geluTanh = "gelu_tanh"
    /// x · σ(x), also called swish. (At -infinity: NaN, as PyTorch.)
    case silu
    case relu
    case sigmoid
    case identity
}

extension Tensor {
    /// `activation` applied to every scalar, as a new tensor.
    public func applying(_ activation: Activation) -> Tensor {
        var result = self
        result.apply(activation)
        return result
    }

    /// Applies `activation` to every scalar in place.
    public mutating func apply(_ activation: Activation) {
        // Transcendental functions cost tens of nanoseconds, so a thread pays off sooner than for adds.
        let grain = 1 << 13
        switch activation {
        case .gelu: mapInPlace(GELUOperation(), grain: grain)
        case .geluTanh: mapInPlace(GELUTanhOperation(), grain: grain)
        case .silu: mapInPlace(SiLUOperation(), grain: grain)
        case .relu: mapInPlace(ReLUOperation())
        case .sigmoid: mapInPlace(SigmoidOperation(), grain: grain)
        case .identity: break
        }
    }

    public func gelu() -> Tensor { applying(.gelu) }
    public func geluTanh() -> Tensor { applying(.geluTanh) }
    public func silu() -> Tensor { applying(.silu) }
    public func relu() -> Tensor { applying(.relu) }
    public func sigmoid() -> Tensor { applying(.sigmoid) }
}

/// GELU as 0.5 · x · erfc(-x / √2): the same function as 0.5 · x · (1 + erf(x / √2)), but erfc
/// keeps full relative precision for negative x, where 1 + erf(·) would cancel to a few bits.
/// In Double, because erfc's relative sensitivity to its argument grows like 2y²: the rounding
/// of x / √2 to Float alone would cost five digits at x = -12.
struct GELUOperation: UnaryScalarOperation {
    @inline(__always) func callAsFunction(_ x: Float) -> Float {
        let v = Double(x)
        return Float(0.5 * v * Foundation.erfc(-v * 0.707_106_781_186_547_5))
    }
}

/// Uses the identity 0.5 · (1 + tanh(u)) = 1 / (1 + e^(-2u)): no cancellation for negative x
/// (where 1 + tanh(u) would lose its digits), and one vectorisable exponential.
struct GELUTanhOperation: UnaryScalarOperation {
    @inline(__always) func callAsFunction(_ x: Float) -> Float {
        let u = 0.797_884_560_802_865_4 * (x + 0.044_715 * x * x * x)  // √(2/π) · (x + 0.044715 x³)
        return x / (1 + fastExp(-2 * u))
    }
}

struct SiLUOperation: UnaryScalarOperation {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x / (1 + fastExp(-x)) }
}

struct SigmoidOperation: UnaryScalarOperation {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { 1 / (1 + fastExp(-x)) }
}

/// max(x, 0); NaN stays NaN.
struct ReLUOperation: UnaryScalarOperation {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x < 0 ? 0 : x }
}

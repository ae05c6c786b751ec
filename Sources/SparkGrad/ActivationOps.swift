import Foundation
import SparkEngine

extension Variable {
    /// `activation` applied to every scalar (`Tensor.applying`); the backward multiplies the
    /// gradient by the derivative at each input.
    public func applying(_ activation: Activation) -> Variable {
        let x = value
        let output = x.applying(activation)
        let xID = id
        return tape.record(output, inputs: [self]) { g, tape in
            let dx: Tensor
            switch activation {
            case .gelu:
                // d/dx x·Φ(x) = Φ(x) + x·φ(x), in Double as the forward.
                dx = GradientKernels.combine(x, g) { x, g in
                    let v = Double(x)
                    let cdf = 0.5 * Foundation.erfc(-v * 0.707_106_781_186_547_5)
                    let density = Foundation.exp(-0.5 * v * v) * 0.398_942_280_401_432_7
                    return g * Float(cdf + v * density)
                }
            case .geluTanh:
                // y = x·σ(2u), u = c·(x + 0.044715·x³): dy/dx = s + x·s·(1 − s)·2c·(1 + 3·0.044715·x²).
                dx = GradientKernels.combine(x, g) { x, g in
                    let v = Double(x)
                    let c = 0.797_884_560_802_865_4
                    let u = c * (v + 0.044_715 * v * v * v)
                    let s = 1 / (1 + Foundation.exp(-2 * u))
                    return g * Float(s + v * s * (1 - s) * 2 * c * (1 + 3 * 0.044_715 * v * v))
                }
            case .silu:
                dx = GradientKernels.combine(x, g) { x, g in
                    let s = 1 / (1 + Foundation.exp(-x))
                    return g * s * (1 + x * (1 - s))
                }
            case .sigmoid:
                dx = GradientKernels.combine(output, g) { y, g in g * y * (1 - y) }
            case .relu:
                dx = GradientKernels.combine(x, g) { x, g in x > 0 ? g : 0 }
            case .identity:
                dx = g
            }
            tape.accumulate(xID, dx)
        }
    }

    public func gelu() -> Variable { applying(.gelu) }
    public func geluTanh() -> Variable { applying(.geluTanh) }
    public func silu() -> Variable { applying(.silu) }
    public func relu() -> Variable { applying(.relu) }
    public func sigmoid() -> Variable { applying(.sigmoid) }

    /// Softmax over the last axis (`Tensor.softmax(mask:)`): per row dx = y ⊙ (g − Σ g ⊙ y);
    /// masked entries have y = 0 and get no gradient.
    public func softmax(mask: AttentionMask = .full) -> Variable {
        let output = value.softmax(mask: mask)
        let xID = id
        return tape.record(output, inputs: [self]) { g, tape in
            tape.accumulate(xID, softmaxBackward(output: output, gradient: g))
        }
    }
}

/// The gradient of softmax's input from its output y and output gradient g, row by row over the
/// last axis: y ⊙ (g − Σ_j g_j y_j).
func softmaxBackward(output y: Tensor, gradient g: Tensor) -> Tensor {
    let width = y.shape[y.rank - 1]
    if y.count == 0 || width == 0 { return Tensor(zeros: y.shape) }
    let rows = y.count / width
    return y.withUnsafeBufferPointer { yb in
        g.withUnsafeBufferPointer { gb in
            Tensor(shape: y.shape, uninitializedWith: { out in
                let yp = yb.baseAddress!, gp = gb.baseAddress!, o = out.baseAddress!
                EngineThreads.parallelRanges(count: rows, grain: Swift.max(1, 8192 / width)) { range in
                    for row in range {
                        softmaxBackwardRow(yp + row * width, gp + row * width, o + row * width, width: width)
                    }
                }
            })
        }
    }
}

/// One row of `softmaxBackward`; `out` may be `g` (in place).
@inline(__always)
func softmaxBackwardRow(_ y: UnsafePointer<Float>, _ g: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, width: Int) {
    var dot: Float = 0
    for j in 0..<width { dot += g[j] * y[j] }
    for j in 0..<width { out[j] = y[j] * (g[j] - dot) }
}

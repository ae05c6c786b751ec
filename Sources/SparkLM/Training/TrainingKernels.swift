import Foundation
import SparkEngine

/// The element-wise forward and backward kernels of `DecoderTrainer`, over raw rows in Float32.
///
/// Each forward computes what `DecoderKernels` computes in reference numerics (same formula, same
/// order), and keeps what its backward needs; each backward takes the gradient of the output and
/// returns (or accumulates) the gradient of the input. Loops are over unsafe pointers with
/// wrapping index arithmetic so that they vectorise; rows are independent, so splitting them over
/// threads changes no value.
enum TrainingKernels {
    /// Rows per parallel chunk for the norms: below `2 · grain` rows they run inline. A row of 576
    /// floats takes a fraction of a microsecond, a thread hand-off tens (more on a busy machine),
    /// so one sequence of ~100 positions is not worth splitting.
    static let rowGrain = 128

    // MARK: RMSNorm

    /// out = x · r · weight with r = 1/√(mean(x²) + ε) per row; writes r to `inverseRMS` (the
    /// backward needs it). Same order of operations as `DecoderKernels.rmsNorm` (plain Float sum).
    static func rmsNormForward(_ x: UnsafePointer<Float>, rows: Int, width: Int, weight: UnsafePointer<Float>,
                               epsilon: Float, into out: UnsafeMutablePointer<Float>, inverseRMS: UnsafeMutablePointer<Float>) {
        EngineThreads.parallelRanges(count: rows, grain: rowGrain) { range in
            for r in range {
                let xr = x + r &* width, o = out + r &* width
                var sum: Float = 0
                for i in 0..<width { sum += xr[i] * xr[i] }
                let scale = 1 / (sum / Float(width) + epsilon).squareRoot()
                inverseRMS[r] = scale
                for i in 0..<width { o[i] = xr[i] * scale * weight[i] }
            }
        }
    }

    /// dx (+)= r · (w ⊙ dy) − x · r³/width · Σ(x ⊙ w ⊙ dy), the gradient of `rmsNormForward`.
    /// With `accumulate` the result is added to `dx`, else it replaces it.
    static func rmsNormBackward(_ x: UnsafePointer<Float>, inverseRMS: UnsafePointer<Float>, rows: Int, width: Int,
                                weight: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
                                accumulate: Bool, into dx: UnsafeMutablePointer<Float>) {
        EngineThreads.parallelRanges(count: rows, grain: rowGrain) { range in
            for r in range {
                let xr = x + r &* width, g = dy + r &* width, d = dx + r &* width
                let scale = inverseRMS[r]
                var dot: Float = 0
                for i in 0..<width { dot += xr[i] * weight[i] * g[i] }
                let k = dot * scale * scale * scale / Float(width)
                if accumulate {
                    for i in 0..<width { d[i] += scale * weight[i] * g[i] - k * xr[i] }
                } else {
                    for i in 0..<width { d[i] = scale * weight[i] * g[i] - k * xr[i] }
                }
            }
        }
    }

    // MARK: LayerNorm (Lynx adapters)

    /// x̂ = (x − mean)/√(var + ε) per row, out = x̂ · weight + bias; keeps x̂ and 1/√(var + ε).
    static func layerNormForward(_ x: UnsafePointer<Float>, rows: Int, width: Int, weight: UnsafePointer<Float>,
                                 bias: UnsafePointer<Float>, epsilon: Float, normalized: UnsafeMutablePointer<Float>,
                                 inverseDeviation: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        EngineThreads.parallelRanges(count: rows, grain: rowGrain) { range in
            for r in range {
                let xr = x + r &* width, n = normalized + r &* width, o = out + r &* width
                var mean: Float = 0
                for i in 0..<width { mean += xr[i] }
                mean /= Float(width)
                var variance: Float = 0
                for i in 0..<width { let d = xr[i] - mean; variance += d * d }
                let scale = 1 / (variance / Float(width) + epsilon).squareRoot()
                inverseDeviation[r] = scale
                for i in 0..<width {
                    let v = (xr[i] - mean) * scale
                    n[i] = v
                    o[i] = v * weight[i] + bias[i]
                }
            }
        }
    }

    /// The gradient of `layerNormForward` given dOut: dx += s · (g − mean(g) − x̂ · mean(g ⊙ x̂))
    /// with g = dOut ⊙ weight, s = 1/√(var + ε). Parameter gradients are summed by the caller.
    static func layerNormBackward(normalized: UnsafePointer<Float>, inverseDeviation: UnsafePointer<Float>, rows: Int,
                                  width: Int, weight: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
                                  accumulateInto dx: UnsafeMutablePointer<Float>) {
        EngineThreads.parallelRanges(count: rows, grain: rowGrain) { range in
            for r in range {
                let n = normalized + r &* width, g = dy + r &* width, d = dx + r &* width
                var sum: Float = 0, dot: Float = 0
                for i in 0..<width {
                    let gi = g[i] * weight[i]
                    sum += gi
                    dot += gi * n[i]
                }
                let meanG = sum / Float(width), meanGN = dot / Float(width), scale = inverseDeviation[r]
                for i in 0..<width { d[i] += scale * (g[i] * weight[i] - meanG - n[i] * meanGN) }
            }
        }
    }

    // MARK: SiLU

    /// σ(x) with `DecoderKernels.clampedExp` (vectorisable).
    @inline(__always)
    static func sigmoid(_ x: Float) -> Float { 1 / (1 + DecoderKernels.clampedExp(-x)) }

    /// out[r, i] = SiLU(gate[r, i]) · up[r, i] where a row of `gateUp` is [gate (width) | up (width)].
    static func swiGLUForward(_ gateUp: UnsafePointer<Float>, rows: Int, width: Int, into out: UnsafeMutablePointer<Float>) {
        EngineThreads.parallelRanges(count: rows, grain: 8) { range in
            for r in range {
                let g = gateUp + r &* (2 &* width), u = g + width, o = out + r &* width
                for i in 0..<width { let x = g[i]; o[i] = x * sigmoid(x) * u[i] }
            }
        }
    }

    /// The gradient of `swiGLUForward`: d gate = dOut · up · σ(g)(1 + g(1 − σ(g))), d up = dOut · SiLU(g),
    /// written as rows [d gate | d up].
    static func swiGLUBackward(_ gateUp: UnsafePointer<Float>, rows: Int, width: Int, outputGradient dy: UnsafePointer<Float>,
                               into dGateUp: UnsafeMutablePointer<Float>) {
        EngineThreads.parallelRanges(count: rows, grain: 8) { range in
            for r in range {
                let g = gateUp + r &* (2 &* width), u = g + width, d = dy + r &* width
                let dg = dGateUp + r &* (2 &* width), du = dg + width
                for i in 0..<width {
                    let x = g[i], s = sigmoid(x)
                    du[i] = d[i] * x * s
                    dg[i] = d[i] * u[i] * s * (1 + x * (1 - s))
                }
            }
        }
    }

    /// out = SiLU(x) element-wise.
    static func siluForward(_ x: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>) {
        for i in 0..<count { let v = x[i]; out[i] = v * sigmoid(v) }
    }

    /// dx = dy · SiLU'(x), in place over `dy`.
    static func siluBackward(_ x: UnsafePointer<Float>, count: Int, gradient dy: UnsafeMutablePointer<Float>) {
        for i in 0..<count {
            let v = x[i], s = sigmoid(v)
            dy[i] *= s * (1 + v * (1 - s))
        }
    }

    // MARK: Small reductions

    /// out[j] += Σ_r m[r, j] (column sums of a row-major matrix).
    static func addColumnSums(_ m: UnsafePointer<Float>, rows: Int, columns: Int, into out: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let row = m + r &* columns
            for j in 0..<columns { out[j] += row[j] }
        }
    }

    /// out[j] += Σ_r a[r, j] · b[r, j].
    static func addColumnProductSums(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, rows: Int, columns: Int,
                                     into out: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let ar = a + r &* columns, br = b + r &* columns
            for j in 0..<columns { out[j] += ar[j] * br[j] }
        }
    }

    /// Σ a ⊙ b.
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var sum: Float = 0
        for i in 0..<count { sum += a[i] * b[i] }
        return sum
    }
}

/// cos and sin of RoPE's angles, position × pair, computed as `DecoderKernels.ropeAdjacentPairs`
/// computes them (Float angle = position · frequency) so the trainer's rotation is the decoder's.
/// Grows on demand.
struct RoPETable {
    let frequencies: [Float]
    private(set) var cosines: [Float] = []
    private(set) var sines: [Float] = []
    private(set) var positions = 0

    init(frequencies: [Float]) { self.frequencies = frequencies }

    var pairs: Int { frequencies.count }

    mutating func reserve(_ count: Int) {
        guard count > positions else { return }
        let newCount = Swift.max(count, 2 * positions, 64)
        cosines.reserveCapacity(newCount * pairs); sines.reserveCapacity(newCount * pairs)
        for p in positions..<newCount {
            for f in frequencies {
                let angle = Float(p) * f
                cosines.append(cos(angle)); sines.append(sin(angle))
            }
        }
        positions = newCount
    }

    /// Rotates pairs (2i, 2i+1) of the first `2 · pairs` values of each of `heads` heads in `rows`
    /// rows (`stride` apart) at positions `firstPosition + row` (when `inverse`, by minus the
    /// angle: the transpose of the rotation, which carries gradients back through it).
    func rotate(_ x: UnsafeMutablePointer<Float>, rows: Int, stride: Int, heads: Int, headWidth: Int,
                firstPosition: Int, inverse: Bool) {
        precondition(firstPosition + rows <= positions, "RoPE table holds \(positions) positions")
        let pairs = self.pairs
        let sign: Float = inverse ? -1 : 1
        cosines.withUnsafeBufferPointer { cp in
            sines.withUnsafeBufferPointer { sp in
                for r in 0..<rows {
                    let c = cp.baseAddress! + (firstPosition + r) &* pairs, s = sp.baseAddress! + (firstPosition + r) &* pairs
                    for h in 0..<heads {
                        let p = x + (r &* stride &+ h &* headWidth)
                        for i in 0..<pairs {
                            let a = p[2 &* i], b = p[2 &* i &+ 1], sn = sign * s[i]
                            p[2 &* i] = a * c[i] - b * sn
                            p[2 &* i &+ 1] = a * sn + b * c[i]
                        }
                    }
                }
            }
        }
    }
}

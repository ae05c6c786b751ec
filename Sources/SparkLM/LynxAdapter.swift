import Foundation
import SparkEngine

/// Lynx's adapter, placed after the feed-forward residual of every `frequency`-th decoder layer:
/// `x + scale · Up(SiLU(Down(LayerNorm(x))))`, with Down: D → D/2 and Up: D/2 → D.
///
/// Untrained adapters have Up = 0 (weights and bias), so they are exactly the identity and the
/// pretrained model is unchanged; Down keeps a random initialisation so training can move Up.
public struct LynxAdapter: Sendable {
    public let width: Int
    public var normWeight: [Float]
    public var normBias: [Float]
    /// `[width/2, width]`
    public var downWeight: [Float]
    public var downBias: [Float]
    /// `[width, width/2]`
    public var upWeight: [Float]
    public var upBias: [Float]
    public var scale: Float

    public var bottleneck: Int { width / 2 }

    public init(width: Int, normWeight: [Float], normBias: [Float], downWeight: [Float], downBias: [Float],
                upWeight: [Float], upBias: [Float], scale: Float) {
        precondition(width % 2 == 0)
        precondition(normWeight.count == width && normBias.count == width)
        precondition(downWeight.count == width / 2 * width && downBias.count == width / 2)
        precondition(upWeight.count == width * width / 2 && upBias.count == width)
        self.width = width; self.normWeight = normWeight; self.normBias = normBias
        self.downWeight = downWeight; self.downBias = downBias
        self.upWeight = upWeight; self.upBias = upBias; self.scale = scale
    }

    /// x ← x + scale · Up(SiLU(Down(LayerNorm(x)))) for `rows` rows of `width`.
    public func apply(_ x: UnsafeMutablePointer<Float>, rows: Int) {
        // With Up = 0 (an untrained adapter) the update is exactly zero: skip the work, which is
        // about a tenth of a forward pass when every second layer has an adapter.
        if upBias.allSatisfy({ $0 == 0 }) && upWeight.allSatisfy({ $0 == 0 }) { return }
        let d = width, b = bottleneck
        var normed = [Float](repeating: 0, count: rows * d)
        var hidden = [Float](repeating: 0, count: rows * b)
        var delta = [Float](repeating: 0, count: rows * d)
        normWeight.withUnsafeBufferPointer { w in
            normBias.withUnsafeBufferPointer { bias in
                normed.withUnsafeMutableBufferPointer { np in
                    DecoderKernels.layerNorm(x, rows: rows, width: d, weight: w.baseAddress!,
                                             bias: bias.baseAddress!, epsilon: 1e-5, into: np.baseAddress!)
                }
            }
        }
        Self.linear(normed, rows: rows, inputs: d, weight: downWeight, bias: downBias, outputs: b, into: &hidden)
        for i in 0..<hidden.count { let v = hidden[i]; hidden[i] = v / (1 + exp(-v)) }
        Self.linear(hidden, rows: rows, inputs: b, weight: upWeight, bias: upBias, outputs: d, into: &delta)
        for i in 0..<(rows * d) { x[i] += scale * delta[i] }
    }

    /// out[rows, outputs] = in[rows, inputs] · Wᵀ + bias.
    static func linear(_ input: [Float], rows: Int, inputs: Int, weight: [Float], bias: [Float], outputs: Int,
                       into out: inout [Float]) {
        input.withUnsafeBufferPointer { ip in
            weight.withUnsafeBufferPointer { wp in
                out.withUnsafeMutableBufferPointer { op in
                    MatrixProduct.gemm(transposeA: false, transposeB: true, m: rows, n: outputs, k: inputs,
                                       a: ip.baseAddress!, lda: inputs, b: wp.baseAddress!, ldb: inputs,
                                       c: op.baseAddress!, ldc: outputs)
                }
            }
        }
        for r in 0..<rows { for j in 0..<outputs { out[r * outputs + j] += bias[j] } }
    }
}

import Foundation
import SparkEngine

/// AdamW (Loshchilov & Hutter 2019) over named tensors, as `torch.optim.AdamW` computes it:
///
///     p ← p − lr·λ·p                          (decoupled weight decay, only where `decays(name)`)
///     m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²
///     p ← p − lr · (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε)
///
/// Weight decay applies to matrices and higher-rank tensors only, never to biases, norm scales
/// and shifts, the bridge's final-norm scale or single scalars (nanoGPT's rule: decay what
/// multiplies, not what shifts or scales).
public struct AdamW: Sendable {
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8
    public var weightDecay: Float = 0.01
    /// Steps taken (t in the bias corrections).
    public private(set) var step = 0
    /// First and second moments by parameter name.
    public private(set) var firstMoments: [String: [Float]] = [:]
    public private(set) var secondMoments: [String: [Float]] = [:]

    public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01) {
        self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon; self.weightDecay = weightDecay
    }

    /// Whether weight decay applies to a parameter of this shape.
    public static func decays(shape: [Int]) -> Bool { shape.count >= 2 }

    /// One step: every parameter that has a gradient moves; the others (frozen) stay.
    public mutating func update(_ parameters: inout [String: Tensor], gradients: [String: Tensor], learningRate: Float) {
        step += 1
        let correction1 = 1 - Float(pow(Double(beta1), Double(step)))
        let correction2 = 1 - Float(pow(Double(beta2), Double(step)))
        for name in gradients.keys.sorted() {
            guard let gradient = gradients[name], var parameter = parameters[name] else { continue }
            precondition(gradient.shape == parameter.shape, "gradient of \(name) has shape \(gradient.shape), the parameter \(parameter.shape)")
            var m = firstMoments[name] ?? [Float](repeating: 0, count: parameter.count)
            var v = secondMoments[name] ?? [Float](repeating: 0, count: parameter.count)
            let decay = Self.decays(shape: parameter.shape) ? learningRate * weightDecay : 0
            let (b1, b2, eps) = (beta1, beta2, epsilon)
            parameter.scalars.withUnsafeMutableBufferPointer { p in
                gradient.scalars.withUnsafeBufferPointer { g in
                    m.withUnsafeMutableBufferPointer { mp in
                        v.withUnsafeMutableBufferPointer { vp in
                            for i in 0..<p.count {
                                let gi = g[i]
                                p[i] -= decay * p[i]
                                mp[i] = b1 * mp[i] + (1 - b1) * gi
                                vp[i] = b2 * vp[i] + (1 - b2) * gi * gi
                                p[i] -= learningRate * (mp[i] / correction1) / ((vp[i] / correction2).squareRoot() + eps)
                            }
                        }
                    }
                }
            }
            firstMoments[name] = m
            secondMoments[name] = v
            parameters[name] = parameter
        }
    }

    /// Restores a saved state (`TrainingState`).
    public mutating func restore(step: Int, firstMoments: [String: [Float]], secondMoments: [String: [Float]]) {
        self.step = step; self.firstMoments = firstMoments; self.secondMoments = secondMoments
    }
}

import Foundation
import SparkEngine

/// Linear warm-up from 0 to `peak` over `warmupSteps`, then cosine decay to `floor` at
/// `totalSteps` (the paper's schedule, §4.1 and Table 3). Steps count from 0.
public struct LearningRateSchedule: Sendable, Equatable {
    public var peak: Float
    public var warmupSteps: Int
    public var totalSteps: Int
    public var floor: Float

    public init(peak: Float, warmupSteps: Int, totalSteps: Int, floor: Float = 0) {
        self.peak = peak; self.warmupSteps = max(0, warmupSteps); self.totalSteps = max(1, totalSteps); self.floor = floor
    }

    /// The learning rate of step `step` (0-based).
    public func rate(at step: Int) -> Float {
        if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
        let span = max(1, totalSteps - warmupSteps)
        let progress = min(1, Double(step - warmupSteps) / Double(span))
        return floor + (peak - floor) * Float(0.5 * (1 + cos(Double.pi * progress)))
    }
}

/// Scales every gradient so that their global L2 norm is at most `maximum`; returns the norm
/// before clipping (what a training log shows).
@discardableResult
public func clipGlobalNorm(_ gradients: inout [String: Tensor], maximum: Float) -> Float {
    var sum: Double = 0
    for tensor in gradients.values { for v in tensor.scalars { sum += Double(v) * Double(v) } }
    return clipGlobalNorm(&gradients, maximum: maximum, norm: Float(sum.squareRoot()))
}

/// The same, with the global norm already measured (`ModuleGradientNorms.global`).
@discardableResult
public func clipGlobalNorm(_ gradients: inout [String: Tensor], maximum: Float, norm: Float) -> Float {
    if norm > maximum, norm > 0 {
        let factor = maximum / norm
        for key in gradients.keys { gradients[key]!.scalars = gradients[key]!.scalars.map { $0 * factor } }
    }
    return norm
}

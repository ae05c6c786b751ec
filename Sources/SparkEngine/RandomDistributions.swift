import Foundation

/// Distributions over `SeededRandomGenerator`, each defined exactly so that a seed pins the numbers:
///
/// - uniform Float in [0, 1): the top 24 bits of one 64-bit output, times 2⁻²⁴;
/// - uniform Double in [0, 1): the top 53 bits, times 2⁻⁵³;
/// - normal: Box–Muller in Double on two uniform Doubles u1, u2 (one output each):
///   r = √(-2 ln(1 - u1)), θ = 2π·u2, giving the pair (r cos θ, r sin θ);
/// - truncated normal: resampling (see `fillTruncatedNormal`).
///
/// The integer stream is exact everywhere. Normal values go through the C library's log, cos and
/// sin in Double and are then rounded to Float; libraries agree to within an ulp of Double, so a
/// Float can differ between machines only when a Double lands on a Float rounding boundary
/// (about one value in 2²⁹).
extension SeededRandomGenerator {
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    public mutating func nextUniformDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Two independent standard normal values from two outputs.
    public mutating func nextNormalPair() -> (Double, Double) {
        let u1 = nextUniformDouble(), u2 = nextUniformDouble()
        let radius = (-2 * Foundation.log(1 - u1)).squareRoot()  // 1 - u1 is in (0, 1]: log is finite
        let angle = 2 * Double.pi * u2
        return (radius * Foundation.cos(angle), radius * Foundation.sin(angle))
    }

    /// One normal value: the first of a pair (the second is discarded).
    public mutating func nextNormal(mean: Float = 0, std: Float = 1) -> Float {
        Float(Double(mean) + Double(std) * nextNormalPair().0)
    }

    /// Fills `buffer` with uniform values in [lower, upper] (computed in Double and rounded, so
    /// `upper` itself can come out when the interval is far wider than its Float spacing).
    public mutating func fillUniform(_ buffer: UnsafeMutableBufferPointer<Float>, lower: Float, upper: Float) {
        precondition(lower <= upper, "uniform: lower \(lower) must not exceed upper \(upper)")
        let width = Double(upper) - Double(lower)
        for i in buffer.indices {
            buffer[i] = Float(Double(lower) + width * Double(nextUniform()))
        }
    }

    /// Fills `buffer` with normal values: element 2i and 2i + 1 are pair i of `nextNormalPair`
    /// (an odd last element takes the first of its pair).
    public mutating func fillNormal(_ buffer: UnsafeMutableBufferPointer<Float>, mean: Float, std: Float) {
        precondition(std >= 0, "normal: std \(std) must be ≥ 0")
        var i = buffer.startIndex
        while i < buffer.endIndex {
            let (a, b) = nextNormalPair()
            buffer[i] = Float(Double(mean) + Double(std) * a)
            if i + 1 < buffer.endIndex { buffer[i + 1] = Float(Double(mean) + Double(std) * b) }
            i += 2
        }
    }

    /// Fills `buffer` from the normal distribution (mean, std) restricted to [lower, upper]
    /// (absolute bounds, as PyTorch's `trunc_normal_(mean, std, a, b)`).
    ///
    /// Method: resampling. Normal pairs are drawn as in `fillNormal`; each value in turn is kept
    /// if it lies within the bounds and skipped otherwise. This samples the truncated
    /// distribution exactly (no inverse-CDF approximation), at 1/P draws per value where P is
    /// the probability mass inside the bounds (0.954 for ±2σ); a P below 1/1000 is refused,
    /// since the loop would then run for a very long time.
    public mutating func fillTruncatedNormal(_ buffer: UnsafeMutableBufferPointer<Float>,
                                             mean: Float, std: Float, lower: Float, upper: Float) {
        precondition(std > 0 && lower < upper, "truncated normal: need std > 0 and lower < upper, got std \(std), [\(lower), \(upper)]")
        let alpha = (Double(lower) - Double(mean)) / Double(std)
        let beta = (Double(upper) - Double(mean)) / Double(std)
        // Φ(β) - Φ(α) via erfc, which keeps precision in the tails.
        let mass = 0.5 * (Foundation.erfc(-beta / 2.0.squareRoot()) - Foundation.erfc(-alpha / 2.0.squareRoot()))
        precondition(mass >= 1e-3,
                     "truncated normal: [\(lower), \(upper)] holds only \(mass) of N(\(mean), \(std)²); resampling needs ≥ 0.001")
        var i = buffer.startIndex
        func keepIfInside(_ z: Double) {
            guard i < buffer.endIndex && z >= alpha && z <= beta else { return }
            // The clamp keeps the rounding of mean + std·z to Float from stepping past a bound.
            buffer[i] = Swift.min(Swift.max(Float(Double(mean) + Double(std) * z), lower), upper)
            i += 1
        }
        while i < buffer.endIndex {
            let (a, b) = nextNormalPair()
            keepIfInside(a)
            keepIfInside(b)
        }
    }
}

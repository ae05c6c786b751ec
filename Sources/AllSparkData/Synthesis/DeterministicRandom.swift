import Foundation
import SparkEngine

/// A seeded pseudo-random source that gives the same numbers for the same seed on every machine
/// and Swift version: the engine's SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom
/// number generators", OOPSLA 2014) with Double arithmetic on top, for the sample generators. The standard library's generators and
/// `shuffle`/`randomElement` are not used for generated data because their algorithms may change.
public struct DeterministicRandom: Sendable {
    private var stream: SplitMix64

    public init(seed: UInt64) { stream = SplitMix64(state: seed) }

    /// A generator for a sub-stream (one sample, one scene) so that changing how many numbers one
    /// sample draws does not change the others.
    public func derived(_ stream: UInt64) -> DeterministicRandom {
        var copy = DeterministicRandom(seed: self.stream.state ^ (stream &* 0xD1B5_4A32_D192_ED03))
        _ = copy.next()
        return copy
    }

    public mutating func next() -> UInt64 { stream.next() }

    /// Uniform in [0, 1), 53 random bits.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Uniform in [a, b).
    public mutating func uniform(_ a: Double, _ b: Double) -> Double {
        a + (b - a) * uniform()
    }

    /// Uniform integer in 0..<n (n > 0), by the high half of a 64×64-bit product (Lemire's method
    /// without the rejection step; the bias is below 2⁻³² for the sizes used here).
    public mutating func integer(below n: Int) -> Int {
        precondition(n > 0, "integer(below:) needs n > 0")
        return Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// Standard normal, by the Box–Muller transform.
    public mutating func normal() -> Double {
        let u1 = max(uniform(), 0x1p-60), u2 = uniform()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }

    public mutating func normal(mean: Double, deviation: Double) -> Double {
        mean + deviation * normal()
    }

    /// True with probability p.
    public mutating func chance(_ p: Double) -> Bool { uniform() < p }

    /// The indices 0..<n in a random order (Fisher–Yates).
    public mutating func permutation(_ n: Int) -> [Int] {
        var order = Array(0..<n)
        if n > 1 {
            for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, integer(below: i + 1)) }
        }
        return order
    }
}

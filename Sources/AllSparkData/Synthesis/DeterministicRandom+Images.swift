import Foundation

extension DeterministicRandom {
    /// Gamma(shape k, scale 1) by Marsaglia & Tsang ("A simple method for generating gamma
    /// variables", ACM TOMS 2000); for k < 1 via Gamma(k + 1)·U^(1/k).
    public mutating func gamma(shape k: Double) -> Double {
        precondition(k > 0, "gamma shape must be positive")
        if k < 1 {
            return gamma(shape: k + 1) * Foundation.pow(max(uniform(), 0x1p-60), 1 / k)
        }
        let d = k - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            var x = 0.0, v = 0.0
            repeat { x = normal(); v = 1 + c * x } while v <= 0
            v = v * v * v
            let u = uniform()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if Foundation.log(max(u, 0x1p-60)) < 0.5 * x * x + d * (1 - v + Foundation.log(v)) { return d * v }
        }
    }

    /// A value from `choices`.
    public mutating func pick<T>(_ choices: [T]) -> T { choices[integer(below: choices.count)] }
}

/// Smooth lattice ("value") noise and its fractal sum, a pure function of position and seed, for
/// the textures of generated scenes (canopy, dunes, clutter).
struct ValueNoise: Sendable {
    let seed: UInt64

    init(seed: UInt64) { self.seed = seed }

    /// A hash of a lattice point to [0, 1) (the SplitMix64 finaliser).
    func lattice(_ ix: Int, _ iy: Int) -> Double {
        var z = seed &+ UInt64(bitPattern: Int64(ix)) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(bitPattern: Int64(iy)) &* 0xC2B2_AE3D_27D4_EB4F
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) * 0x1p-53
    }

    /// Noise at (x, y) in lattice units, in [0, 1), smoothly interpolated (smoothstep weights).
    func value(_ x: Double, _ y: Double) -> Double {
        let fx = x.rounded(.down), fy = y.rounded(.down)
        let ix = Int(fx), iy = Int(fy)
        let tx = x - fx, ty = y - fy
        let sx = tx * tx * (3 - 2 * tx), sy = ty * ty * (3 - 2 * ty)
        let a = lattice(ix, iy), b = lattice(ix + 1, iy), c = lattice(ix, iy + 1), d = lattice(ix + 1, iy + 1)
        return (a + (b - a) * sx) * (1 - sy) + (c + (d - c) * sx) * sy
    }

    /// Sum of `octaves` octaves (each twice the frequency and `persistence` times the amplitude of
    /// the previous), normalised to [0, 1). `scale` is the size of the coarsest features in pixels.
    func fractal(_ x: Double, _ y: Double, scale: Double, octaves: Int = 4, persistence: Double = 0.5) -> Double {
        var sum = 0.0, amplitude = 1.0, total = 0.0, frequency = 1 / scale
        for octave in 0..<octaves {
            sum += amplitude * ValueNoise(seed: seed &+ UInt64(octave) &* 0x5851_F42D_4C95_7F2D).value(x * frequency, y * frequency)
            total += amplitude
            amplitude *= persistence
            frequency *= 2
        }
        return sum / total
    }
}

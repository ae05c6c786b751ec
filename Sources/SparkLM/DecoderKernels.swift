import Foundation

/// The decoder's element-wise kernels over raw rows. They run once or a few times per layer and
/// token, on vectors of a few hundred to a few thousand floats, written in place to avoid
/// allocating on the per-token path.
enum DecoderKernels {
    /// out = x / rms(x) · weight, over rows of `width`.
    static func rmsNorm(_ x: UnsafePointer<Float>, rows: Int, width: Int, weight: UnsafePointer<Float>,
                        epsilon: Float, into out: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let xr = x + r * width, o = out + r * width
            var sum: Float = 0
            for i in 0..<width { sum += xr[i] * xr[i] }
            let scale = 1 / (sum / Float(width) + epsilon).squareRoot()
            for i in 0..<width { o[i] = xr[i] * scale * weight[i] }
        }
    }

    /// out = LayerNorm(x) · weight + bias, over rows of `width`.
    static func layerNorm(_ x: UnsafePointer<Float>, rows: Int, width: Int, weight: UnsafePointer<Float>,
                          bias: UnsafePointer<Float>, epsilon: Float, into out: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let xr = x + r * width, o = out + r * width
            var mean: Float = 0
            for i in 0..<width { mean += xr[i] }
            mean /= Float(width)
            var variance: Float = 0
            for i in 0..<width { let d = xr[i] - mean; variance += d * d }
            let scale = 1 / (variance / Float(width) + epsilon).squareRoot()
            for i in 0..<width { o[i] = (xr[i] - mean) * scale * weight[i] + bias[i] }
        }
    }

    /// Rotates pairs (2i, 2i+1) of the first `ropeDimensions` of each head by position · frequency_i
    /// ("normal" RoPE, the pairing of LLaMA weights in GGUF files, whose converter permutes q and k).
    static func ropeAdjacentPairs(_ x: UnsafeMutablePointer<Float>, rows: Int, rowWidth: Int, heads: Int, headWidth: Int,
                                  frequencies: [Float], positions: Range<Int>) {
        let pairs = frequencies.count
        for r in 0..<rows {
            let position = Float(positions.lowerBound + r)
            for i in 0..<pairs {
                let angle = position * frequencies[i]
                let c = cos(angle), s = sin(angle)
                for h in 0..<heads {
                    let p = x + r * rowWidth + h * headWidth + 2 * i
                    let a = p[0], b = p[1]
                    p[0] = a * c - b * s
                    p[1] = a * s + b * c
                }
            }
        }
    }

    /// RoPE frequencies base^(−2i/d) for i < d/2, computed in Double.
    static func ropeFrequencies(base: Float, dimensions: Int) -> [Float] {
        (0..<(dimensions / 2)).map { Float(pow(Double(base), -2.0 * Double($0) / Double(dimensions))) }
    }

    /// gate = SiLU(gate) · up.
    static func siluMultiply(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, count: Int) {
        for i in 0..<count {
            let g = gate[i]
            gate[i] = g / (1 + exp(-g)) * up[i]
        }
    }

    /// In-place softmax of the first `valid` entries; entries from `valid` on become 0.
    static func softmax(_ row: UnsafeMutablePointer<Float>, valid: Int, count: Int) {
        var maximum = -Float.infinity
        for j in 0..<valid { maximum = Swift.max(maximum, row[j]) }
        var sum: Float = 0
        for j in 0..<valid { let e = exp(row[j] - maximum); row[j] = e; sum += e }
        let inverse = 1 / sum
        for j in 0..<valid { row[j] *= inverse }
        for j in valid..<count { row[j] = 0 }
    }

    /// Rounds every value to the nearest f16 (kept as Float).
    static func roundToHalf(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { x[i] = Float(Float16(x[i])) }
    }

    /// y += x.
    static func add(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, count: Int) {
        for i in 0..<count { y[i] += x[i] }
    }
}

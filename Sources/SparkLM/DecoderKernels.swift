import Foundation

/// The decoder's element-wise kernels over raw rows. They run once or a few times per layer and
/// token, on vectors of a few hundred to a few thousand floats, written in place to avoid
/// allocating on the per-token path.
enum DecoderKernels {
    /// out = x / rms(x) · weight, over rows of `width`. With `llamaOrder`, as llama.cpp's CPU
    /// rms_norm: squares rounded to Float but summed in Double, mean = Float(sum / width), then
    /// the same Float scale and products. Otherwise a plain Float sum.
    static func rmsNorm(_ x: UnsafePointer<Float>, rows: Int, width: Int, weight: UnsafePointer<Float>,
                        epsilon: Float, llamaOrder: Bool = false, into out: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let xr = x + r * width, o = out + r * width
            let mean: Float
            if llamaOrder {
                var sum: Double = 0
                for i in 0..<width { sum += Double(xr[i] * xr[i]) }
                mean = Float(sum / Double(width))
            } else {
                var sum: Float = 0
                for i in 0..<width { sum += xr[i] * xr[i] }
                mean = sum / Float(width)
            }
            let scale = 1 / (mean + epsilon).squareRoot()
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

    /// The same rotation computed as llama.cpp's CPU rope (GGML_ROPE_TYPE_NORMAL, no scaling):
    /// the angle of pair i is built by repeated Float multiplication, θ_0 = position,
    /// θ_{i+1} = θ_i · powf(base, −2/dimensions), and the rotation is what GCC made of
    /// `x0*cos − x1*sin`, `x0*sin + x1*cos` (FMA-contracted, as the scalar loop in
    /// libggml-cpu.so shows): a' = fma(a, cos, −(b·sin)), b' = fma(a, sin, b·cos). Checked against
    /// llama.cpp's roped q and k bit for bit (scripts/reference/rope_variants.py). Angles of later
    /// pairs differ from base^(−2i/d)·position by a few ulps, enough to move the last bits.
    static func ropeAdjacentPairsLlama(_ x: UnsafeMutablePointer<Float>, rows: Int, rowWidth: Int, heads: Int, headWidth: Int,
                                       dimensions: Int, base: Float, positions: Range<Int>) {
        let thetaScale = pow(base, -2 / Float(dimensions))
        for r in 0..<rows {
            var theta = Float(positions.lowerBound + r)
            for i in 0..<(dimensions / 2) {
                let c = cos(theta), s = sin(theta)
                for h in 0..<heads {
                    let p = x + r * rowWidth + h * headWidth + 2 * i
                    let a = p[0], b = p[1]
                    p[0] = (-(b * s)).addingProduct(a, c)
                    p[1] = (b * c).addingProduct(a, s)
                }
                theta *= thetaScale
            }
        }
    }

    /// RoPE frequencies base^(−2i/d) for i < d/2, computed in Double.
    static func ropeFrequencies(base: Float, dimensions: Int) -> [Float] {
        (0..<(dimensions / 2)).map { Float(pow(Double(base), -2.0 * Double($0) / Double(dimensions))) }
    }

    /// gate = SiLU(gate) · up, with `clampedExp`: a loop the compiler vectorises, several times
    /// faster than calling expf per value (SiLU runs over every feed-forward activation).
    static func siluMultiply(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, count: Int) {
        for i in 0..<count {
            let g = gate[i]
            gate[i] = g / (1 + clampedExp(-g)) * up[i]
        }
    }

    /// e^x by the algorithm of `vectorExp` (Arm's optimized-routines v_expf) written on scalars,
    /// so that loops around it vectorise, with x clamped to [−87, 88] in place of vectorExp's
    /// large-|n| cases: e^−87 ≈ 1.6e−38 and e^88 ≈ 1.7e38 are still normal floats, and for SiLU
    /// nothing beyond them matters (x / (1 + e^−x) is then x or 0 to Float precision). NaN stays
    /// NaN. Within 2 ulp of expf on the clamped range.
    @inline(__always)
    static func clampedExp(_ x: Float) -> Float {
        let x = x.isNaN ? x : Swift.min(Swift.max(x, -87), 88)
        let shift: Float = 0x1.8p23
        let z = shift.addingProduct(x, 0x1.715476p+0)        // x / ln 2 + shift
        let n = z - shift
        let r = x.addingProduct(-n, 0x1.62e4p-1).addingProduct(-n, 0x1.7f7d1cp-20)
        let scale = Float(bitPattern: (z.bitPattern &<< 23) &+ Float(1).bitPattern)
        let r2 = r * r
        let p = Float(0x1.573e2ep-5).addingProduct(0x1.0e4020p-7, r)
        let q = Float(0x1.fffdb6p-2).addingProduct(0x1.555e66p-3, r)
        let poly = (r * 0x1.ffffecp-1).addingProduct(q.addingProduct(p, r2), r2)
        return scale.addingProduct(poly, scale)
    }

    /// gate = SiLU(gate) · up computed as llama.cpp's AVX2 swiglu: per row of `width`, groups
    /// of 8 use `vectorExp` (its SIMD exponential) and a tail shorter than 8 uses libm's expf;
    /// SiLU(x) = x / (1 + exp(0 − x)). The approximation differs from expf by about an ulp in a
    /// fifth of the values, which is enough to flip the int8 rounding of the down projection's
    /// input now and then — so the compatible mode needs it.
    static func siluMultiplyLlama(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, rows: Int, width: Int) {
        let vectorWidth = width & ~7
        for r in 0..<rows {
            let g = gate + r * width, u = up + r * width
            var i = 0
            while i < vectorWidth {
                let x = UnsafeRawPointer(g + i).loadUnaligned(as: SIMD8<Float>.self)
                let y = UnsafeRawPointer(u + i).loadUnaligned(as: SIMD8<Float>.self)
                let silu = x / (1 + vectorExp(SIMD8<Float>() - x))
                UnsafeMutableRawPointer(g + i).storeBytes(of: silu * y, as: SIMD8<Float>.self)
                i += 8
            }
            while i < width {
                g[i] = g[i] / (1 + exp(-g[i])) * u[i]
                i += 1
            }
        }
    }

    /// e^x by the published algorithm of Arm's optimized-routines (v_expf, maximum error about
    /// 1.5 ulp), which llama.cpp's SIMD SiLU uses: n = round(x / ln 2) by adding and subtracting
    /// 1.5·2^23, r = x − n·ln 2 with ln 2 split in two parts, e^r − 1 ≈ a degree-5 polynomial
    /// evaluated in two halves (Estrin-like), and the result 2^n·(1 + p) as fma(p, 2^n, 2^n), with
    /// 2^n split into two factors where it would overflow or underflow (|n| > 126).
    @inline(__always)
    static func vectorExp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let shift = SIMD8<Float>(repeating: 0x1.8p23)
        let z = shift.addingProduct(x, SIMD8(repeating: 0x1.715476p+0))   // x / ln 2 + shift
        let n = z - shift
        let r = x.addingProduct(-n, SIMD8(repeating: 0x1.62e4p-1)).addingProduct(-n, SIMD8(repeating: 0x1.7f7d1cp-20))
        let e = unsafeBitCast(z, to: SIMD8<UInt32>.self) &<< 23
        let scale = unsafeBitCast(e &+ unsafeBitCast(SIMD8<Float>(repeating: 1), to: SIMD8<UInt32>.self), to: SIMD8<Float>.self)
        let r2 = r * r
        let p = SIMD8<Float>(repeating: 0x1.573e2ep-5).addingProduct(SIMD8(repeating: 0x1.0e4020p-7), r)
        let q = SIMD8<Float>(repeating: 0x1.fffdb6p-2).addingProduct(SIMD8(repeating: 0x1.555e66p-3), r)
        let poly = (r * SIMD8(repeating: 0x1.ffffecp-1)).addingProduct(q.addingProduct(p, r2), r2)
        let absN = unsafeBitCast(unsafeBitCast(n, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF, to: SIMD8<Float>.self)
        let large = absN .> SIMD8(repeating: 126)
        if !any(large) { return scale.addingProduct(poly, scale) }
        // 2^n = s1 · s2 with s1 = 2^±127-ish, so that neither factor overflows.
        let b = SIMD8<UInt32>(repeating: 0).replacing(with: 0x8200_0000, where: n .<= 0)
        let s1 = unsafeBitCast(SIMD8<UInt32>(repeating: 0x7F00_0000) &+ b, to: SIMD8<Float>.self)
        let s2 = unsafeBitCast(e &- b, to: SIMD8<Float>.self)
        let split = s2.addingProduct(poly, s2) * s1
        let saturated = s1 * s1
        let normal = scale.addingProduct(poly, scale)
        return normal.replacing(with: split, where: large).replacing(with: saturated, where: absN .> SIMD8(repeating: 192))
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

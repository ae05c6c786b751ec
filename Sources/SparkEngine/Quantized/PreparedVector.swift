/// How the activations of a quantised product are represented.
public enum ActivationPrecision: String, Sendable, CaseIterable, Codable {
    /// The Float32 values as they are: the exact product of the stored weights with x.
    case float32
    /// Each block of 32 activations rounded to 8-bit integers with an f16 scale, as llama.cpp does
    /// before its integer dot products (its Q8_0 / Q8_1 "vec_dot_type"): d = max|x| / 127 stored
    /// as f16, q = round-half-even(x · 127 / max|x|), and for Q4_1 weights the block offset term
    /// f16(d · Σq). Products then equal llama.cpp's up to the order of Float additions, which is
    /// what makes greedy generations agree with llama.cpp token for token.
    case int8Blocks
}

extension ActivationPrecision {
    /// Replaces each block of 32 values of x by what the kernels multiply with under this
    /// precision (for batched products that dequantise the weights and call sgemm).
    /// `offsetErrors` (count / 32 values) receives the Q4_1 offset-term corrections, see
    /// `QuantizedMatrix.addOffsetCorrections`.
    public func round(_ x: UnsafeMutablePointer<Float>, count: Int, offsetErrors: UnsafeMutablePointer<Float>? = nil) {
        switch self {
        case .int8Blocks: PreparedVector.roundTrip(x, count: count, offsetErrors: offsetErrors)
        case .float32: offsetErrors?.update(repeating: 0, count: count / 32)
        }
    }
}

/// A vector prepared for the quantised dot kernels: values rearranged lane-wise, per-block scales
/// and the per-block sums the offset terms need.
///
/// Lane order: within each group of 16 values, lane 4·h + l of extract k (k = 0, 1; lanes
/// 8k…8k+7) holds value 4·l + 2k + h (see `QuantizedDot`). For nibble blocks, group 0 is the low
/// nibbles (values 0–15 of the block) and group 1 the high nibbles (16–31); for Q8_0, groups are
/// consecutive 16-byte halves. Both are the same map within a group, so one order serves all.
struct PreparedVector {
    /// Values in kernel lane order: x itself, or the 8-bit integers q of each block.
    let values: UnsafeMutablePointer<Float>
    /// Per block: 1, or the f16-rounded scale d.
    let scales: UnsafeMutablePointer<Float>
    /// Per block: scale × Σ values (exact for integer values), for Q4_0's −8 offset.
    let valueSums: UnsafeMutablePointer<Float>
    /// Per block: Σ x, or llama.cpp's f16(d · Σ q), for Q4_1's minimum term.
    let offsetSums: UnsafeMutablePointer<Float>

    init(_ x: UnsafePointer<Float>, count: Int, precision: ActivationPrecision) {
        precondition(count % 32 == 0)
        let blocks = count / 32
        values = UnsafeMutableRawPointer.allocate(byteCount: count * 4, alignment: 64).bindMemory(to: Float.self, capacity: count)
        scales = .allocate(capacity: blocks)
        valueSums = .allocate(capacity: blocks)
        offsetSums = .allocate(capacity: blocks)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 32) { block in
            let q = block.baseAddress!
            for b in 0..<blocks {
                let xb = x + b * 32
                switch precision {
                case .float32:
                    var sum: Float = 0
                    for i in 0..<32 { q[i] = xb[i]; sum += xb[i] }
                    scales[b] = 1; valueSums[b] = sum; offsetSums[b] = sum
                case .int8Blocks:
                    let (d, integerSum) = Self.quantizeBlock(xb, into: q)
                    let scale = Float(Float16(d))
                    scales[b] = scale
                    valueSums[b] = scale * Float(integerSum)
                    offsetSums[b] = Float(Float16(d * Float(integerSum)))
                }
                for g in 0..<2 {
                    let src = q + g * 16, dst = values + b * 32 + g * 16
                    for k in 0..<2 { for h in 0..<2 { for l in 0..<4 { dst[8 * k + 4 * h + l] = src[4 * l + 2 * k + h] } } }
                }
            }
        }
    }

    /// Rounds 32 values to integers in −127…127 with scale d = max|x| / 127 (round half to even).
    /// Returns d (unrounded) and Σ q.
    @inline(__always)
    static func quantizeBlock(_ x: UnsafePointer<Float>, into q: UnsafeMutablePointer<Float>) -> (Float, Int) {
        var maximum: Float = 0
        for i in 0..<32 { maximum = Swift.max(maximum, abs(x[i])) }
        let d = maximum / 127
        let inverse: Float = maximum != 0 ? 127 / maximum : 0
        var sum = 0
        for i in 0..<32 {
            let v = (x[i] * inverse).rounded(.toNearestOrEven)
            q[i] = v
            sum += Int(v)
        }
        return (d, sum)
    }

    /// x with each block replaced by scale · q (what the kernels multiply by, in natural order),
    /// for batched products that dequantise the weights and call sgemm. When `offsetErrors` is
    /// given, it receives per block f16(d · Σq) − scale · Σq: how far llama.cpp's rounded Q4_1
    /// offset term is from the one the round-tripped values produce.
    static func roundTrip(_ x: UnsafeMutablePointer<Float>, count: Int, offsetErrors: UnsafeMutablePointer<Float>?) {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 32) { block in
            for b in 0..<(count / 32) {
                let (d, integerSum) = quantizeBlock(x + b * 32, into: block.baseAddress!)
                let scale = Float(Float16(d))
                for i in 0..<32 { x[b * 32 + i] = scale * block[i] }
                offsetErrors?[b] = Float(Float16(d * Float(integerSum))) - scale * Float(integerSum)
            }
        }
    }

    func deallocate() {
        UnsafeMutableRawPointer(values).deallocate()
        scales.deallocate(); valueSums.deallocate(); offsetSums.deallocate()
    }
}

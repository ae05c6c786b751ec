/// How the activations of a quantised product are represented.
public enum ActivationPrecision: String, Sendable, CaseIterable, Codable {
    /// The Float32 values as they are: the exact product of the stored weights with x.
    case float32
    /// Each block of 32 activations rounded to 8-bit integers with an f16 scale, as llama.cpp does
    /// before its integer dot products (its Q8_0 / Q8_1 "vec_dot_type"): d = max|x| / 127 stored
    /// as f16, q = round-half-even(x · 127 / max|x|), and for Q4_1 weights the block offset term
    /// f16(d · Σq). With the kernels' lane grouping (see `QuantizedDot`) products then equal
    /// llama.cpp's bit for bit.
    case int8Blocks
}

/// A vector prepared for the quantised dot kernels: values transposed lane-wise within each
/// block, per-block scales and the per-block sums the Q4_1 minimum term needs. A view into a
/// `PreparedBatch`.
struct PreparedVector {
    /// Values in kernel lane order (value 8e + k of a block is element 4k + e): x itself, or the
    /// 8-bit integers q of each block.
    let values: UnsafeMutablePointer<Float>
    /// Per block: 1, or the f16-rounded scale d.
    let scales: UnsafeMutablePointer<Float>
    /// Per block: Σ x, or llama.cpp's f16(d · Σ q), for Q4_1's minimum term.
    let offsetSums: UnsafeMutablePointer<Float>
}

/// Rows of X prepared for the kernels (see `PreparedVector`): values, scales and sums in one
/// buffer, either the calling thread's reused scratch (`allspark_thread_scratch`: the decoder's
/// products, so that a decoded token allocates nothing) or one of its own, which the owner frees
/// with `deallocate()`.
struct PreparedBatch {
    let rows: Int
    let columns: Int
    private let values: UnsafeMutablePointer<Float>
    private let scales: UnsafeMutablePointer<Float>
    private let offsetSums: UnsafeMutablePointer<Float>
    private let ownsMemory: Bool

    /// Bytes a batch of `rows` rows of `columns` values needs: per block of 32, 32 values, a
    /// scale and a sum.
    static func byteCount(rows: Int, columns: Int) -> Int { rows * columns / 32 * (32 + 2) * 4 }

    /// `x` is `[rows, columns]`, `columns` a multiple of 32. In `scratch` (64-byte aligned, at
    /// least `byteCount` bytes) when given; else in memory of its own.
    init(_ x: UnsafePointer<Float>, rows: Int, columns: Int, precision: ActivationPrecision,
         scratch: UnsafeMutableRawPointer? = nil) {
        precondition(columns % 32 == 0)
        self.rows = rows; self.columns = columns
        let count = rows * columns, blocks = count / 32
        ownsMemory = scratch == nil
        let memory = scratch ?? UnsafeMutableRawPointer.allocate(byteCount: Self.byteCount(rows: rows, columns: columns), alignment: 64)
        values = memory.bindMemory(to: Float.self, capacity: count + 2 * blocks)
        scales = values + count
        offsetSums = scales + blocks
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 32) { block in
            let q = block.baseAddress!
            for b in 0..<blocks {
                let xb = x + b * 32
                switch precision {
                case .float32:
                    var sum: Float = 0
                    for i in 0..<32 { q[i] = xb[i]; sum += xb[i] }
                    scales[b] = 1; offsetSums[b] = sum
                case .int8Blocks:
                    let (d, integerSum) = Self.quantizeBlock(xb, into: q)
                    scales[b] = Float(Float16(d))
                    offsetSums[b] = Float(Float16(d * Float(integerSum)))
                }
                let dst = values + b * 32
                for e in 0..<4 { for k in 0..<8 { dst[8 * e + k] = q[4 * k + e] } }
            }
        }
    }

    /// Row `r` as the kernels read it.
    func vector(_ r: Int) -> PreparedVector {
        let blocksPerRow = columns / 32
        return PreparedVector(values: values + r * columns, scales: scales + r * blocksPerRow,
                              offsetSums: offsetSums + r * blocksPerRow)
    }

    /// Frees the batch's own memory (nothing for one in scratch).
    func deallocate() {
        if ownsMemory { UnsafeMutableRawPointer(values).deallocate() }
    }

    /// Rounds 32 values to integers in −127…127 with scale d = max|x| / 127 (round half to even),
    /// as llama.cpp's AVX2 quantize_row_q8_0/q8_1. Returns d (unrounded) and Σ q.
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
}

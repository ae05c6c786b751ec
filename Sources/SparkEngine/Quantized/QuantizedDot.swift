/// Dot products of one quantised row with a prepared vector, vectorised with SIMD8 (one AVX2
/// register per operation). Each function walks `blocks` blocks of 32 weights.
///
/// Lane grouping — why it is what it is: llama.cpp's AVX2 kernels (vec_dot_q4_1_q8_1,
/// vec_dot_q8_0_q8_0) widen a block to 32 bytes and sum adjacent products twice, so lane k of
/// their 8-lane accumulator receives, per block, the exact integer Σ_{e<4} q[4k+e]·x[4k+e]
/// (elements 0–15 are the low nibbles in lanes 0–3, 16–31 the high nibbles in lanes 4–7). Then
/// `acc = fma(d_w·d_x, lane, acc)` and a fixed horizontal sum. We reproduce exactly that: with
/// int8 activations every lane value is an exact integer in Float, so the rounding — and hence
/// the result — is bit for bit theirs.
///
/// How the lanes are filled: Swift's SIMD integer→float conversions are not inlined (each is a
/// call that spills registers), so we never convert. A block's 16 nibble bytes are loaded as four
/// UInt32 words, repeated in both halves of an 8-lane register: lane k holds bytes 4k…4k+3 (k < 4)
/// or the same word again (k ≥ 4). Extract e shifts each lane by 8e (low nibble, k < 4) or 8e + 4
/// (high nibble, k ≥ 4), so extract e of lane k is element 4k + e. Q8_0's 32 bytes are eight
/// words, lane k = bytes 4k…4k+3, and extract e sign-extends byte e. The vector x is transposed
/// to match once per product (`PreparedVector`: value 8e + k of a block is x[4k + e]), and a small
/// lane value q becomes a Float by the exponent trick: the bits 0x4B000000 | q are the float
/// 2^23 + q, exact for q < 2^23.
///
/// Constants are computed properties, not static lets: a static costs a swift_once check inside
/// the innermost loop.
enum QuantizedDot {
    @inline(__always)
    static func half(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        Float(Float16(bitPattern: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }

    @inline(__always) static var magic: SIMD8<UInt32> { SIMD8(repeating: 0x4B00_0000) }
    @inline(__always) static var magicFloat: SIMD8<Float> { SIMD8(repeating: 8_388_608) }

    /// The four words at `offset`, repeated in lanes 0–3 and 4–7.
    @inline(__always)
    static func words(_ p: UnsafeRawPointer, _ offset: Int) -> SIMD8<UInt32> {
        let w = p.loadUnaligned(fromByteOffset: offset, as: SIMD4<UInt32>.self)
        return SIMD8<UInt32>(lowHalf: w, highHalf: w)
    }

    /// Lane values below 2^23 to Float without a conversion instruction.
    @inline(__always)
    static func toFloat(_ v: SIMD8<UInt32>) -> SIMD8<Float> {
        unsafeBitCast(v | magic, to: SIMD8<Float>.self) - magicFloat
    }

    /// The 32 nibbles of a block (16 bytes at `p + offset`) as four extracts of 8 lanes, minus
    /// `offset` (8 for Q4_0, whose weights are q − 8; 0 for Q4_1). Exact small integers.
    @inline(__always)
    static func nibbles(_ p: UnsafeRawPointer, _ offset: Int, minus bias: Float)
        -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
        let w = words(p, offset)
        let mask = SIMD8<UInt32>(repeating: 0x0F)
        let b = SIMD8<Float>(repeating: bias)
        return (toFloat((w &>> SIMD8(0, 0, 0, 0, 4, 4, 4, 4)) & mask) - b,
                toFloat((w &>> SIMD8(8, 8, 8, 8, 12, 12, 12, 12)) & mask) - b,
                toFloat((w &>> SIMD8(16, 16, 16, 16, 20, 20, 20, 20)) & mask) - b,
                toFloat((w &>> SIMD8(24, 24, 24, 24, 28, 28, 28, 28)) & mask) - b)
    }

    /// Sign-extended byte lanes to Float: bits(0x4B400000 + q) is the float 1.5·2^23 + q.
    @inline(__always)
    static func signedToFloat(_ v: SIMD8<Int32>) -> SIMD8<Float> {
        unsafeBitCast(v &+ SIMD8(repeating: 0x4B40_0000), to: SIMD8<Float>.self) - SIMD8(repeating: 12_582_912)
    }

    /// The 32 signed bytes at `p + offset` as four extracts: lane k of extract e = byte 4k + e.
    @inline(__always)
    static func signedBytes(_ p: UnsafeRawPointer, _ offset: Int)
        -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
        // Shift the wanted byte to the top, then arithmetic-shift it down: a sign-extended Int32.
        let w = p.loadUnaligned(fromByteOffset: offset, as: SIMD8<Int32>.self)
        return (signedToFloat((w &<< 24) &>> 24), signedToFloat((w &<< 16) &>> 24),
                signedToFloat((w &<< 8) &>> 24), signedToFloat(w &>> 24))
    }

    /// Per-lane Σ_e q_e · x_e for one block: lane k = Σ over elements 4k…4k+3. With integer x
    /// (int8 activations) every step is exact.
    @inline(__always)
    static func laneSums(_ q: (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>), _ x: UnsafeRawPointer) -> SIMD8<Float> {
        var s = q.0 * x.load(as: SIMD8<Float>.self)
        s.addProduct(q.1, x.load(fromByteOffset: 32, as: SIMD8<Float>.self))
        s.addProduct(q.2, x.load(fromByteOffset: 64, as: SIMD8<Float>.self))
        s.addProduct(q.3, x.load(fromByteOffset: 96, as: SIMD8<Float>.self))
        return s
    }

    /// llama.cpp's hsum_float_8: ((a0+a4) + (a2+a6)) + ((a1+a5) + (a3+a7)).
    @inline(__always)
    static func horizontalSum(_ a: SIMD8<Float>) -> Float {
        let four = a.lowHalf + a.highHalf
        let two = four.lowHalf + four.highHalf
        return two[0] + two[1]
    }

    /// One block's weights as the kernels use them: the four extracts of integers, the scale and
    /// (Q4_1) the minimum.
    typealias Block = (q: (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>), d: Float, m: Float)

    /// Q4_1: weight = d·q + m. Q4_0: weight = d·(q − 8), the −8 applied to the integers as
    /// llama.cpp's vec_dot_q4_0_q8_0 does (llama.cpp repacks Q4_0 on AVX2 machines and then uses
    /// another kernel, so Q4_0 may differ from it in the last bits). Q8_0: weight = d·q.
    @inline(__always)
    static func block(_ format: QuantizedFormat, _ row: UnsafeRawPointer, _ b: Int) -> Block {
        switch format {
        case .q4_1:
            let p = row + b &* 20
            return (nibbles(p, 4, minus: 0), half(p, 0), half(p, 2))
        case .q4_0:
            let p = row + b &* 18
            return (nibbles(p, 2, minus: 8), half(p, 0), 0)
        case .q8_0:
            let p = row + b &* 34
            return (signedBytes(p, 2), half(p, 0), 0)
        }
    }

    // The kernels compute Σ_b fma(d_w · scale_b, lanes_b, acc), lanes_b being a block's per-lane
    // sums with the prepared values and scale_b the prepared vector's block scale (1 for Float
    // activations), then the horizontal sum. Q4_1 adds its minimum term Σ_b m·(Σ x)_b, kept in a
    // scalar accumulator with an FMA per block — GCC contracts llama.cpp's `summs += m * s` (seen
    // in the disassembly of libggml-cpu.so) — and added after the horizontal sum.
    // `format` is a constant at every call site, so the switch in `block` folds away.

    /// One row with one prepared vector.
    @inline(__always)
    static func dot(_ format: QuantizedFormat, _ row: UnsafeRawPointer, _ x: PreparedVector, blocks: Int) -> Float {
        var acc = SIMD8<Float>()
        var minimums: Float = 0
        let xr = UnsafeRawPointer(x.values)
        for b in 0..<blocks {
            let w = block(format, row, b)
            if format == .q4_1 { minimums.addProduct(w.m, x.offsetSums[b]) }
            acc.addProduct(SIMD8(repeating: w.d * x.scales[b]), laneSums(w.q, xr + b &* 128))
        }
        return format == .q4_1 ? horizontalSum(acc) + minimums : horizontalSum(acc)
    }

    /// One row with four prepared vectors (batched products): each block is unpacked once and
    /// used four times. Each result is computed exactly as `dot` computes it.
    @inline(__always)
    static func dot4(_ format: QuantizedFormat, _ row: UnsafeRawPointer,
                     _ x: (PreparedVector, PreparedVector, PreparedVector, PreparedVector), blocks: Int) -> SIMD4<Float> {
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
        var m = SIMD4<Float>()
        let x0 = UnsafeRawPointer(x.0.values), x1 = UnsafeRawPointer(x.1.values)
        let x2 = UnsafeRawPointer(x.2.values), x3 = UnsafeRawPointer(x.3.values)
        for b in 0..<blocks {
            let w = block(format, row, b)
            if format == .q4_1 {
                m.addProduct(SIMD4(repeating: w.m),
                             SIMD4(x.0.offsetSums[b], x.1.offsetSums[b], x.2.offsetSums[b], x.3.offsetSums[b]))
            }
            let o = b &* 128
            a0.addProduct(SIMD8(repeating: w.d * x.0.scales[b]), laneSums(w.q, x0 + o))
            a1.addProduct(SIMD8(repeating: w.d * x.1.scales[b]), laneSums(w.q, x1 + o))
            a2.addProduct(SIMD8(repeating: w.d * x.2.scales[b]), laneSums(w.q, x2 + o))
            a3.addProduct(SIMD8(repeating: w.d * x.3.scales[b]), laneSums(w.q, x3 + o))
        }
        let sums = SIMD4(horizontalSum(a0), horizontalSum(a1), horizontalSum(a2), horizontalSum(a3))
        return format == .q4_1 ? sums + m : sums
    }
}

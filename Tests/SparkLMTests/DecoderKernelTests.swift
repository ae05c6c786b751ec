import Foundation
import Testing
@testable import SparkLM

/// The decoder's llama.cpp-order kernels against values from scripts/reference/llama_numerics.py,
/// an independent Python restatement of llama.cpp's CPU operation order with exactly rounded
/// FMAs and glibc's cosf/sinf/expf/powf. Bit patterns are compared: these kernels exist to be
/// bit-exact, so "close" would not be evidence of anything.
struct DecoderKernelTests {
    /// v[i] = ((i·multiplier + offset) mod modulus − modulus/2) · scale, as the script's `pattern`.
    static func pattern(_ count: Int, _ multiplier: Int, _ offset: Int, _ modulus: Int, _ scale: Float) -> [Float] {
        (0..<count).map { Float((($0 * multiplier + offset) % modulus) - modulus / 2) * scale }
    }

    /// Full 11-bit f16 mantissas over exponents 2^-4…2^4, as the script's `wide_pattern`: sums of
    /// their products round in Float, so the order of a reduction shows in the result.
    static func widePattern(_ count: Int, _ multiplier: Int, _ offset: Int) -> [Float] {
        (0..<count).map { Float((($0 * multiplier + offset) % 2047) - 1023) / 1024 * Float(sign: .plus, exponent: $0 % 9 - 4, significand: 1) }
    }

    static func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

    @Test func rmsNormSumsSquaresInDouble() {
        let x = Self.pattern(576, 7919, 13, 65521, 1.0 / 8192)
        let w = Self.pattern(576, 13, 5, 17, 1.0 / 16).map { 1 + $0 }
        var llama = [Float](repeating: 0, count: 576), plain = llama
        DecoderKernels.rmsNorm(x, rows: 1, width: 576, weight: w, epsilon: 1e-5, llamaOrder: true, into: &llama)
        DecoderKernels.rmsNorm(x, rows: 1, width: 576, weight: w, epsilon: 1e-5, llamaOrder: false, into: &plain)
        // llama_numerics.py, rms_norm_llama.
        let expected: [UInt32] = [0xBFB3F990, 0xBF3CEF39, 0xBF9D4459, 0xBF08D2B1, 0xBD4AD856, 0x3E679B41, 0x3F8F9670, 0x3FB639A7]
        #expect(Self.bits(Array(llama.prefix(8))) == expected)
        // The script finds all 576 outputs differ with a Float sum: the flag must matter here.
        #expect(llama != plain)
    }

    @Test func ropeIteratesAnglesAndRotatesWithFMAs() {
        var x = Self.pattern(32, 5, 3, 29, 1.0 / 8)
        DecoderKernels.ropeAdjacentPairsLlama(&x, rows: 1, rowWidth: 32, heads: 2, headWidth: 16, dimensions: 16,
                                              base: 10000, positions: 1234..<1235)
        // llama_numerics.py, rope_llama (position 1234, base 10000, 16 dimensions, 2 heads).
        let expected: [UInt32] = [
            0x3FC65478, 0xBE6A3A2D, 0xBED0BF26, 0x3EA16BD9, 0x3F20B830, 0xBFFDE0E8, 0x3E9987AF, 0xBFAEB81B,
            0x3E0FA496, 0x3F1BEB01, 0xC00729C8, 0x3ECFD4EE, 0x3DCD1415, 0xBF9D0F41, 0xBE2DC464, 0x3F3DBD21,
            0xBDF580D8, 0x400804D6, 0xBF0D9C4C, 0xBF69E084, 0x3F037642, 0xBF4053C4, 0x3FE92C07, 0x3F8B22D1,
            0xBF68A644, 0xBD41798A, 0x3ED5E3F9, 0xBF7B9FC8, 0x3FEAD946, 0x3F8A2700, 0xBF2564B7, 0xBECD42D0,
        ]
        #expect(Self.bits(x) == expected)
    }

    @Test func halfDotFollowsGgmlReductionOrder() {
        let k = Self.widePattern(70, 3, 3), q = Self.widePattern(70, 11, 4)
        // llama_numerics.py, half_dot: 64 values (SIMD part only) and 70 (with a Double tail).
        // Reducing the four accumulators as (a0 + a1) + (a2 + a3) would give 0x44A96B59 for 64.
        #expect(FlashAttention.halfDot(k, q, count: 64).bitPattern == 0x44A9_6B5A)
        #expect(FlashAttention.halfDot(k, q, count: 70).bitPattern == 0x44A9_F70C)
        let exact = zip(k, q).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        #expect(abs(Double(FlashAttention.halfDot(k, q, count: 70)) - exact) < 1e-3)
    }

    static let flashQuery = pattern(64, 3, 1, 41, 1.0 / 16)
    static let flashKeys = (0..<5).flatMap { pattern(64, 5 + $0, $0, 37, 1.0 / 16) }
    static let flashValues = (0..<5).flatMap { pattern(64, 7 + 2 * $0, 3 * $0, 31, 1.0 / 8) }

    static func flash(half: Bool) -> [Float] {
        var out = [Float](repeating: .nan, count: 64), scratch = [Float](repeating: 0, count: 128)
        FlashAttention.attend(query: flashQuery, keys: flashKeys, values: flashValues, stride: 64, keyCount: 5, width: 64,
                              scale: 0.125, halfPrecision: half, scratch: &scratch, into: &out)
        return out
    }

    @Test func flashAttentionWithHalfAccumulatorIsBitExact() {
        // llama_numerics.py, flash_attention(…, half=True); the values repeat with period 31.
        let expected: [UInt32] = [
            0xBF8D37DF, 0x3E92843F, 0x3E575303, 0x3F015998, 0x3F016BAE, 0x3F00FF2C, 0x3E739501, 0xBDD8745F,
            0xBEBE50EE, 0xBEBF29F3, 0xBEBEBD71, 0xBD9F5FB6, 0xBE1DD1D7, 0x3F9E1A2E, 0xBF9FF064, 0x3E0EE9E9,
            0x3D8244B3, 0xBEF0C19B, 0xBE029F20, 0x3EB6D3EC, 0x3DBAC8AF, 0xBE814783, 0xBF04AB97, 0x3EC51917,
            0xBF04F3EE, 0xBE664D07, 0x3E84E1D8, 0x3F1A256C, 0xBF5631A7, 0xBBECCCD9, 0x3FB0E4C9,
        ]
        let out = Self.flash(half: true)
        #expect(Self.bits(Array(out.prefix(31))) == expected)
        #expect(Self.bits(Array(out[31..<62])) == expected)
    }

    @Test func flashAttentionWithFloatAccumulatorIsBitExact() {
        // llama_numerics.py, flash_attention(…, half=False).
        let expected: [UInt32] = [
            0xBF8D36B5, 0x3E92934F, 0x3E575BCF, 0x3F013CD2, 0x3F017E1C, 0x3F00FC23, 0x3E73B949, 0xBDD89650,
            0xBEBE4136, 0xBEBF4526, 0xBEBEC293, 0xBD9FDB58, 0xBE1DB87F, 0x3F9E2478, 0xBFA00001, 0x3E0EDC40,
            0x3D8222E2, 0xBEF0AFBA, 0xBE025DC0, 0x3EB6D317, 0x3DBADDD1, 0xBE814AC4, 0xBF04B332, 0x3EC501D3,
            0xBF04F3E2, 0xBE66380C, 0x3E84E5F0, 0x3F1A3364, 0xBF561EE8, 0xBBEDC3F6, 0x3FB0EDC5,
        ]
        #expect(Self.bits(Array(Self.flash(half: false).prefix(31))) == expected)
    }

    @Test func flashAttentionIsSoftmaxAttention() {
        // Float64 softmax(scale · K q) · V, independent of the kernel's order: f32 within 1e-5,
        // the f16 accumulator within its ~1e-3 relative rounding.
        var scores = (0..<5).map { j in (0..<64).reduce(0.0) { $0 + Double(Self.flashKeys[j * 64 + $1]) * Double(Self.flashQuery[$1]) } / 8 }
        let m = scores.max()!
        scores = scores.map { exp($0 - m) }
        let total = scores.reduce(0, +)
        let expected = (0..<64).map { d in (0..<5).reduce(0.0) { $0 + scores[$1] / total * Double(Self.flashValues[$1 * 64 + d]) } }
        for (o, e) in zip(Self.flash(half: false), expected) { #expect(abs(Double(o) - e) < 1e-5) }
        for (o, e) in zip(Self.flash(half: true), expected) { #expect(abs(Double(o) - e) < 2e-3 * max(1, abs(e))) }
    }

    @Test func tiledAttentionIsBitExact() {
        // llama_numerics.py, flash_tiled: two key tiles (positions 0…63 and 64…69).
        let keys = (0..<70).flatMap { Self.pattern(16, 37 + 2 * $0, 11 * $0 + 3, 2039, 1.0 / 512) }
        let values = (0..<70).flatMap { Self.pattern(16, 3 + $0 % 5, 2 * $0, 29, 1.0 / 8) }
        let queries = (0..<10).flatMap { Self.pattern(16, 53, 17 * $0 + 5, 2039, 1.0 / 1024) }
        var out = [Float](repeating: .nan, count: 160), scratch = [Float](repeating: .nan, count: 2 * 64 * 16 + 64 + 16)
        FlashAttention.attendTiled(queries: queries, queryStride: 16, positions: 60..<70, keys: keys, values: values, stride: 16,
                                   width: 16, scale: 0.25, scratch: &scratch, into: &out, outStride: 16)
        let row0: [UInt32] = [0xBEE44C18, 0xBE3BF215, 0x3D1F6C35, 0xBE38D8F6, 0x3CB10E0A, 0xBD1F4AD5, 0x3E4DDDB5, 0xBE46380C,
                              0x3E2AF239, 0xBD78DEE5, 0xBDCAF46A, 0x3C88CF77, 0xBDD92683, 0x3DC9B9D3, 0xBE5A5ED0, 0x3D19F5F1]
        let row9: [UInt32] = [0xBEA095E2, 0xBDE09F03, 0x3D4B0A3E, 0xBE288CC9, 0x3C9633A4, 0xBC4D99E8, 0x3E1B5717, 0xBE593F28,
                              0x3E34F64D, 0xBDA4E2C0, 0xBD94B969, 0x3D2E0B58, 0xBD697D27, 0x3D96BBB1, 0xBE3134FF, 0x3CE815A8]
        #expect(Self.bits(Array(out[0..<16])) == row0)
        #expect(Self.bits(Array(out[144..<160])) == row9)
    }

    @Test func splitDecodeAttentionIsBitExactPerThreadCount() {
        // llama_numerics.py, flash_split: the query at position 300, KV view of 512 cells.
        let keys = (0..<301).flatMap { Self.pattern(32, 37 + 2 * $0, 11 * $0 + 3, 2039, 1.0 / 512) }
        let values = (0..<301).flatMap { Self.pattern(32, 3 + $0 % 5, 2 * $0, 29, 1.0 / 8) }
        let query = Self.pattern(32, 53, 5, 2039, 1.0 / 1024)
        func split(threads: Int) -> [UInt32] {
            var out = [Float](repeating: .nan, count: 32), scratch = [Float](repeating: .nan, count: 128)
            FlashAttention.attendSplit(query: query, keys: keys, values: values, stride: 32, position: 300, width: 32, scale: 0.25,
                                       halfPrecision: true, threads: threads, scratch: &scratch, into: &out)
            return Self.bits(out)
        }
        let four: [UInt32] = [
            0xBDB8FA60, 0x3C4C6E54, 0x3D5220FA, 0xBE895FD3, 0xBCE44BE0, 0x3B8A51A5, 0x3E07EE38, 0xBE3F910D,
            0x3D93BAE6, 0xBDD3CF90, 0xBD75DDCB, 0x3DAF2EBC, 0xBCCE2AB9, 0xBCBFD512, 0xBE1C6824, 0xBC4D236F,
            0x3D513D4D, 0xBDED12A4, 0x3E94C432, 0xBD097A95, 0xBD5FE218, 0x3E1749DB, 0x3E5121AA, 0x3D68B501,
            0xBD5DDB1C, 0x3CDBF729, 0x3DCCD433, 0xBD044ECA, 0x3BEF4DD1, 0xBDB8FA60, 0x3C4C6E54, 0x3D5220FA,
        ]
        let two: [UInt32] = [
            0xBDB8D193, 0x3C4D9964, 0x3D51566B, 0xBE89A258, 0xBCE3FE02, 0x3B8B48FF, 0x3E07580D, 0xBE3F198E,
            0x3D944ED1, 0xBDD37F9D, 0xBD7635B1, 0x3DAEBCF3, 0xBCCF5BEB, 0xBCC05C36, 0xBE1C4894, 0xBC4D4DD4,
            0x3D51AD89, 0xBDECAFDA, 0x3E93E74E, 0xBD09C65D, 0xBD601B45, 0x3E17B29C, 0x3E513820, 0x3D686FCC,
            0xBD5DA5CC, 0x3CDC2025, 0x3DCD0462, 0xBD03E99F, 0x3BEE5595, 0xBDB8D193, 0x3C4D9964, 0x3D51566B,
        ]
        #expect(split(threads: 4) == four)
        #expect(split(threads: 2) == two)
    }

    @Test func attentionVariantFollowsLlamaCppsRules() {
        // Tiled when the row's micro-batch (512 rows) holds at least 64 queries.
        #expect(!FlashAttention.usesTiles(row: 0, of: 63))
        #expect(FlashAttention.usesTiles(row: 62, of: 64))
        #expect(FlashAttention.usesTiles(row: 511, of: 530))
        #expect(!FlashAttention.usesTiles(row: 512, of: 530))   // the last 18 rows
        #expect(FlashAttention.usesTiles(row: 599, of: 600))    // a last micro-batch of 88
        // KV view: positions padded to 256 cells, at least 256; split decode from 512 cells on.
        #expect(FlashAttention.viewCells(position: 0) == 256)
        #expect(FlashAttention.viewCells(position: 255) == 256)
        #expect(FlashAttention.viewCells(position: 256) == 512)
        #expect(FlashAttention.viewCells(position: 512) == 768)
        #expect(!FlashAttention.usesSplit(count: 1, position: 255))
        #expect(FlashAttention.usesSplit(count: 1, position: 256))
        #expect(!FlashAttention.usesSplit(count: 2, position: 300))
    }

    @Test func vectorExpIsArmsAlgorithmBitForBit() {
        let inputs: [Float] = [0.0, 0.5, -1.0, 3.299999952316284, -7.25, 10.100000381469727, 20.0, 50.0, 80.0, 88.0, 88.5,
                               -87.0, -90.0, -100.0, -104.0, 0.12345670163631439, 89.0, 100.0, 150.0, -120.0, -150.0,
                               0.0010000000474974513, -0.6931471824645996, 42.41999816894531]
        // llama_numerics.py, vector_exp: normal range, subnormal results, overflow to +inf (split
        // and saturated paths) and underflow to 0.
        let expected: [UInt32] = [
            0x3F800000, 0x3FD3094C, 0x3EBC5AB2, 0x41D8E6AE, 0x3A3A2B00, 0x46BE2E0A, 0x4DE75844, 0x638C881E,
            0x792ABBCF, 0x7EF882B7, 0x7F4CDCC3, 0x00B33686, 0x0008EC28, 0x0000001B, 0x00000000, 0x3F90D1BE,
            0x7F800000, 0x7F800000, 0x7F800000, 0x00000000, 0x00000000, 0x3F8020C9, 0x3F000000, 0x5E12F19E,
        ]
        var got: [UInt32] = []
        for start in stride(from: 0, to: inputs.count, by: 8) {
            let v = DecoderKernels.vectorExp(SIMD8(inputs[start..<(start + 8)]))
            got += (0..<8).map { v[$0].bitPattern }
        }
        #expect(got == expected)
    }

    @Test func vectorExpIsWithinTwoUlpsOfExpf() {
        var x: Float = -87
        while x < 88 {
            let lanes = SIMD8<Float>((0..<8).map { x + Float($0) * 0.0137 })
            let v = DecoderKernels.vectorExp(lanes)
            for i in 0..<8 {
                let reference = exp(lanes[i])
                #expect(abs(v[i] - reference) <= 2 * reference.ulp, "exp(\(lanes[i])): \(v[i]) vs \(reference)")
            }
            x += 0.173
        }
    }

    @Test func swigluUsesVectorExpThenExpfForTheTail() {
        // Width 13: 8 lanes through vectorExp, a tail of 5 through expf, as ggml_vec_swiglu_f32.
        let gate = Self.pattern(26, 7, 2, 23, 0.37), up = Self.pattern(26, 5, 1, 19, 0.25)
        var llama = gate
        DecoderKernels.siluMultiplyLlama(&llama, up, rows: 2, width: 13)
        for r in 0..<2 {
            let v = DecoderKernels.vectorExp(SIMD8(gate[(r * 13)..<(r * 13 + 8)].map { -$0 }))
            for i in 0..<13 {
                let g = gate[r * 13 + i]
                let e = i < 8 ? v[i] : exp(-g)
                #expect(llama[r * 13 + i].bitPattern == (g / (1 + e) * up[r * 13 + i]).bitPattern)
            }
        }
    }

    /// The reference SiLU's exponential: within 2 ulp of expf over the range that matters, exact
    /// at the clamps' ends in effect, and NaN in, NaN out.
    @Test func clampedExpIsWithinTwoUlpOfExpf() {
        var x: Float = -87
        while x <= 88 {
            let reference = exp(x)
            #expect(abs(DecoderKernels.clampedExp(x) - reference) <= 2 * reference.ulp, "exp(\(x))")
            x += 0.0731
        }
        #expect(DecoderKernels.clampedExp(0) == 1)
        #expect(DecoderKernels.clampedExp(.nan).isNaN)
        #expect(DecoderKernels.clampedExp(-1000) > 0 && DecoderKernels.clampedExp(-1000) < 1e-37)
        #expect(DecoderKernels.clampedExp(1000).isFinite)
        // SiLU through it: x / (1 + e^−x) · 1 against Double.
        for value: Float in [-30, -5, -0.5, 0, 0.25, 3, 40] {
            var gate = [value]
            DecoderKernels.siluMultiply(&gate, [1], count: 1)
            let expected = Double(value) / (1 + Foundation.exp(-Double(value)))
            #expect(abs(Double(gate[0]) - expected) <= 4e-7 * Swift.max(1, abs(expected)), "SiLU(\(value))")
        }
    }
}

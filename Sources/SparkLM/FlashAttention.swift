import Foundation

/// Attention of one query over its keys computed as llama.cpp's CPU flash attention does
/// (ggml_compute_forward_flash_attn_ext_f16_one_chunk, the path its decode and short prefills
/// take): keys in order with an online softmax, each score a `halfDot`, and — with an f16 KV
/// cache — the weighted sum of values kept in f16, rounded after every rescale and every
/// multiply-add. That f16 accumulator is the largest rounding in the whole forward pass (about
/// 1e-3 relative), so emulating it is what makes our attention output match llama.cpp's.
///
/// Operation by operation, for key j (exp is Float expf, as ggml calls it):
///   s = halfDot(k_j, q) · scale
///   if s > M: ms = exp(M − s), M = s, acc = f16(acc · ms), vs = 1   else: ms = 1, vs = exp(s − M)
///   acc = f16(fma(v_j, vs, acc));   S = fma(S, ms, vs)
/// and the output is acc · (1/S). GCC contracts `S*ms + vs` to an FMA (seen in libggml-cpu.so).
enum FlashAttention {
    /// Σ k·q in ggml_vec_dot_f16's AVX order (on f16 values held as Float, so every product is
    /// exact before its FMA): four 8-lane accumulators over steps of 32, reduced as
    /// (a0 + a2) + (a1 + a3), then the 8 lanes as ((l0+l4) + (l1+l5)) + ((l2+l6) + (l3+l7)); a
    /// tail shorter than 32 is added in Double, as ggml does.
    @inline(__always)
    static func halfDot(_ k: UnsafePointer<Float>, _ q: UnsafePointer<Float>, count: Int) -> Float {
        let kr = UnsafeRawPointer(k), qr = UnsafeRawPointer(q)
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
        var i = 0
        while i + 32 <= count {
            let o = i &* 4
            a0.addProduct(kr.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self), qr.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self))
            a1.addProduct(kr.loadUnaligned(fromByteOffset: o + 32, as: SIMD8<Float>.self), qr.loadUnaligned(fromByteOffset: o + 32, as: SIMD8<Float>.self))
            a2.addProduct(kr.loadUnaligned(fromByteOffset: o + 64, as: SIMD8<Float>.self), qr.loadUnaligned(fromByteOffset: o + 64, as: SIMD8<Float>.self))
            a3.addProduct(kr.loadUnaligned(fromByteOffset: o + 96, as: SIMD8<Float>.self), qr.loadUnaligned(fromByteOffset: o + 96, as: SIMD8<Float>.self))
            i += 32
        }
        let a = (a0 + a2) + (a1 + a3)
        let four = a.lowHalf + a.highHalf
        var sum = Double((four[0] + four[1]) + (four[2] + four[3]))
        while i < count { sum += Double(k[i] * q[i]); i += 1 }
        return Float(sum)
    }

    /// out[0..<width] = softmax(scale · q·k_j) · v_j over keys j < `keys`, rows of K and V
    /// `stride` floats apart. `halfAccumulator` keeps the value sum in f16 (llama.cpp's f16 KV
    /// cache); without it the sum is Float (its F32 cache path). `accumulator` is `width` floats
    /// of scratch.
    static func attend(query q: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
                       stride: Int, keyCount: Int, width: Int, scale: Float, halfAccumulator: Bool,
                       accumulator acc: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        acc.update(repeating: 0, count: width)
        var maximum = -Float.infinity, total: Float = 0
        for j in 0..<keyCount {
            let s = halfDot(keys + j * stride, q, count: width) * scale
            var ms: Float = 1, vs: Float = 1
            if s > maximum {
                ms = exp(maximum - s)
                maximum = s
                for d in 0..<width { acc[d] *= ms }
                if halfAccumulator { DecoderKernels.roundToHalf(acc, count: width) }
            } else {
                vs = exp(s - maximum)
            }
            let v = values + j * stride
            for d in 0..<width { acc[d].addProduct(v[d], vs) }
            if halfAccumulator { DecoderKernels.roundToHalf(acc, count: width) }
            total = vs.addingProduct(total, ms)
        }
        let inverse: Float = total == 0 ? 0 : 1 / total
        for d in 0..<width { out[d] = acc[d] * inverse }
    }
}

import Foundation

/// Attention computed as llama.cpp's CPU flash attention does, in its two variants, so that the
/// outputs — and everything after them — are bit for bit llama.cpp's:
///
/// - `attend`, one query at a time (ggml_compute_forward_flash_attn_ext_f16_one_chunk): decode
///   steps and batches of fewer than 64 queries. Keys in order with an online softmax, each score
///   a `halfDot` of f16 values, and — with an f16 KV cache — the weighted sum of values kept in
///   f16, rounded after every rescale and every multiply-add. That f16 accumulator is the largest
///   rounding in the forward pass (about 1e-3 relative).
/// - `attendTiled`, a head's queries together (ggml_compute_forward_flash_attn_ext_tiled):
///   batches of 64 or more queries. Queries stay Float32, keys are taken in aligned tiles of 64
///   positions, scores are sequential FMAs over the head dimension, each tile gets a softmax with
///   the SIMD exponential, and the value sum is Float32.
///
/// - `attendSplit`, a single query over llama.cpp's KV view of 512 cells or more (position ≥ 256):
///   its decode then splits the cells into one chunk per thread, runs the one-query loop on each
///   and merges the partial results (ggml_flash_attn_ext_reduce_partials), so the result depends
///   on llama.cpp's thread count.
///
/// llama.cpp picks the tiled variant per micro-batch (512 tokens by default), see `usesTiles`,
/// and the split one for one-query batches whose KV view (`viewCells`) reaches 512 cells.
/// Exponentials in the scalar parts are Float expf, as ggml calls them; GCC contracts
/// `S*ms + vs` to an FMA (seen in the disassembly of libggml-cpu.so).
enum FlashAttention {
    /// Queries (and keys) per tile of the tiled variant: GGML_FA_TILE_Q = GGML_FA_TILE_KV = 64.
    static let tile = 64
    /// llama.cpp's default micro-batch (n_ubatch): longer batches are computed in slices of 512.
    static let microBatch = 512

    /// Whether llama.cpp computes the attention of row `row` of a batch of `count` rows with the
    /// tiled variant: its micro-batch must hold at least `tile` queries.
    static func usesTiles(row: Int, of count: Int) -> Bool {
        let sliceStart = row / microBatch * microBatch
        return Swift.min(microBatch, count - sliceStart) >= tile
    }

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

    /// The cells of llama.cpp's KV view (n_kv) when the highest position written is `position`:
    /// padded to a multiple of 256, at least 256 (llama_kv_cache::get_n_kv; its cache size is
    /// also a multiple of 256 that holds every position, so it never caps this).
    static func viewCells(position: Int) -> Int {
        Swift.max(256, (position + 1 + 255) / 256 * 256)
    }

    /// Whether llama.cpp computes a batch of `count` queries ending at `position` with the split
    /// variant: one query, and a KV view of at least 512 cells.
    static func usesSplit(count: Int, position: Int) -> Bool {
        count == 1 && viewCells(position: position) >= 512
    }

    /// One query: out[0..<width] = softmax(scale · q·k_j) · v_j over keys j < `keyCount`, rows of
    /// K and V `stride` floats apart. With `halfPrecision` (llama.cpp's f16 KV cache) the query
    /// is rounded to f16 first and the value sum is kept in f16; without it both stay Float.
    /// `scratch` holds 2 · `width` floats. The output is `accumulate`'s sum times 1/S.
    static func attend(query: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
                       stride: Int, keyCount: Int, width: Int, scale: Float, halfPrecision: Bool,
                       scratch: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let acc = scratch, q = scratch + width
        q.update(from: query, count: width)
        if halfPrecision { DecoderKernels.roundToHalf(q, count: width) }
        let (_, total) = accumulate(query: q, keys: keys, values: values, stride: stride, range: 0..<keyCount, width: width,
                                    scale: scale, halfPrecision: halfPrecision, into: acc)
        let inverse: Float = total == 0 ? 0 : 1 / total
        for d in 0..<width { out[d] = acc[d] * inverse }
    }

    /// The one-query loop over keys `range`: leaves the unnormalised value sum in `acc` and
    /// returns the running maximum M and sum S. Operation by operation, for key j:
    ///   s = halfDot(k_j, q) · scale
    ///   if s > M: ms = exp(M − s), M = s, acc = f16(acc · ms), vs = 1   else: ms = 1, vs = exp(s − M)
    ///   acc = f16(fma(v_j, vs, acc));   S = fma(S, ms, vs)
    /// (the f16 roundings only with `halfPrecision`).
    @inline(__always)
    static func accumulate(query q: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
                           stride: Int, range: Range<Int>, width: Int, scale: Float, halfPrecision: Bool,
                           into acc: UnsafeMutablePointer<Float>) -> (maximum: Float, total: Float) {
        acc.update(repeating: 0, count: width)
        var maximum = -Float.infinity, total: Float = 0
        for j in range {
            let s = halfDot(keys + j * stride, q, count: width) * scale
            var ms: Float = 1, vs: Float = 1
            if s > maximum {
                ms = exp(maximum - s)
                maximum = s
                for d in 0..<width { acc[d] *= ms }
                if halfPrecision { DecoderKernels.roundToHalf(acc, count: width) }
            } else {
                vs = exp(s - maximum)
            }
            let v = values + j * stride
            for d in 0..<width { acc[d].addProduct(v[d], vs) }
            if halfPrecision { DecoderKernels.roundToHalf(acc, count: width) }
            total = vs.addingProduct(total, ms)
        }
        return (maximum, total)
    }

    /// One query at `position` as llama.cpp's split decode computes it with `threads` threads:
    /// the `viewCells` cells in chunks of ⌈cells / threads⌉, `accumulate` over each chunk's keys
    /// up to `position`, then, chunk by chunk in order (skipping those with S = 0):
    ///   M' = max(M, M_c), a = exp(M − M'), b = exp(M_c − M')
    ///   acc = fma(acc, a, acc_c · b),   S = fma(S, a, S_c · b)
    /// (FMAs as GCC contracted them), and out = acc · (1/S). `scratch` holds 4 · `width` floats.
    static func attendSplit(query: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
                            stride: Int, position: Int, width: Int, scale: Float, halfPrecision: Bool, threads: Int,
                            scratch: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let merged = scratch, partial = scratch + width, q = scratch + 2 * width
        q.update(from: query, count: width)
        if halfPrecision { DecoderKernels.roundToHalf(q, count: width) }
        merged.update(repeating: 0, count: width)
        let cells = viewCells(position: position), threads = Swift.max(1, threads)
        let chunk = (cells + threads - 1) / threads
        var maximum = -Float.infinity, total: Float = 0
        for c in 0..<threads {
            let first = c * chunk
            let last = Swift.min(first + chunk, cells, position + 1)
            guard first < last else { continue }
            let (chunkMaximum, chunkTotal) = accumulate(query: q, keys: keys, values: values, stride: stride, range: first..<last,
                                                        width: width, scale: scale, halfPrecision: halfPrecision, into: partial)
            if chunkTotal == 0 { continue }
            let newMaximum = Swift.max(maximum, chunkMaximum)
            let a = exp(maximum - newMaximum), b = exp(chunkMaximum - newMaximum)
            for d in 0..<width { merged[d] = (partial[d] * b).addingProduct(merged[d], a) }
            total = (chunkTotal * b).addingProduct(total, a)
            maximum = newMaximum
        }
        if total != 0 {
            let inverse = 1 / total
            for d in 0..<width { out[d] = merged[d] * inverse }
        } else {
            out.update(from: merged, count: width)
        }
    }

    /// Queries at positions `positions` (rows `queryStride` apart in `queries` and `out`) of one
    /// head, each over keys 0…its position, as the tiled variant computes them. Key tiles start at
    /// multiples of 64 positions. For each query and tile:
    ///   s_t = (Σ_d sequential fma(k_t[d], q[d], ·)) · scale   (keys past the query: −∞)
    ///   M' = max(M, max_t s_t); if M' > M: acc ·= exp(M − M'), S ·= exp(M − M')
    ///   p_t = vectorExp(s_t − M'), S = Float(Double(S) + Σ over groups of 8 of Double(hsum8(p)))
    ///   acc[d] = sequential fma(v_t[d], p_t, acc[d]) over the tile's keys
    /// and finally out = acc · (1/S). `scratch` holds `(positions.upperBound rounded up to 64) ·
    /// width + 2 · 64 + width` floats.
    static func attendTiled(queries: UnsafePointer<Float>, queryStride: Int, positions: Range<Int>,
                            keys: UnsafePointer<Float>, values: UnsafePointer<Float>, stride: Int, width: Int,
                            scale: Float, scratch: UnsafeMutablePointer<Float>,
                            into out: UnsafeMutablePointer<Float>, outStride: Int) {
        guard !positions.isEmpty else { return }
        let tiles = (positions.upperBound + tile - 1) / tile
        // Keys tile by tile, transposed to [tile][d][t] so 8 keys' scores fill one SIMD register.
        let transposed = scratch, scores = scratch + tiles * tile * width, acc = scores + tile
        for t in 0..<tiles {
            let base = transposed + t * tile * width
            for j in 0..<tile {
                let key = t * tile + j
                if key < positions.upperBound {
                    for d in 0..<width { base[d * tile + j] = keys[key * stride + d] }
                } else {
                    for d in 0..<width { base[d * tile + j] = 0 }
                }
            }
        }
        for (row, position) in positions.enumerated() {
            let q = queries + row * queryStride
            acc.update(repeating: 0, count: width)
            var maximum = -Float.infinity, total: Float = 0
            for t in 0...(position / tile) {
                let first = t * tile, valid = Swift.min(tile, position + 1 - first)
                let base = transposed + t * tile * width
                var tileMaximum = -Float.infinity
                for g in Swift.stride(from: 0, to: tile, by: 8) {
                    var s = SIMD8<Float>()
                    for d in 0..<width {
                        s.addProduct(UnsafeRawPointer(base + d * tile + g).load(as: SIMD8<Float>.self), SIMD8(repeating: q[d]))
                    }
                    s *= scale
                    for l in 0..<8 {
                        let value = g + l < valid ? s[l] : -Float.infinity
                        scores[g + l] = value
                        tileMaximum = Swift.max(tileMaximum, value)
                    }
                }
                let newMaximum = Swift.max(maximum, tileMaximum)
                if newMaximum > maximum {
                    let ms = exp(maximum - newMaximum)
                    for d in 0..<width { acc[d] *= ms }
                    total *= ms
                }
                maximum = newMaximum
                var sum: Double = 0
                for g in Swift.stride(from: 0, to: tile, by: 8) {
                    let p = DecoderKernels.vectorExp(UnsafeRawPointer(scores + g).load(as: SIMD8<Float>.self) - SIMD8(repeating: newMaximum))
                    UnsafeMutableRawPointer(scores + g).storeBytes(of: p, as: SIMD8<Float>.self)
                    let four = p.lowHalf + p.highHalf
                    let two = four.lowHalf + four.highHalf
                    sum += Double(two[0] + two[1])
                }
                total = Float(Double(total) + sum)
                // Keys past the query have weight exactly 0 and would leave acc unchanged.
                for j in 0..<valid {
                    let v = values + (first + j) * stride, p = scores[j]
                    for d in 0..<width { acc[d].addProduct(v[d], p) }
                }
            }
            let inverse: Float = total == 0 ? 0 : 1 / total
            let o = out + row * outStride
            for d in 0..<width { o[d] = acc[d] * inverse }
        }
    }
}

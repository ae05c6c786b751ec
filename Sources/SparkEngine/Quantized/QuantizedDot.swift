/// Dot products of one quantised row with a Float vector, vectorised with SIMD8 (one AVX2
/// register per operation). Each function walks `blocks` blocks of 32 weights.
///
/// Why the vector x is permuted: Swift's SIMD integer→float conversions are not inlined (each is a
/// call that spills registers), which made a first version 5× slower than memory allows. Instead,
/// the 16 bytes of a block are loaded as four UInt32 words, the four words are repeated in both
/// halves of an 8-lane register, and per-lane shifts bring one byte (or nibble) of each word to the
/// bottom of each lane. So lane 4·h + l of the k-th extract holds byte 4·l + (2k + h): within a
/// group of 16 values, a 4×4 transpose. x is permuted the same way once per product
/// (`PreparedVector`), and a small lane value q becomes a Float by the exponent trick: the bits
/// 0x4B000000 | q are the float 2^23 + q, exact for q < 2^23.
///
/// The nibble formats use Σ (d·q + m)·x = d·Σ q·x + m·Σ x, so the per-block sums of x, computed
/// once per vector, save a multiply-add per weight.
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

    /// Σ q·x over one nibble block (16 bytes at `p`), x permuted.
    @inline(__always)
    static func nibbleDot(_ p: UnsafeRawPointer, _ offset: Int, _ x: UnsafeRawPointer) -> SIMD8<Float> {
        let w = words(p, offset)
        let mask = SIMD8<UInt32>(repeating: 0x0F)
        let q0 = (w &>> SIMD8(0, 0, 0, 0, 8, 8, 8, 8)) & mask       // low nibbles, bytes 0,1 of each word
        let q1 = (w &>> SIMD8(16, 16, 16, 16, 24, 24, 24, 24)) & mask // low nibbles, bytes 2,3
        let q2 = (w &>> SIMD8(4, 4, 4, 4, 12, 12, 12, 12)) & mask    // high nibbles, bytes 0,1
        let q3 = (w &>> SIMD8(20, 20, 20, 20, 28, 28, 28, 28)) & mask // high nibbles, bytes 2,3
        var s = toFloat(q0) * x.load(as: SIMD8<Float>.self)
        s.addProduct(toFloat(q1), x.load(fromByteOffset: 32, as: SIMD8<Float>.self))
        s.addProduct(toFloat(q2), x.load(fromByteOffset: 64, as: SIMD8<Float>.self))
        s.addProduct(toFloat(q3), x.load(fromByteOffset: 96, as: SIMD8<Float>.self))
        return s
    }

    /// Sign-extended byte lanes to Float: bits(0x4B400000 + q) is the float 1.5·2^23 + q.
    @inline(__always)
    static func signedToFloat(_ v: SIMD8<Int32>) -> SIMD8<Float> {
        unsafeBitCast(v &+ SIMD8(repeating: 0x4B40_0000), to: SIMD8<Float>.self) - SIMD8(repeating: 12_582_912)
    }

    /// Σ q·x over 32 signed bytes at `p + offset`, x permuted.
    @inline(__always)
    static func signedByteDot(_ p: UnsafeRawPointer, _ offset: Int, _ x: UnsafeRawPointer) -> SIMD8<Float> {
        // Shift the wanted byte to the top, then arithmetic-shift it down: a sign-extended Int32.
        let a = SIMD8<Int32>(truncatingIfNeeded: words(p, offset))
        let b = SIMD8<Int32>(truncatingIfNeeded: words(p, offset + 16))
        let low = SIMD8<Int32>(24, 24, 24, 24, 16, 16, 16, 16)
        let high = SIMD8<Int32>(8, 8, 8, 8, 0, 0, 0, 0)
        var s = signedToFloat((a &<< low) &>> 24) * x.load(as: SIMD8<Float>.self)
        s.addProduct(signedToFloat((a &<< high) &>> 24), x.load(fromByteOffset: 32, as: SIMD8<Float>.self))
        s.addProduct(signedToFloat((b &<< low) &>> 24), x.load(fromByteOffset: 64, as: SIMD8<Float>.self))
        s.addProduct(signedToFloat((b &<< high) &>> 24), x.load(fromByteOffset: 96, as: SIMD8<Float>.self))
        return s
    }

    // Each kernel computes Σ_b [d_w · scale_b · Σ q_w·v + offset terms] where v are the prepared
    // vector's values and scale_b its block scale (1 for Float activations).

    @inline(__always)
    static func q4_1(_ row: UnsafeRawPointer, _ x: PreparedVector, blocks: Int) -> Float {
        var acc = SIMD8<Float>()
        var minimums: Float = 0
        let xr = UnsafeRawPointer(x.values)
        for b in 0..<blocks {
            let p = row + b &* 20
            acc.addProduct(SIMD8<Float>(repeating: half(p, 0) * x.scales[b]), nibbleDot(p, 4, xr + b &* 128))
            minimums += half(p, 2) * x.offsetSums[b]
        }
        return acc.sum() + minimums
    }

    @inline(__always)
    static func q4_0(_ row: UnsafeRawPointer, _ x: PreparedVector, blocks: Int) -> Float {
        var acc = SIMD8<Float>()
        var offsets: Float = 0
        let xr = UnsafeRawPointer(x.values)
        for b in 0..<blocks {
            let p = row + b &* 18
            let d = half(p, 0)
            acc.addProduct(SIMD8<Float>(repeating: d * x.scales[b]), nibbleDot(p, 2, xr + b &* 128))
            offsets += d * x.valueSums[b]
        }
        return acc.sum() - 8 * offsets
    }

    @inline(__always)
    static func q8_0(_ row: UnsafeRawPointer, _ x: PreparedVector, blocks: Int) -> Float {
        var acc = SIMD8<Float>()
        let xr = UnsafeRawPointer(x.values)
        for b in 0..<blocks {
            let p = row + b &* 34
            acc.addProduct(SIMD8<Float>(repeating: half(p, 0) * x.scales[b]), signedByteDot(p, 2, xr + b &* 128))
        }
        return acc.sum()
    }
}


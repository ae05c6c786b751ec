/// Turns ggml tensor data into Float32. Each quantised format is a sequence of fixed-size blocks
/// (ggml-common.h); the per-format functions below follow those block definitions, reading every
/// multi-byte field unaligned and little-endian.
public enum GGMLDequantize {
    /// Dequantises `count` elements of `type` from `bytes` into `destination`.
    /// `count` must be a whole number of blocks and `bytes` must hold them.
    public static func dequantize(_ type: GGMLType, _ bytes: UnsafeRawBufferPointer, count: Int,
                                  into destination: UnsafeMutablePointer<Float>) throws {
        guard type.isSupportedForDequantisation else {
            throw FormatError.unsupported(file: "(tensor data)", field: "type", feature: "dequantising \(type.name)",
                                          supported: GGMLType.dequantisableNames)
        }
        guard count >= 0, count % type.blockSize == 0 else {
            throw FormatError.invalidArgument(file: "(tensor data)", field: "count",
                                              problem: "\(count) elements is not a whole number of \(type.blockSize)-element \(type.name) blocks")
        }
        let blocks = count / type.blockSize
        let (needed, overflow) = blocks.multipliedReportingOverflow(by: type.bytesPerBlock)
        guard !overflow, bytes.count >= needed else {
            throw FormatError.invalidArgument(file: "(tensor data)", field: "bytes",
                                              problem: "\(count) \(type.name) elements need \(needed) bytes, got \(bytes.count)")
        }
        guard blocks > 0, let source = bytes.baseAddress else { return }
        dequantizeBlocks(type, source, blocks: blocks, into: destination)
    }

    /// The kernels without the checks: `source` holds `blocks` whole blocks of a supported `type`.
    static func dequantizeBlocks(_ type: GGMLType, _ source: UnsafeRawPointer, blocks: Int,
                                 into destination: UnsafeMutablePointer<Float>) {
        let count = blocks &* type.blockSize
        switch type {
        case .f32:
            for i in 0..<count {
                destination[i] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 &* i, as: UInt32.self)))
            }
        case .f16: HalfPrecision.widenF16(source, count: count, into: destination)
        case .bf16: HalfPrecision.widenBF16(source, count: count, into: destination)
        case .q8_0: q8_0(source, blocks: blocks, into: destination)
        case .q4_0: q4_0(source, blocks: blocks, into: destination)
        case .q4_1: q4_1(source, blocks: blocks, into: destination)
        case .q4_K: q4_K(source, blocks: blocks, into: destination)
        case .q6_K: q6_K(source, blocks: blocks, into: destination)
        default: preconditionFailure("isSupportedForDequantisation and this switch disagree about \(type)")
        }
    }

    @inline(__always)
    static func half(_ source: UnsafeRawPointer, _ offset: Int) -> Float {
        HalfPrecision.float(fromF16: UInt16(littleEndian: source.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }

    /// Q8_0: f16 scale d, then 32 int8 quants; x = d·q.
    static func q8_0(_ source: UnsafeRawPointer, blocks: Int, into y: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = source + b &* 34
            let d = half(block, 0)
            let quants = (block + 2).assumingMemoryBound(to: Int8.self)
            let out = y + b &* 32
            for j in 0..<32 { out[j] = d * Float(quants[j]) }
        }
    }

    /// Q4_0: f16 scale d, then 16 bytes; byte j holds element j (low nibble) and element j+16
    /// (high nibble); x = d·(q − 8).
    static func q4_0(_ source: UnsafeRawPointer, blocks: Int, into y: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = source + b &* 18
            let d = half(block, 0)
            let quants = (block + 2).assumingMemoryBound(to: UInt8.self)
            let out = y + b &* 32
            for j in 0..<16 {
                out[j] = d * Float(Int32(quants[j] & 0x0F) - 8)
                out[j + 16] = d * Float(Int32(quants[j] >> 4) - 8)
            }
        }
    }

    /// Q4_1: f16 scale d and f16 minimum m, then nibbles as in Q4_0; x = d·q + m.
    static func q4_1(_ source: UnsafeRawPointer, blocks: Int, into y: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = source + b &* 20
            let d = half(block, 0)
            let m = half(block, 2)
            let quants = (block + 4).assumingMemoryBound(to: UInt8.self)
            let out = y + b &* 32
            for j in 0..<16 {
                out[j] = d * Float(quants[j] & 0x0F) + m
                out[j + 16] = d * Float(quants[j] >> 4) + m
            }
        }
    }

    /// Q4_K: a 256-element super-block of eight 32-element sub-blocks. f16 d and dmin, 12 bytes
    /// packing eight 6-bit scales and eight 6-bit mins, then 128 bytes of nibbles. Each 32-byte
    /// run of nibbles serves two sub-blocks: low nibbles the first, high nibbles the second.
    /// x = d·scale·q − dmin·min.
    static func q4_K(_ source: UnsafeRawPointer, blocks: Int, into y: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = source + b &* 144
            let d = half(block, 0)
            let dmin = half(block, 2)
            let packed = (block + 4).assumingMemoryBound(to: UInt8.self)
            let quants = (block + 16).assumingMemoryBound(to: UInt8.self)
            let out = y + b &* 256
            for pair in 0..<4 {
                let (scaleLow, minLow) = scaleAndMinK4(packed, 2 &* pair)
                let (scaleHigh, minHigh) = scaleAndMinK4(packed, 2 &* pair &+ 1)
                let dLow = d * Float(scaleLow), mLow = dmin * Float(minLow)
                let dHigh = d * Float(scaleHigh), mHigh = dmin * Float(minHigh)
                let q = quants + pair &* 32
                let o = out + pair &* 64
                for l in 0..<32 {
                    o[l] = dLow * Float(q[l] & 0x0F) - mLow
                    o[l + 32] = dHigh * Float(q[l] >> 4) - mHigh
                }
            }
        }
    }

    /// The 6-bit scale and min of sub-block `j` from Q4_K's (and Q5_K's) 12 packed bytes:
    /// sub-blocks 0–3 keep theirs in the low 6 bits of bytes j and j+4; sub-blocks 4–7 have their
    /// low 4 bits in byte j+4 (scale low nibble, min high nibble) and their top 2 bits in the
    /// top bits of bytes j−4 (scale) and j (min).
    @inline(__always)
    static func scaleAndMinK4(_ packed: UnsafePointer<UInt8>, _ j: Int) -> (UInt8, UInt8) {
        if j < 4 { return (packed[j] & 63, packed[j + 4] & 63) }
        let scale = (packed[j + 4] & 0x0F) | ((packed[j - 4] >> 6) << 4)
        let min = (packed[j + 4] >> 4) | ((packed[j] >> 6) << 4)
        return (scale, min)
    }

    /// Q6_K: a 256-element super-block of sixteen 16-element sub-blocks. 128 bytes of low
    /// nibbles (ql), 64 bytes of 2-bit high parts (qh), sixteen int8 scales, then f16 d.
    /// Each 128-element half uses 64 ql bytes and 32 qh bytes: for l in 0..<32, elements l,
    /// l+32, l+64, l+96 take ql[l] low, ql[l+32] low, ql[l] high, ql[l+32] high nibbles and
    /// bits 0–1, 2–3, 4–5, 6–7 of qh[l]. x = d·scale·(q − 32).
    static func q6_K(_ source: UnsafeRawPointer, blocks: Int, into y: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = source + b &* 210
            let d = half(block, 208)
            let out = y + b &* 256
            for half in 0..<2 {
                let ql = (block + half &* 64).assumingMemoryBound(to: UInt8.self)
                let qh = (block + 128 + half &* 32).assumingMemoryBound(to: UInt8.self)
                let scales = (block + 192 + half &* 8).assumingMemoryBound(to: Int8.self)
                let o = out + half &* 128
                for l in 0..<32 {
                    let s = l / 16
                    let q1 = Int32((ql[l] & 0x0F) | ((qh[l] & 3) << 4)) - 32
                    let q2 = Int32((ql[l + 32] & 0x0F) | (((qh[l] >> 2) & 3) << 4)) - 32
                    let q3 = Int32((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32
                    let q4 = Int32((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32
                    o[l] = d * Float(scales[s]) * Float(q1)
                    o[l + 32] = d * Float(scales[s + 2]) * Float(q2)
                    o[l + 64] = d * Float(scales[s + 4]) * Float(q3)
                    o[l + 96] = d * Float(scales[s + 6]) * Float(q4)
                }
            }
        }
    }
}

/// Conversions between Float and the two 16-bit float formats that model files use:
/// IEEE 754 binary16 ("F16": 1 sign, 5 exponent, 10 mantissa bits) and bfloat16 ("BF16": the top
/// half of a binary32). Widening is exact for every bit pattern, subnormals, infinities and NaN
/// payloads included; narrowing rounds to nearest, ties to even, as numpy and PyTorch do.
///
/// Written out bit by bit rather than through `Float16` because `Float16` is unavailable on some
/// of the platforms the package declares, and because the tests check this code against it.
public enum HalfPrecision {
    /// The Float that an F16 bit pattern stands for.
    @inline(__always)
    public static func float(fromF16 bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x03FF)
        if exponent == 0 {
            // Zero or subnormal: mantissa × 2^-24, exact in binary32.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        }
        if exponent == 0x1F {
            // Infinity or NaN; the payload moves to the top of the wider mantissa.
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        return Float(bitPattern: sign | ((exponent + (127 - 15)) << 23) | (mantissa << 13))
    }

    /// The F16 bit pattern nearest to `value` (ties to even); too large → ±infinity, NaN stays NaN.
    public static func f16(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16((bits >> 16) & 0x8000)
        let exponent = Int((bits >> 23) & 0xFF)
        let mantissa = bits & 0x007F_FFFF
        if exponent == 0xFF {
            if mantissa == 0 { return sign | 0x7C00 }
            // Keep the top of the payload, and keep it a NaN if those bits are all zero.
            let payload = UInt16(mantissa >> 13)
            return sign | 0x7C00 | (payload == 0 ? 0x0200 : payload)
        }
        let unbiased = exponent - 127
        if unbiased >= 16 { return sign | 0x7C00 }
        if unbiased >= -14 {
            // Normal in F16: drop 13 mantissa bits with rounding. A carry out of the mantissa
            // moves into the exponent, which is exactly right (up to infinity at 65520).
            let truncated = UInt16(unbiased + 15) << 10 | UInt16(mantissa >> 13)
            let remainder = mantissa & 0x1FFF
            let roundUp = remainder > 0x1000 || (remainder == 0x1000 && truncated & 1 == 1)
            return sign | (truncated + (roundUp ? 1 : 0))
        }
        // Subnormal in F16 (or zero): the value in units of 2^-24 is significand × 2^(unbiased+1).
        let shift = -(unbiased + 1)          // 14 ... ; beyond 24 the value is under half a unit
        if exponent == 0 || shift > 24 { return sign }
        let significand = mantissa | 0x0080_0000
        let truncated = UInt16(significand >> UInt32(shift))
        let remainder = significand & ((1 << UInt32(shift)) - 1)
        let halfway = UInt32(1) << UInt32(shift - 1)
        let roundUp = remainder > halfway || (remainder == halfway && truncated & 1 == 1)
        return sign | (truncated + (roundUp ? 1 : 0))
    }

    /// The Float that a BF16 bit pattern stands for (exact: BF16 is a truncated binary32).
    @inline(__always)
    public static func float(fromBF16 bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// The BF16 bit pattern nearest to `value` (ties to even); NaN stays a (quiet) NaN.
    public static func bf16(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN {
            // Truncation could clear every payload bit left; the quiet bit keeps it a NaN.
            return UInt16(bits >> 16) | 0x0040
        }
        let roundingBias: UInt32 = 0x7FFF + ((bits >> 16) & 1)
        return UInt16((bits &+ roundingBias) >> 16)
    }

    /// Every F16 pattern widened once, so that bulk conversion is a table lookup.
    static let f16Table: [Float] = (0...UInt16.max).map { float(fromF16: $0) }

    /// Widens `count` little-endian F16 values starting at `source` (any alignment).
    public static func widenF16(_ source: UnsafeRawPointer, count: Int, into destination: UnsafeMutablePointer<Float>) {
        f16Table.withUnsafeBufferPointer { table in
            for i in 0..<count {
                let bits = UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 &* i, as: UInt16.self))
                destination[i] = table[Int(bits)]
            }
        }
    }

    /// Widens `count` little-endian BF16 values starting at `source` (any alignment).
    public static func widenBF16(_ source: UnsafeRawPointer, count: Int, into destination: UnsafeMutablePointer<Float>) {
        for i in 0..<count {
            let bits = UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 &* i, as: UInt16.self))
            destination[i] = float(fromBF16: bits)
        }
    }
}

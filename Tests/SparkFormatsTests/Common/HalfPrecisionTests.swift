import Testing
@testable import SparkFormats

@Suite struct HalfPrecisionTests {
    /// F16 bit patterns and their values, from numpy: np.array([bits], np.uint16).view(np.float16).
    @Test(arguments: [
        (UInt16(0x0001), Float(5.960464477539063e-08)),   // smallest subnormal
        (0x03FF, 6.097555160522461e-05),                   // largest subnormal
        (0x0400, 6.103515625e-05),                         // smallest normal
        (0x3555, 0.333251953125),
        (0x7BFF, 65504.0),                                 // largest finite
        (0x8001, -5.960464477539063e-08),
        (0xC000, -2.0),
        (0x3C00, 1.0),
    ])
    func widensF16(bits: UInt16, value: Float) {
        #expect(HalfPrecision.float(fromF16: bits) == value)
    }

    @Test func widensF16Specials() {
        #expect(HalfPrecision.float(fromF16: 0x0000).bitPattern == 0)
        #expect(HalfPrecision.float(fromF16: 0x8000).bitPattern == 0x8000_0000)   // -0 keeps its sign
        #expect(HalfPrecision.float(fromF16: 0x7C00) == .infinity)
        #expect(HalfPrecision.float(fromF16: 0xFC00) == -.infinity)
        #expect(HalfPrecision.float(fromF16: 0x7E00).isNaN)
        // The NaN payload moves to the top of the binary32 mantissa.
        #expect(HalfPrecision.float(fromF16: 0x7C01).bitPattern == 0x7F80_2000)
    }

    /// Narrowing, from numpy: np.array([x], np.float32).astype(np.float16).view(np.uint16).
    @Test(arguments: [
        (Float(65519.0), UInt16(0x7BFF)),        // rounds down to the largest finite
        (65520.0, 0x7C00),                       // the tie rounds to even: infinity
        (100000.0, 0x7C00),
        (9.99999993922529e-09, 0x0000),          // under half the smallest subnormal
        (2.9802322387695312e-08, 0x0000),        // exactly half: ties to even (zero)
        (2.980232594040899e-08, 0x0001),         // just over half
        (0.10000000149011612, 0x2E66),
        (-0.10000000149011612, 0xAE66),
        (0.3333333432674408, 0x3555),
        (6.0999998822808266e-05, 0x03FF),        // rounds to the largest subnormal
        (6.097555160522461e-05, 0x03FF),
    ])
    func narrowsToF16(value: Float, bits: UInt16) {
        #expect(HalfPrecision.f16(from: value) == bits)
    }

    @Test func narrowsF16Specials() {
        #expect(HalfPrecision.f16(from: .infinity) == 0x7C00)
        #expect(HalfPrecision.f16(from: -.infinity) == 0xFC00)
        #expect(HalfPrecision.f16(from: -0.0) == 0x8000)
        let nan = HalfPrecision.f16(from: .nan)
        #expect(nan & 0x7C00 == 0x7C00 && nan & 0x03FF != 0)
        // A NaN whose payload lives only in the low bits must stay a NaN, not become infinity.
        #expect(HalfPrecision.f16(from: Float(bitPattern: 0x7F80_0001)) & 0x03FF != 0)
    }

    #if !(os(macOS) && arch(x86_64))
    /// Against the platform's own Float16 conversions (an independent implementation, in
    /// hardware on x86-64 with F16C): every F16 pattern, and a sweep of binary32 patterns.
    @Test func agreesWithFloat16Everywhere() {
        for bits in 0...UInt16.max {
            let mine = HalfPrecision.float(fromF16: bits)
            let theirs = Float(Float16(bitPattern: bits))
            #expect(mine.bitPattern == theirs.bitPattern || (mine.isNaN && theirs.isNaN), "F16 \(bits)")
            if mine.bitPattern != theirs.bitPattern && !(mine.isNaN && theirs.isNaN) { return }
        }
        var pattern: UInt32 = 0
        while true {
            let value = Float(bitPattern: pattern)
            let mine = HalfPrecision.f16(from: value)
            let theirs = Float16(value).bitPattern
            if value.isNaN {
                #expect(mine & 0x7C00 == 0x7C00 && mine & 0x03FF != 0)
            } else if mine != theirs {
                Issue.record("binary32 \(pattern) (\(value)): \(mine) versus Float16's \(theirs)")
                return
            }
            let (next, overflow) = pattern.addingReportingOverflow(4093)
            if overflow { break }
            pattern = next
        }
    }
    #endif

    @Test func bf16() {
        // BF16 is the top half of binary32: 1.0 is 0x3F80, -2.5 is 0xC020.
        #expect(HalfPrecision.float(fromBF16: 0x3F80) == 1.0)
        #expect(HalfPrecision.float(fromBF16: 0xC020) == -2.5)
        #expect(HalfPrecision.float(fromBF16: 0x0001) == Float(bitPattern: 0x0001_0000))   // subnormal
        #expect(HalfPrecision.float(fromBF16: 0x7F80) == .infinity)
        #expect(HalfPrecision.bf16(from: 1.0) == 0x3F80)
        // 1 + 2^-8 is 0x3F808000: exactly half-way, ties to the even 0x3F80.
        #expect(HalfPrecision.bf16(from: 1.00390625) == 0x3F80)
        // 1 + 3·2^-8 is 0x3F818000: half-way from the odd 0x3F81, so up to 0x3F82.
        #expect(HalfPrecision.bf16(from: 1.01171875) == 0x3F82)
        // Just above half-way rounds up.
        #expect(HalfPrecision.bf16(from: Float(bitPattern: 0x3F80_8001)) == 0x3F81)
        #expect(HalfPrecision.bf16(from: .greatestFiniteMagnitude) == 0x7F80)        // rounds to infinity
        #expect(HalfPrecision.bf16(from: -.infinity) == 0xFF80)
        // A NaN with only low payload bits stays a NaN.
        let nan = HalfPrecision.bf16(from: Float(bitPattern: 0x7F80_0001))
        #expect(HalfPrecision.float(fromBF16: nan).isNaN)
    }

    @Test func bulkWidening() {
        let raw: [UInt8] = [0x00, 0x3C, 0x00, 0xC0, 0x55, 0x35]   // 1, -2, 0.333251953125 (little-endian)
        var out = [Float](repeating: 0, count: 3)
        raw.withUnsafeBytes { HalfPrecision.widenF16($0.baseAddress!, count: 3, into: &out) }
        #expect(out == [1, -2, 0.333251953125])
        let bf: [UInt8] = [0x80, 0x3F, 0x20, 0xC0]
        var out2 = [Float](repeating: 0, count: 2)
        bf.withUnsafeBytes { HalfPrecision.widenBF16($0.baseAddress!, count: 2, into: &out2) }
        #expect(out2 == [1, -2.5])
    }
}

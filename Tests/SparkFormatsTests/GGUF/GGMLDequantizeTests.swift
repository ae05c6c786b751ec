import Testing
@testable import SparkFormats

/// Each supported block format checked against its definition (ggml-common.h) with blocks built
/// by hand, and against gguf-py's dequantiser on patterned blocks.
@Suite struct GGMLDequantizeTests {
    func dequantize(_ type: GGMLType, _ bytes: [UInt8], count: Int) throws -> [Float] {
        var out = [Float](repeating: .nan, count: count)
        try bytes.withUnsafeBytes { raw in
            try out.withUnsafeMutableBufferPointer { try GGMLDequantize.dequantize(type, raw, count: count, into: $0.baseAddress!) }
        }
        return out
    }

    @Test func blockLayoutsMatchGGML() {
        // (block size, bytes) from ggml-common.h's static_asserts.
        #expect((GGMLType.q8_0.blockSize, GGMLType.q8_0.bytesPerBlock) == (32, 34))
        #expect((GGMLType.q4_0.blockSize, GGMLType.q4_0.bytesPerBlock) == (32, 18))
        #expect((GGMLType.q4_1.blockSize, GGMLType.q4_1.bytesPerBlock) == (32, 20))
        #expect((GGMLType.q4_K.blockSize, GGMLType.q4_K.bytesPerBlock) == (256, 144))
        #expect((GGMLType.q6_K.blockSize, GGMLType.q6_K.bytesPerBlock) == (256, 210))
        #expect((GGMLType.bf16.blockSize, GGMLType.bf16.bytesPerBlock) == (1, 2))
        #expect(GGMLType.q4_1.name == "Q4_1" && GGMLType.iq2_xxs.name == "IQ2_XXS")
        #expect(GGMLType(rawValue: 4) == nil)   // Q4_2, removed from ggml
    }

    @Test func plainTypes() throws {
        var f32 = ByteBuilder()
        for v: Float in [1.5, -0.0, .infinity, 3e-40] { f32.f32(v) }
        let decoded = try dequantize(.f32, f32.bytes, count: 4)
        #expect(decoded[0] == 1.5 && decoded[1].bitPattern == 0x8000_0000 && decoded[2] == .infinity && decoded[3] == 3e-40)
        // F16 1.0, -2.0; BF16 1.0, -2.5.
        #expect(try dequantize(.f16, [0x00, 0x3C, 0x00, 0xC0], count: 2) == [1, -2])
        #expect(try dequantize(.bf16, [0x80, 0x3F, 0x20, 0xC0], count: 2) == [1, -2.5])
    }

    @Test func q8_0ByHand() throws {
        // d = 0.5 (F16 0x3800), quants -128, -1, 0, 1, 127, then k − 16 for k = 5 ..< 32.
        let quants: [Int8] = [-128, -1, 0, 1, 127] + (5..<32).map { Int8($0 - 16) }
        var block = ByteBuilder()
        block.u16(0x3800)
        for q in quants { block.i8(q) }
        // x = d · q.
        #expect(try dequantize(.q8_0, block.bytes, count: 32) == quants.map { Float($0) * 0.5 })
    }

    @Test func q4_0ByHand() throws {
        // d = 2 (0x4000); byte j has low nibble j (element j) and high nibble 15 − j (element j + 16).
        var block = ByteBuilder()
        block.u16(0x4000)
        for j in 0..<16 { block.u8(UInt8(j) | UInt8(15 - j) << 4) }
        // x = d · (q − 8).
        let low: [Float] = (0..<16).map { j in Float((j - 8) * 2) }
        let high: [Float] = (0..<16).map { j in Float((7 - j) * 2) }
        let expected = low + high
        #expect(try dequantize(.q4_0, block.bytes, count: 32) == expected)
    }

    @Test func q4_1ByHand() throws {
        // d = 0.5 (0x3800), m = −1 (0xBC00); nibbles as in the Q4_0 test.
        var block = ByteBuilder()
        block.u16(0x3800)
        block.u16(0xBC00)
        for j in 0..<16 { block.u8(UInt8(j) | UInt8(15 - j) << 4) }
        // x = d · q + m.
        let low: [Float] = (0..<16).map { j in Float(j) * 0.5 - 1 }
        let high: [Float] = (0..<16).map { j in Float(15 - j) * 0.5 - 1 }
        let expected = low + high
        #expect(try dequantize(.q4_1, block.bytes, count: 32) == expected)
    }

    @Test func q4_KByHand() throws {
        // d = dmin = 1 (0x3C00). Sub-block s (elements 32s ..< 32s+32) has 6-bit scale sc[s] and
        // min mn[s]; every quant byte is 0xC3, so even sub-blocks (low nibbles) see q = 3 and odd
        // ones (high nibbles) q = 12. x = d·sc·q − dmin·mn.
        let sc: [UInt8] = [1, 2, 3, 4, 17, 33, 50, 63]
        let mn: [UInt8] = [0, 5, 10, 63, 16, 20, 47, 1]
        var block = ByteBuilder()
        block.u16(0x3C00)
        block.u16(0x3C00)
        // The 12-byte packing: bytes 0–3 hold sc[0...3] and the top 2 bits of sc[4...7]; bytes
        // 4–7 hold mn[0...3] and the top 2 bits of mn[4...7]; bytes 8–11 hold the low 4 bits
        // of sc[4...7] (low nibble) and of mn[4...7] (high nibble).
        for j in 0..<4 { block.u8(sc[j] | (sc[j + 4] >> 4) << 6) }
        for j in 0..<4 { block.u8(mn[j] | (mn[j + 4] >> 4) << 6) }
        for j in 0..<4 { block.u8((sc[j + 4] & 0x0F) | (mn[j + 4] & 0x0F) << 4) }
        block.raw([UInt8](repeating: 0xC3, count: 128))
        // Sub-block values worked out by hand: 1·3−0, 2·12−5, 3·3−10, 4·12−63, 17·3−16, 33·12−20, 50·3−47, 63·12−1.
        let perSubBlock: [Float] = [3, 19, -1, -15, 35, 376, 103, 755]
        let expected = (0..<256).map { perSubBlock[$0 / 32] }
        #expect(try dequantize(.q4_K, block.bytes, count: 256) == expected)
    }

    @Test func q6_KByHand() throws {
        // Every ql byte 0x21 (low nibble 1, high 2); every qh byte 0xE4 (2-bit fields 0, 1, 2, 3
        // from the bottom); sixteen scales ±1 … ±8; d = 1 at byte 208.
        // Within each 128-element half, the four 32-element groups take (low nibble, field 0),
        // (low, field 1), (high, field 2), (high, field 3): q = 1+0−32, 1+16−32, 2+32−32, 2+48−32.
        let scales: [Int8] = [1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6, 7, -7, 8, -8]
        var block = ByteBuilder()
        block.raw([UInt8](repeating: 0x21, count: 128))
        block.raw([UInt8](repeating: 0xE4, count: 64))
        for s in scales { block.i8(s) }
        block.u16(0x3C00)
        let groupQuant: [Float] = [-31, -15, 2, 18]
        // Element e belongs to 16-element sub-block e / 16 and to group (e mod 128) / 32.
        let expected = (0..<256).map { Float(scales[$0 / 16]) * groupQuant[($0 % 128) / 32] }
        #expect(try dequantize(.q6_K, block.bytes, count: 256) == expected)
    }

    /// Two blocks whose bytes are (i·73 + 41) mod 256, with the f16 fields set per block
    /// (scripts/reference/gguf_reference.py builds the same bytes).
    func patterned(blockBytes: Int, halves: [Int: [UInt16]]) -> [UInt8] {
        var data = (0..<(2 * blockBytes)).map { UInt8(($0 * 73 + 41) % 256) }
        for (offset, values) in halves {
            for (block, bits) in values.enumerated() {
                data[block * blockBytes + offset] = UInt8(bits & 0xFF)
                data[block * blockBytes + offset + 1] = UInt8(bits >> 8)
            }
        }
        return data
    }

    func check(_ values: [Float], sum: Double, samples: [(Int, Float)], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(values.reduce(0.0) { $0 + Double($1) } == sum, sourceLocation: sourceLocation)
        for (index, value) in samples { #expect(values[index] == value, "element \(index)", sourceLocation: sourceLocation) }
    }

    // Expected values: gguf-py's gguf.quants.dequantize on the same bytes (gguf_reference.py).
    @Test func q4_KAgreesWithGGUFPy() throws {
        // d = 0.5, 2 (0x3800, 0x4000); dmin = 0.25, −0.5 (0x3400, 0xB800).
        let values = try dequantize(.q4_K, patterned(blockBytes: 144, halves: [0: [0x3800, 0x4000], 2: [0x3400, 0xB800]]), count: 512)
        check(values, sum: 166708.0, samples: [(0, 46.25), (1, 0.75), (15, -12.25), (16, 46.25), (31, -12.25), (32, 106.5),
                                               (63, 84.5), (64, 138.75), (100, 297.0), (127, 217.0), (128, 88.25), (200, 27.0),
                                               (255, -5.75), (256, 522.5), (300, 233.0), (511, 12.0)])
    }

    @Test func q6_KAgreesWithGGUFPy() throws {
        // d = 0.125, −3 (0x3000, 0xC200).
        let values = try dequantize(.q6_K, patterned(blockBytes: 210, halves: [208: [0x3000, 0xC200]]), count: 512)
        check(values, sum: 1324.5, samples: [(0, 20.125), (1, -5.75), (15, 92.0), (16, -43.75), (31, -200.0), (32, 138.375),
                                             (63, 240.0), (64, 3.25), (100, -266.75), (127, -6.0), (128, -42.875), (200, -53.125),
                                             (255, 36.0), (256, 4293.0), (300, 2511.0), (511, -216.0)])
    }

    @Test func smallBlocksAgreeWithGGUFPy() throws {
        // Q8_0 d = 0.5, −1.5; Q4_0 d = 2, 0.125; Q4_1 d = 1, 0.5 and m = −1, 3.
        let q8 = try dequantize(.q8_0, patterned(blockBytes: 34, halves: [0: [0x3800, 0xBE00]]), count: 64)
        check(q8, sum: -48.0, samples: [(0, -34.5), (1, 2.0), (15, 1.0), (16, 37.5), (17, -54.0), (31, -55.0), (32, -163.5),
                                        (33, 111.0), (47, 114.0), (48, 4.5), (63, -102.0)])
        let q40 = try dequantize(.q4_0, patterned(blockBytes: 18, halves: [0: [0x4000, 0x3000]]), count: 64)
        check(q40, sum: -69.875, samples: [(0, 6.0), (1, -8.0), (15, -12.0), (16, 6.0), (17, -16.0), (31, -16.0), (32, 0.625),
                                           (33, -0.25), (47, -0.5), (48, 0.625), (63, -0.75)])
        let q41 = try dequantize(.q4_1, patterned(blockBytes: 20, halves: [0: [0x3C00, 0x3800], 2: [0xBC00, 0x4200]]), count: 64)
        check(q41, sum: 403.5, samples: [(0, 12.0), (1, 5.0), (15, 3.0), (16, 3.0), (17, 8.0), (31, 8.0), (32, 3.5),
                                         (33, 8.0), (47, 7.0), (48, 3.0), (63, 5.0)])
    }

    @Test func refusesWhatItCannotDo() {
        var out = [Float](repeating: 0, count: 64)
        let bytes = [UInt8](repeating: 0, count: 100)
        expectFormatError(["Q5_K", "Q4_1"]) {
            try bytes.withUnsafeBytes { try GGMLDequantize.dequantize(.q5_K, $0, count: 0, into: &out) }
        }
        expectFormatError(["33", "32"]) {
            try bytes.withUnsafeBytes { try GGMLDequantize.dequantize(.q8_0, $0, count: 33, into: &out) }
        }
        expectFormatError(["136 bytes", "got 100"]) {
            try bytes.withUnsafeBytes { try GGMLDequantize.dequantize(.q8_0, $0, count: 128, into: &out) }
        }
    }
}

import Testing
import SparkEngine
@testable import SparkFormats

@Suite struct GGMLQuantizeTests {
    /// x_i = ((37 i) mod 101 − 50) / 7 in float32, for i in 0..<64.
    let values: [Float] = (0..<64).map { Float((37 * $0) % 101 - 50) / 7 }

    /// gguf-py's quantisers on the same values (scripts/reference/gguf_reference.py --quantised);
    /// gguf-py's are written to be bit-exact with ggml's reference quantisers.
    @Test(arguments: [
        (GGMLType.q8_0, "332b81df3d9af856b41270cd2b89e745a2005ebb1977d53390ee4caa0866c3217fdc0e2b3c96f656b0106fca2984e3439efd5db71777d1318beb4ba50565bf1f7fd93993"),
        (.q4_0, "253be046acf258bd1379df358be046acf26800bb740fb953fd9731eb852fca640ea842fd"),
        (.q4_1, "9e3b25c7d0369bf157bd1369ce248ae0469cf257643bdbc69bf157ad0368ce248ad0469bf257bd13"),
    ])
    func matchesGGUFPy(type: GGMLType, hex: String) throws {
        #expect(try GGMLQuantize.quantize(values, as: type) == bytes(hex: hex))
    }

    @Test func roundTripErrorIsWithinHalfAStep() throws {
        for type in [GGMLType.q8_0, .q4_0, .q4_1] {
            let data = try GGMLQuantize.quantize(values, as: type)
            var back = [Float](repeating: 0, count: 64)
            try data.withUnsafeBytes { try GGMLDequantize.dequantize(type, $0, count: 64, into: &back) }
            // Block range / levels: 2·amax/254 (Q8_0), 2·amax/16 (Q4_0, whose top level is
            // clipped), range/15 (Q4_1); plus the F16 rounding of the scale.
            for block in 0..<2 {
                let slice = values[(block * 32)..<(block * 32 + 32)]
                let amax = slice.map(abs).max()!
                let step: Float = type == .q8_0 ? amax / 127 : type == .q4_0 ? amax / 8 : (slice.max()! - slice.min()!) / 15
                for i in (block * 32)..<(block * 32 + 32) {
                    #expect(abs(back[i] - values[i]) <= step * (type == .q4_0 ? 1.01 : 0.51), "\(type.name) element \(i)")
                }
            }
        }
    }

    @Test func plainTypesAndRefusals() throws {
        #expect(try GGMLQuantize.quantize([1, -2], as: .f16) == [0x00, 0x3C, 0x00, 0xC0])
        #expect(try GGMLQuantize.quantize([1, -2.5], as: .bf16) == [0x80, 0x3F, 0x20, 0xC0])
        #expect(try GGMLQuantize.quantize([1], as: .f32) == [0, 0, 0x80, 0x3F])
        expectFormatError(["Q6_K"]) { _ = try GGMLQuantize.quantize([Float](repeating: 0, count: 256), as: .q6_K) }
        expectFormatError(["33 values"]) { _ = try GGMLQuantize.quantize([Float](repeating: 0, count: 33), as: .q8_0) }
        expectFormatError(["finite"]) { _ = try GGMLQuantize.quantize([.nan] + [Float](repeating: 0, count: 31), as: .q4_1) }
        // An all-zero block has scale 0 and quantises to zeros without dividing by zero.
        #expect(try GGMLQuantize.quantize([Float](repeating: 0, count: 32), as: .q8_0) == [UInt8](repeating: 0, count: 34))
    }
}

@Suite struct GGUFWriterTests {
    @Test func roundTripsMetadataAndTensors() throws {
        var writer = GGUFWriter()
        let metadata: [(String, GGUFValue)] = [
            ("general.architecture", .string("llama")), ("u8", .uint8(1)), ("i8", .int8(-1)), ("u16", .uint16(2)),
            ("i16", .int16(-2)), ("u32", .uint32(3)), ("i32", .int32(-3)), ("u64", .uint64(.max)), ("i64", .int64(.min)),
            ("f32", .float32(0.25)), ("f64", .float64(-0.125)), ("b", .bool(true)),
            ("tokens", .array([.string("a"), .string("ü")])), ("nested", .array([.array([.int32(1)]), .array([])])),
            ("empty", .array([])),
        ]
        for (key, value) in metadata { writer.set(key, value) }
        writer.set("u8", .uint8(9))   // replaces, keeping its place
        let matrix = Tensor(shape: [2, 32], scalars: (0..<64).map { Float($0) / 8 - 4 })
        for type in GGMLQuantize.supportedTypes { try writer.addTensor("m.\(type.name)", matrix, as: type) }
        try writer.addTensor("norm", Tensor(shape: [3], scalars: [1, 2, 3]))

        let directory = try TemporaryDirectory()
        let path = directory.file("w.gguf")
        try writer.write(to: path)
        let file = try GGUFFile(path: path)
        #expect(file.version == 3)
        #expect(file.metadata.map(\.key) == metadata.map(\.0))
        for (key, value) in metadata where key != "u8" && key != "nested" { #expect(file.value(key) == value, "\(key)") }
        #expect(file.value("u8") == .uint8(9))
        #expect(file.value("nested") == .array([.array([.int32(1)]), .array([])]))
        #expect(file.typeName(ofKey: "empty") == "ARRAY[INT32]")
        for type in GGMLQuantize.supportedTypes {
            let info = try #require(file.tensor("m.\(type.name)"))
            #expect(info.type == type && info.rowMajorShape == [2, 32] && info.offset % 32 == 0)
            let back = try file.dequantize(info)
            let tolerance: Float = [.f32, .f16, .bf16].contains(type) ? 0.02 : 0.3
            #expect(zip(back.scalars, matrix.scalars).allSatisfy { abs($0 - $1) <= tolerance }, "\(type.name)")
        }
        #expect(try file.dequantize(file.tensor("m.F32")!) == matrix)
        #expect(try file.dequantize(file.tensor("norm")!).scalars == [1, 2, 3])
    }

    @Test func otherAlignmentIsRecorded() throws {
        var writer = GGUFWriter(alignment: 64)
        try writer.addTensor("a", Tensor(shape: [1], scalars: [1]))
        try writer.addTensor("b", Tensor(shape: [1], scalars: [2]))
        let directory = try TemporaryDirectory()
        let path = directory.file("a.gguf")
        try writer.write(to: path)
        let file = try GGUFFile(path: path)
        #expect(file.alignment == 64 && file.tensor("b")!.offset % 64 == 0)
        #expect(try file.dequantize(file.tensor("b")!).scalars == [2])
    }

    @Test func refusesBadTensors() throws {
        var writer = GGUFWriter()
        try writer.addTensor("a", Tensor(shape: [1], scalars: [1]))
        expectFormatError(["'a'", "twice"]) { try writer.addTensor("a", Tensor(shape: [1], scalars: [1])) }
        expectFormatError(["'q'", "whole rows"]) { try writer.addTensor("q", type: .q8_0, dimensions: [16, 2], data: [UInt8](repeating: 0, count: 34)) }
        writer.set("mixed", .array([.int32(1), .string("x")]))
        expectFormatError(["'mixed'", "more than one type"]) { _ = try writer.encode() }
    }
}

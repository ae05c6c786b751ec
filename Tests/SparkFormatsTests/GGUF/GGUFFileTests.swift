import Testing
import SparkEngine
@testable import SparkFormats

/// GGUF files built by hand: every metadata type, nested arrays, alignment and tensor layout.
@Suite struct GGUFFileTests {
    /// One value of every metadata type, an array of strings and an array of arrays of strings.
    func everyType() -> GGUFTestBuilder {
        var g = GGUFTestBuilder()
        g.add("u8", type: 0) { $0.u8(200) }
        g.add("i8", type: 1) { $0.i8(-100) }
        g.add("u16", type: 2) { $0.u16(60000) }
        g.add("i16", type: 3) { $0.i16(-30000) }
        g.u32("u32", 4_000_000_000)
        g.add("i32", type: 5) { $0.i32(-2_000_000_000) }
        g.add("f32", type: 6) { $0.f32(0.5) }
        g.add("bool", type: 7) { $0.u8(1) }
        g.string("string", "héllo")
        g.add("u64", type: 10) { $0.u64(UInt64.max) }
        g.add("i64", type: 11) { $0.i64(Int64.min) }
        g.add("f64", type: 12) { $0.f64(-1e300) }
        g.stringArray("strings", ["a", "", "ccc"])
        g.add("nested", type: 9) { b in
            b.u32(9); b.u64(2)                               // array of 2 arrays
            b.u32(8); b.u64(1); GGUFTestBuilder.string("x", into: &b)
            b.u32(8); b.u64(2); GGUFTestBuilder.string("y", into: &b); GGUFTestBuilder.string("z", into: &b)
        }
        g.add("ints", type: 9) { b in b.u32(5); b.u64(3); b.i32(1); b.i32(-2); b.i32(3) }
        g.add("empty", type: 9) { b in b.u32(6); b.u64(0) }
        return g
    }

    @Test func readsEveryMetadataType() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("m.gguf", everyType().build())
        let file = try GGUFFile(path: path)
        #expect(file.version == 3)
        #expect(file.alignment == 32)
        #expect(file.metadata.map(\.key) == ["u8", "i8", "u16", "i16", "u32", "i32", "f32", "bool", "string", "u64", "i64",
                                             "f64", "strings", "nested", "ints", "empty"])
        #expect(file.value("u8") == .uint8(200))
        #expect(file.value("i8") == .int8(-100))
        #expect(file.value("u16") == .uint16(60000))
        #expect(file.value("i16") == .int16(-30000))
        #expect(file.value("u32")?.int == 4_000_000_000)
        #expect(file.value("i32") == .int32(-2_000_000_000))
        #expect(file.value("f32")?.float == 0.5)
        #expect(file.value("bool")?.bool == true)
        #expect(file.value("string")?.string == "héllo")
        #expect(file.value("u64") == .uint64(.max))
        #expect(file.value("u64")?.int == nil)               // does not fit an Int
        #expect(file.value("i64")?.int == Int(Int64.min))
        #expect(file.value("f64")?.float == -1e300)
        #expect(file.value("strings")?.stringArray == ["a", "", "ccc"])
        #expect(file.value("nested") == .array([.array([.string("x")]), .array([.string("y"), .string("z")])]))
        #expect(file.value("ints")?.intArray == [1, -2, 3])
        #expect(file.value("ints")?.floatArray == [1, -2, 3])
        #expect(file.value("empty") == .array([]))
        #expect(file.value("missing") == nil)
        #expect(file.typeName(ofKey: "nested") == "ARRAY[ARRAY[STRING]]")
        #expect(file.typeName(ofKey: "u32") == "UINT32")
        #expect(file.typeName(ofKey: "empty") == "ARRAY[FLOAT32]")
        #expect(file.tensors.isEmpty)
    }

    @Test func version2IsRead() throws {
        var g = GGUFTestBuilder()
        g.version = 2
        g.u32("x", 7)
        let directory = try TemporaryDirectory()
        let file = try GGUFFile(path: try directory.write("v2.gguf", g.build()))
        #expect(file.version == 2)
        #expect(file.value("x")?.int == 7)
    }

    @Test func tensorsOfEveryDequantisedType() throws {
        var g = GGUFTestBuilder()
        g.string("general.architecture", "test")
        // F32 2×3 matrix: row-major [[1, 2, 3], [4, 5, 6]] is ggml dimensions [3, 2].
        var f32 = ByteBuilder()
        for v: Float in [1, 2, 3, 4, 5, 6] { f32.f32(v) }
        g.tensor("matrix", type: .f32, dimensions: [3, 2], data: f32.bytes)
        // F16 vector [1, -2] and BF16 vector [1, -2.5].
        g.tensor("half", type: .f16, dimensions: [2], data: [0x00, 0x3C, 0x00, 0xC0])
        g.tensor("brain", type: .bf16, dimensions: [2], data: [0x80, 0x3F, 0x20, 0xC0])
        // Q8_0, two rows of one block: row r has d = 1 (0x3C00) and quants r·32 + k − 64.
        var q8 = ByteBuilder()
        for r in 0..<2 { q8.u16(0x3C00); for k in 0..<32 { q8.i8(Int8(r * 32 + k - 64)) } }
        g.tensor("q8", type: .q8_0, dimensions: [32, 2], data: q8.bytes)
        let directory = try TemporaryDirectory()
        let file = try GGUFFile(path: try directory.write("t.gguf", g.build()))

        #expect(file.tensors.map(\.name) == ["matrix", "half", "brain", "q8"])
        let matrix = try #require(file.tensor("matrix"))
        #expect(matrix.dimensions == [3, 2])
        #expect(matrix.rowMajorShape == [2, 3])
        #expect(matrix.byteCount == 24)
        #expect(matrix.offset == file.dataOffset)
        #expect(file.dataOffset % 32 == 0)
        #expect(try file.dequantize(matrix) == Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        #expect(try file.dequantizeRows(matrix, rows: 1..<2) == [4, 5, 6])
        #expect(try file.dequantize(file.tensor("half")!).scalars == [1, -2])
        #expect(try file.dequantize(file.tensor("brain")!).scalars == [1, -2.5])
        let q8Info = try #require(file.tensor("q8"))
        #expect(q8Info.offset % 32 == 0 && q8Info.byteCount == 68)
        #expect(try file.dequantizeRows(q8Info, rows: 1..<2) == (0..<32).map { Float($0 - 32) })
        #expect(try file.dequantize(q8Info).shape == [2, 32])
        #expect(file.rawData(q8Info).count == 68)
        expectFormatError(["q8", "rows", "0..<2"]) { _ = try file.dequantizeRows(q8Info, rows: 1..<3) }
    }

    @Test func customAlignmentIsHonoured() throws {
        var g = GGUFTestBuilder()
        g.alignment = 64
        g.u32("general.alignment", 64)
        g.tensor("a", type: .f32, dimensions: [1], data: [0, 0, 0x80, 0x3F])
        g.tensor("b", type: .f32, dimensions: [1], data: [0, 0, 0, 0x40])
        let directory = try TemporaryDirectory()
        let file = try GGUFFile(path: try directory.write("a.gguf", g.build()))
        #expect(file.alignment == 64)
        #expect(file.dataOffset % 64 == 0)
        #expect(file.tensor("b")!.offset == file.dataOffset + 64)
        #expect(try file.dequantize(file.tensor("b")!).scalars == [2])
    }

    @Test func unsupportedTypeIsReadButNotDequantised() throws {
        var g = GGUFTestBuilder()
        g.tensor("k5", type: .q5_K, dimensions: [256], data: [UInt8](repeating: 0, count: 176))
        let directory = try TemporaryDirectory()
        let file = try GGUFFile(path: try directory.write("q.gguf", g.build()))
        #expect(file.tensor("k5")?.byteCount == 176)
        expectFormatError(["q.gguf", "k5", "Q5_K", "supported"]) { _ = try file.dequantize(file.tensor("k5")!) }
    }
}

import Testing
import SparkEngine
@testable import SparkFormats

@Suite struct SafetensorsTests {
    /// A file built by the format's definition in Python (scripts/reference/safetensors_reference.py):
    /// "a" F32 [[1, -2.5], [3.25, 0.1]], "b" F16 [1, -2, 1/3], "c" BF16 [1, -2.5, 1.01171875],
    /// metadata {"format": "pt", "note": "é\n"}.
    static let reference = bytes(hex: "d8000000000000007b225f5f6d657461646174615f5f223a7b22666f726d6174223a227074222c226e6f7465223a22c3a95c6e227d2c2261223a7b226474797065223a22463332222c227368617065223a5b322c325d2c22646174615f6f666673657473223a5b302c31365d7d2c2262223a7b226474797065223a22463136222c227368617065223a5b335d2c22646174615f6f666673657473223a5b31362c32325d7d2c2263223a7b226474797065223a2242463136222c227368617065223a5b335d2c22646174615f6f666673657473223a5b32322c32385d7d7d2020200000803f000020c000005040cdcccc3d003c00c05535803f20c0823f")

    @Test func readsReferenceFile() throws {
        let directory = try TemporaryDirectory()
        let file = try SafetensorsFile(path: try directory.write("r.safetensors", SafetensorsTests.reference))
        #expect(file.metadata == ["format": "pt", "note": "é\n"])
        #expect(file.dataOffset == 8 + 216)
        #expect(file.tensors.map(\.name) == ["a", "b", "c"])
        #expect(file.info("b")?.dtype == .F16)
        #expect(file.info("b")?.dataOffsets == 16..<22)
        #expect(try file.tensor("a") == Tensor(shape: [2, 2], scalars: [1, -2.5, 3.25, 0.1]))
        // F16 of 1/3 is 0.333251953125 (numpy).
        #expect(try file.tensor("b").scalars == [1, -2, 0.333251953125])
        // BF16 1.01171875 is a tie that rounds to even: 0x3F82 = 1.015625.
        #expect(try file.tensor("c").scalars == [1, -2.5, 1.015625])
        expectFormatError(["r.safetensors", "'missing'"]) { _ = try file.tensor("missing") }
    }

    @Test func writerMatchesReferenceByteForByte() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("w.safetensors")
        try SafetensorsWriter.write([
            ("a", Tensor(shape: [2, 2], scalars: [1, -2.5, 3.25, 0.1]), .F32),
            ("b", Tensor(shape: [3], scalars: [1, -2, 1.0 / 3]), .F16),
            ("c", Tensor(shape: [3], scalars: [1, -2.5, 1.01171875]), .BF16),
        ], metadata: ["note": "é\n", "format": "pt"], to: path)
        #expect(try directory.read("w.safetensors") == SafetensorsTests.reference)
    }

    @Test func roundTripsWithoutMetadataAndWithEmptyTensors() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("e.safetensors")
        let weights = Tensor(shape: [3, 1], scalars: [0.5, -0.25, 8])
        try SafetensorsWriter.write([("empty", Tensor(shape: [0, 4], scalars: []), .F32), ("w", weights, .F32),
                                     ("scalar", Tensor(scalar: 2), .F16)], metadata: [:], to: path)
        let file = try SafetensorsFile(path: path)
        #expect(file.metadata.isEmpty)
        #expect(try file.tensor("w") == weights)
        #expect(try file.tensor("empty").shape == [0, 4])
        #expect(try file.tensor("scalar") == Tensor(scalar: 2))
        #expect((file.dataOffset) % 8 == 0)
    }

    @Test func otherDtypesAreListedButNotConverted() throws {
        // Header {"i":{"dtype":"I32","shape":[1],"data_offsets":[0,4]}} written by hand.
        let json = #"{"i":{"dtype":"I32","shape":[1],"data_offsets":[0,4]}}"#
        var b = ByteBuilder()
        b.u64(UInt64(json.utf8.count))
        b.ascii(json)
        b.i32(-7)
        let directory = try TemporaryDirectory()
        let file = try SafetensorsFile(path: try directory.write("i.safetensors", b.bytes))
        #expect(file.info("i")?.dtype == .I32)
        #expect(Array(file.rawData(file.info("i")!)) == [0xF9, 0xFF, 0xFF, 0xFF])
        expectFormatError(["i.safetensors", "'i'", "I32"]) { _ = try file.tensor("i") }
    }

    @Test func writerRefusesBadArguments() {
        let t = Tensor(scalar: 1)
        expectFormatError(["'x'", "unique"]) { try SafetensorsWriter.write([("x", t, .F32), ("x", t, .F32)], metadata: [:], to: "/nonexistent/x") }
        expectFormatError(["I64"]) { try SafetensorsWriter.write([("x", t, .I64)], metadata: [:], to: "/nonexistent/x") }
    }
}

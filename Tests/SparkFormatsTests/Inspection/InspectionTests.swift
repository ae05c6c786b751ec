import Foundation
import Testing
import SparkEngine
@testable import SparkFormats

@Suite struct InspectionTests {
    @Test func formatIsChosenByMagicNotName() throws {
        let directory = try TemporaryDirectory()
        // Every file gets the wrong extension on purpose.
        let gguf = try directory.write("model.npy", GGUFTestBuilder().build())
        #expect(try FileFormat.detect(path: gguf) == .gguf)
        let npy = try directory.write("array.gguf", NPY.encode(NumpyArray(shape: [1], floats: [1])))
        #expect(try FileFormat.detect(path: npy) == .npy)
        let npz = try directory.write("a.safetensors", try NPZ.encode([("a", NumpyArray(shape: [1], floats: [1]))]))
        #expect(try FileFormat.detect(path: npz) == .npz)
        let st = directory.file("weights.bin")
        try SafetensorsWriter.write([("w", Tensor(shape: [1], scalars: [1]), .F32)], metadata: [:], to: st)
        #expect(try FileFormat.detect(path: st) == .safetensors)
        let text = try directory.write("notes.gguf", Array("hello, world".utf8))
        expectFormatError([text, "magic", "68 65 6c 6c", "not supported"]) { _ = try FileFormat.detect(path: text) }
    }

    func sampleGGUF() throws -> (TemporaryDirectory, String) {
        var g = GGUFTestBuilder()
        g.string("general.architecture", "llama")
        g.u32("llama.block_count", 2)
        g.u32("llama.embedding_length", 8)
        g.stringArray("tokenizer.ggml.tokens", (0..<20).map { "t\($0)" })
        g.string("long", String(repeating: "x", count: 100))
        g.tensor("token_embd.weight", type: .f32, dimensions: [8, 20], data: [UInt8](repeating: 0, count: 640))
        let directory = try TemporaryDirectory()
        return (directory, try directory.write("m.gguf", g.build()))
    }

    @Test func ggufText() throws {
        let (directory, path) = try sampleGGUF()
        let text = InspectionReport(try FileInspection.inspect(path: path)).text
        withExtendedLifetime(directory) {}
        #expect(text.contains("\(path): GGUF, version 3, alignment 32"))
        #expect(text.contains("llama: 2 layers (llama.block_count), width 8 (llama.embedding_length), 20 tokens (tokenizer.ggml.tokens), 1 tensor"))
        #expect(text.contains("llama.block_count"))
        // Long arrays show the first 8 elements and the count; long strings are cut.
        #expect(text.contains(#"ARRAY[STRING]  ["t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", …] (20 elements)"#))
        #expect(text.contains("… (100 characters)"))
        #expect(text.contains("0  token_embd.weight  F32   20 × 8    640"))
        let full = InspectionReport(try FileInspection.inspect(path: path), full: true).text
        #expect(full.contains(#""t19"]"#))
        #expect(full.contains(String(repeating: "x", count: 100) + "\""))
    }

    @Test func ggufJSON() throws {
        let (directory, path) = try sampleGGUF()
        let json = InspectionReport(try FileInspection.inspect(path: path)).json
        withExtendedLifetime(directory) {}
        let parsed = try Array(json.utf8).withUnsafeBytes { try JSONValue.parse($0, file: "report", field: "json") }
        #expect(parsed["format"]?.string == "GGUF")
        #expect(parsed["version"]?.int == 3)
        let tokens = try #require(parsed["metadata"]?.elements?.first { $0["key"]?.string == "tokenizer.ggml.tokens" })
        #expect(tokens["type"]?.string == "ARRAY[STRING]")
        #expect(tokens["count"]?.int == 20)
        #expect(tokens["value"]?.elements?.count == 8)
        #expect(tokens["truncated"] == .bool(true))
        let tensor = try #require(parsed["tensors"]?.elements?.first)
        #expect(tensor["shape"] == .array([.number("20"), .number("8")]))
        #expect(tensor["ggml_dimensions"] == .array([.number("8"), .number("20")]))
        #expect(tensor["bytes"]?.int == 640)
        let full = InspectionReport(try FileInspection.inspect(path: path), full: true).json
        #expect(full.contains("\"t19\""))
    }

    @Test func safetensorsAndNumpyReports() throws {
        let directory = try TemporaryDirectory()
        let st = directory.file("w.safetensors")
        try SafetensorsWriter.write([("w", Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]), .BF16)],
                                    metadata: ["format": "pt"], to: st)
        let text = InspectionReport(try FileInspection.inspect(path: st)).text
        #expect(text.contains("format  STRING  \"pt\""))
        #expect(text.contains("0  w     BF16  2 × 3     12"))
        let npz = directory.file("a.npz")
        try NPZ.write([("labels", NumpyArray(shape: [4], values: .int64([1, 2, 3, 4])))], to: npz)
        #expect(InspectionReport(try FileInspection.inspect(path: npz)).text.contains("0  labels  i8    4         32"))
    }

    @Test func groupedDigitsFormatting() {
        #expect(groupedDigits(0) == "0")
        #expect(groupedDigits(999) == "999")
        #expect(groupedDigits(49152) == "49,152")
        #expect(groupedDigits(-1234567) == "-1,234,567")
    }
}

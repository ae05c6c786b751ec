import Foundation
import Testing
import SparkEngine
@testable import SparkFormats

let smolLM2Path = repositoryRoot + "/models/SmolLM2-135M-Instruct.Q4_1.gguf"
let smolLM2Present = FileManager.default.fileExists(atPath: smolLM2Path)

/// The real model file. Expected values come from gguf-py (llama.cpp's Python reader) through
/// scripts/reference/gguf_reference.py, never from this package.
@Suite(.enabled(if: smolLM2Present, "models/SmolLM2-135M-Instruct.Q4_1.gguf is absent (run scripts/setup.sh)"))
struct SmolLM2FileTests {
    /// Opened once for the whole suite (Swift Testing makes a suite instance per test).
    static let shared = Result { try GGUFFile(path: smolLM2Path) }
    let file: GGUFFile

    init() throws { file = try SmolLM2FileTests.shared.get() }

    @Test func header() throws {
        #expect(file.version == 3)
        #expect(file.alignment == 32)
        #expect(file.metadata.count == 33)                  // gguf-py's 36 fields less its 3 header pseudo-fields
        #expect(file.tensors.count == 272)
        #expect(file.value("general.architecture")?.string == "llama")
        #expect(file.value("llama.block_count")?.int == 30)
        #expect(file.value("llama.embedding_length")?.int == 576)
        #expect(file.value("llama.feed_forward_length")?.int == 1536)
        #expect(file.value("llama.attention.head_count")?.int == 9)
        #expect(file.value("llama.attention.head_count_kv")?.int == 3)
        #expect(file.value("llama.rope.freq_base")?.float == 100000)
        #expect(file.value("tokenizer.ggml.tokens")?.stringArray?.count == 49152)
        #expect(file.value("tokenizer.ggml.merges")?.stringArray?.count == 48900)
        #expect(file.typeName(ofKey: "tokenizer.ggml.token_type") == "ARRAY[INT32]")
        #expect(file.value("tokenizer.ggml.tokens")?.array?.first == .string("<|endoftext|>"))
    }

    @Test func tensorTable() throws {
        let embedding = try #require(file.tensor("token_embd.weight"))
        #expect(embedding.type == .q8_0)
        #expect(embedding.dimensions == [576, 49152])
        #expect(embedding.rowMajorShape == [49152, 576])
        #expect(embedding.byteCount == 30_081_024)
        #expect(embedding.offset == 1_785_664)               // gguf-py's data_offset
        let down = try #require(file.tensor("blk.0.ffn_down.weight"))
        #expect(down.type == .q4_1 && down.rowMajorShape == [576, 1536] && down.offset == 31_868_992)
        #expect(file.tensors.filter { $0.type == .q4_1 }.count == 210)
        #expect(file.tensors.filter { $0.type == .f32 }.count == 61)
        #expect(file.tensor("output.weight") == nil)         // tied embeddings
    }

    @Test func embeddingRowsMatchGGUFPy() throws {
        let info = try #require(file.tensor("token_embd.weight"))
        // (row, column, value) from gguf.quants.dequantize.
        let expected: [(Int, Int, Float)] = [
            (0, 0, -0.10654449462890625), (0, 575, 0.029754638671875), (1, 7, 0.0714111328125),
            (100, 300, -0.14966964721679688), (12345, 31, 0.2039337158203125), (12345, 32, 0.1461181640625),
            (49151, 0, 0.011505126953125), (49151, 575, -0.0417022705078125),
        ]
        for (row, column, value) in expected {
            let values = try file.dequantizeRows(info, rows: row..<(row + 1))
            #expect(values.count == 576)
            #expect(values[column] == value, "token_embd[\(row), \(column)]")
        }
    }

    @Test func q4_1MatrixMatchesGGUFPy() throws {
        let info = try #require(file.tensor("blk.0.attn_k.weight"))
        #expect(info.type == .q4_1)
        let matrix = try file.dequantize(info)
        #expect(matrix.shape == [192, 576])
        let expected: [(Int, Int, Float)] = [
            (0, 0, -0.1552734375), (0, 1, 0.3402099609375), (0, 16, 0.3402099609375), (5, 100, 0.39544677734375),
            (64, 63, -0.0960693359375), (100, 64, -0.0068359375), (191, 574, 0.1881103515625), (191, 575, 0.3636474609375),
        ]
        for (row, column, value) in expected { #expect(matrix[row, column] == value, "attn_k[\(row), \(column)]") }
        // gguf-py's float64 sum of all 110,592 values: 26.937057495117188.
        let sum = matrix.scalars.reduce(0.0) { $0 + Double($1) }
        #expect(abs(sum - 26.937057495117188) < 1e-9)
    }

    @Test func everyTensorDequantises() throws {
        // Norm weights are F32; every tensor's values must be finite.
        let norm = try file.dequantize(try #require(file.tensor("blk.0.attn_norm.weight")))
        #expect(norm.shape == [576])
        let full = try file.dequantize(try #require(file.tensor("token_embd.weight")))
        #expect(full.shape == [49152, 576])
        #expect(full[12345, 32] == 0.1461181640625)
        #expect(full.scalars.allSatisfy { $0.isFinite })
    }

    @Test func inspectionShowsTheModelsShape() throws {
        let text = InspectionReport(FileInspection.inspect(file)).text
        #expect(text.contains("llama: 30 layers (llama.block_count), width 576 (llama.embedding_length), 49,152 tokens"))
        #expect(text.contains("Tensors (272):"))
        #expect(text.contains("0  token_embd.weight          Q8_0  49152 × 576  30,081,024"))
    }
}

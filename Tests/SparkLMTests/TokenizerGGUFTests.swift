import Foundation
import Testing
import SparkFormats
@testable import SparkLM

/// `TokenizerVocabulary(gguf:)` on small GGUF files written here, one key broken at a time.
@Suite struct TokenizerGGUFTests {
    /// A GGUF v3 file with no tensors and the given metadata, written in the layout of gguf.h.
    struct MiniGGUF {
        enum Value {
            case string(String), bool(Bool), u32(UInt32), i32(Int32), strings([String]), i32s([Int32])
        }
        var entries: [(String, Value)]

        static var valid: MiniGGUF {
            MiniGGUF(entries: [
                ("tokenizer.ggml.model", .string("gpt2")),
                ("tokenizer.ggml.pre", .string("smollm")),
                ("tokenizer.ggml.tokens", .strings(["<|im_end|>", "a", "b", "ab"])),
                ("tokenizer.ggml.token_type", .i32s([3, 1, 1, 1])),
                ("tokenizer.ggml.merges", .strings(["a b"])),
                ("tokenizer.ggml.eos_token_id", .u32(0)),
                ("tokenizer.ggml.add_bos_token", .bool(false)),
                ("tokenizer.chat_template", .string("<|im_start|><|im_end|>")),
            ])
        }

        func replacing(_ key: String, with value: Value?) -> MiniGGUF {
            var copy = self
            if let index = copy.entries.firstIndex(where: { $0.0 == key }) {
                if let value { copy.entries[index].1 = value } else { copy.entries.remove(at: index) }
            } else if let value {
                copy.entries.append((key, value))
            }
            return copy
        }

        func bytes() -> [UInt8] {
            var out: [UInt8] = Array("GGUF".utf8)
            func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
            func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
            func string(_ s: String) { u64(UInt64(s.utf8.count)); out.append(contentsOf: s.utf8) }
            u32(3); u64(0); u64(UInt64(entries.count))
            for (key, value) in entries {
                string(key)
                switch value {
                case .string(let s): u32(8); string(s)
                case .bool(let b): u32(7); out.append(b ? 1 : 0)
                case .u32(let v): u32(4); u32(v)
                case .i32(let v): u32(5); u32(UInt32(bitPattern: v))
                case .strings(let list): u32(9); u32(8); u64(UInt64(list.count)); list.forEach(string)
                case .i32s(let list): u32(9); u32(5); u64(UInt64(list.count)); list.forEach { u32(UInt32(bitPattern: $0)) }
                }
            }
            return out
        }

        func open() throws -> GGUFFile {
            let path = NSTemporaryDirectory() + "tokenizer-\(UUID().uuidString).gguf"
            try Data(bytes()).write(to: URL(fileURLWithPath: path))
            defer { try? FileManager.default.removeItem(atPath: path) }
            return try GGUFFile(path: path)
        }
    }

    func loadError(_ file: MiniGGUF) throws -> TokenizerError? {
        let gguf = try file.open()
        do {
            _ = try BPETokenizer(gguf: gguf)
            return nil
        } catch let error as TokenizerError {
            #expect(error.source == gguf.path)
            return error
        }
    }

    @Test func aValidFileGivesAWorkingTokenizer() throws {
        let tokenizer = try BPETokenizer(gguf: MiniGGUF.valid.open())
        #expect(tokenizer.vocabularySize == 4)
        #expect(tokenizer.eosTokenId == 0)
        #expect(tokenizer.encode("ab<|im_end|>", parseSpecial: true) == [3, 0])
        #expect(tokenizer.vocabulary.chatTemplate == "<|im_start|><|im_end|>")
    }

    @Test func missingRequiredKeysAreNamed() throws {
        for key in ["tokenizer.ggml.model", "tokenizer.ggml.tokens", "tokenizer.ggml.merges"] {
            let error = try loadError(MiniGGUF.valid.replacing(key, with: nil))
            #expect(error?.field == key)
            #expect(error?.problem.hasPrefix("missing; expected") == true)
        }
        let error = try loadError(MiniGGUF.valid.replacing("tokenizer.ggml.pre", with: nil))
        #expect(error?.field == "tokenizer.ggml.pre")
        #expect(error?.problem == "missing; expected one of the supported pre-tokenizers: gpt-2, gpt2, smollm")
    }

    @Test func mistypedKeysAreNamedWithBothTypes() throws {
        let cases: [(String, MiniGGUF.Value, String)] = [
            ("tokenizer.ggml.tokens", .i32s([1]), "has type ARRAY[INT32]; expected ARRAY[STRING]"),
            ("tokenizer.ggml.merges", .string("a b"), "has type STRING; expected ARRAY[STRING]"),
            ("tokenizer.ggml.token_type", .strings(["1"]), "has type ARRAY[STRING]; expected ARRAY[INT32]"),
            ("tokenizer.ggml.eos_token_id", .string("0"), "has type STRING; expected an integer token id"),
            ("tokenizer.ggml.add_bos_token", .u32(1), "has type UINT32; expected BOOL"),
            ("tokenizer.chat_template", .bool(true), "has type BOOL; expected STRING"),
        ]
        for (key, value, problem) in cases {
            let error = try loadError(MiniGGUF.valid.replacing(key, with: value))
            #expect(error?.field == key)
            #expect(error?.problem == problem)
        }
    }

    @Test func invalidValuesAreNamed() throws {
        var error = try loadError(MiniGGUF.valid.replacing("tokenizer.ggml.model", with: .string("llama")))
        #expect(error?.problem == "tokenizer model \"llama\" is not supported; supported: \"gpt2\" (byte-level BPE)")

        error = try loadError(MiniGGUF.valid.replacing("tokenizer.ggml.token_type", with: .i32s([3, 1, 9, 1])))
        #expect(error?.field == "tokenizer.ggml.token_type[2]")
        #expect(error?.problem == "is 9; expected a token type 0…6")

        error = try loadError(MiniGGUF.valid.replacing("tokenizer.ggml.eos_token_id", with: .u32(4)))
        #expect(error?.field == "tokenizer.ggml.eos_token_id")
        #expect(error?.problem == "is 4; expected a token id in 0..<4")

        error = try loadError(MiniGGUF.valid.replacing("tokenizer.ggml.pre", with: .string("qwen2")))
        #expect(error?.description.hasSuffix("tokenizer.ggml.pre: unsupported pre-tokenizer \"qwen2\"; supported: gpt-2, gpt2, smollm") == true)

        error = try loadError(MiniGGUF.valid.replacing("tokenizer.ggml.add_bos_token", with: .bool(true)))
        #expect(error?.problem == "is true but tokenizer.ggml.bos_token_id is missing")
    }
}

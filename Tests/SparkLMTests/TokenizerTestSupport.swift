import Foundation
import SparkFormats
@testable import SparkLM

/// Shared tokenizers for the tokenizer and chat-template tests, each loaded once.
enum TokenizerFixtures {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let smolLMPath = packageRoot + "/models/SmolLM2-135M-Instruct.Q4_1.gguf"
    static let smolLMPresent = FileManager.default.fileExists(atPath: smolLMPath)
    static let smolLMAbsentMessage = "models/SmolLM2-135M-Instruct.Q4_1.gguf is absent (run scripts/setup.sh)"

    /// SmolLM2's tokenizer (only touched by suites enabled when the file exists).
    static let smolLM = Result { try BPETokenizer(gguf: GGUFFile(path: smolLMPath)) }

    /// llama.cpp's GPT-2 test vocabulary, a test resource.
    static let gpt2 = Result { try BPETokenizer(gguf: GGUFFile(path: resource("ggml-vocab-gpt-2.gguf"))) }

    static func resource(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: "Resources/" + name, withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Resources/" + name])
        }
        return url.path
    }
}

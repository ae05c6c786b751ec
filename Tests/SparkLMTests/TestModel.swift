import Foundation
import SparkLM
import Testing

/// The real model the decoder tests run, `models/SmolLM2-135M-Instruct.Q4_1.gguf` at the package
/// root (fetched by the setup script; git-ignored). Tests that need it are disabled, with this
/// message, when it is absent.
enum TestModel {
    static let path: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("models/SmolLM2-135M-Instruct.Q4_1.gguf").path

    static var isPresent: Bool { FileManager.default.fileExists(atPath: path) }

    static let absentMessage: Comment = "models/SmolLM2-135M-Instruct.Q4_1.gguf is absent (the setup script fetches it); skipping"

    /// A fresh decoder (decoders are not thread-safe, and tests run in parallel).
    static func decoder(_ numerics: DecoderNumerics) throws -> LlamaDecoder {
        let decoder = try LlamaDecoder(path: path)
        decoder.numerics = numerics
        return decoder
    }
}

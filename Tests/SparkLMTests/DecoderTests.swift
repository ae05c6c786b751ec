import Foundation
import Testing
@testable import SparkLM
import SparkEngine
import SparkFormats

/// Behaviour of the decoder on the real SmolLM2 file (skipped, with a message, without it).
/// Serialized: the tests share one decoder, which (like any decoder here) serves one caller at a time.
@Suite(.serialized)
struct DecoderTests {
    static let modelPath: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("models/SmolLM2-135M-Instruct.Q4_1.gguf").path
    }()

    static let model: LanguageModel? = {
        guard FileManager.default.fileExists(atPath: modelPath) else {
            print("DecoderTests: \(modelPath) is absent (run scripts/setup.sh); skipping")
            return nil
        }
        return try? LanguageModel(path: modelPath, maxContext: 512)
    }()

    static let prompt: [Int32] = [504, 3575, 282, 4649, 314]   // "The capital of France is"

    static func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
    }

    /// Embedding rows equal to the token embeddings of some ids give the same logits as the ids:
    /// the interface the modality tokens enter the language model through.
    @Test(.enabled(if: model != nil)) func embeddingRowsActLikeTheirTokens() throws {
        let lm = try #require(Self.model)
        for numerics in [DecoderNumerics.reference, .llamaCompatible] {
            lm.decoder.numerics = numerics
            let byIds = try lm.decoder.forward(Self.prompt.map { .token($0) }, cache: lm.makeCache())
            let mixed: [DecoderInput] = try Self.prompt.enumerated().map { i, id in
                i % 2 == 1 ? .embedding(try lm.decoder.embedding(of: id)) : .token(id)
            }
            let byRows = try lm.decoder.forward(mixed, cache: lm.makeCache())
            #expect(byIds.logits == byRows.logits)
        }
        lm.decoder.numerics = .llamaCompatible
    }

    /// Untrained Lynx adapters (Up = 0) leave the pretrained model exactly as it is.
    @Test(.enabled(if: model != nil)) func untrainedAdaptersAreTheIdentity() throws {
        let lm = try #require(Self.model)
        let width = lm.configuration.width
        var generator = SeededRandomGenerator(seed: 5)
        let adapter = LynxAdapter(
            width: width, normWeight: [Float](repeating: 1, count: width), normBias: [Float](repeating: 0, count: width),
            downWeight: Tensor(randomNormal: [width / 2, width], std: 0.02, generator: &generator).scalars,
            downBias: [Float](repeating: 0, count: width / 2),
            upWeight: [Float](repeating: 0, count: width * width / 2), upBias: [Float](repeating: 0, count: width), scale: 1)
        let plain = try lm.decoder.forward(Self.prompt.map { .token($0) }, cache: lm.makeCache()).logits
        lm.decoder.adapters = Dictionary(uniqueKeysWithValues: stride(from: 1, to: lm.configuration.layerCount, by: 2).map { ($0, adapter) })
        defer { lm.decoder.adapters = [:] }
        let adapted = try lm.decoder.forward(Self.prompt.map { .token($0) }, cache: lm.makeCache()).logits
        #expect(plain == adapted)
        // A non-zero Up changes the logits (so the test above can fail).
        var trained = adapter
        trained.upWeight = Tensor(randomNormal: [width, width / 2], std: 0.02, generator: &generator).scalars
        lm.decoder.adapters = [1: trained]
        let changed = try lm.decoder.forward(Self.prompt.map { .token($0) }, cache: lm.makeCache()).logits
        #expect(Self.maxDifference(plain, changed) > 1e-3)
    }

    /// Prefilling a sequence in one pass and feeding it token by token agree (KV cache).
    @Test(.enabled(if: model != nil)) func incrementalDecodingMatchesOnePass() throws {
        let lm = try #require(Self.model)
        lm.decoder.numerics = .reference
        defer { lm.decoder.numerics = .llamaCompatible }
        let whole = try lm.decoder.forward(Self.prompt.map { .token($0) }, cache: lm.makeCache()).logits
        let cache = lm.makeCache()
        var last: [Float] = []
        for id in Self.prompt { last = try lm.decoder.forward([.token(id)], cache: cache).logits }
        #expect(Self.maxDifference(whole, last) < 2e-3)
        #expect(cache.count == Self.prompt.count)
    }

    /// The reference numerics reproduce a float64 NumPy forward pass on the dequantised weights
    /// (scripts/reference/numpy_llama.py with ids 504,3575,282,4649,314): top logits
    /// 7042 → 17.371259, 260 → 14.888589, 4528 → 13.244974.
    @Test(.enabled(if: model != nil)) func referenceNumericsMatchNumPy() throws {
        let lm = try #require(Self.model)
        lm.decoder.numerics = .reference
        defer { lm.decoder.numerics = .llamaCompatible }
        let logits = try lm.decoder.forward(Self.prompt.map { .token($0) }, cache: lm.makeCache()).logits
        for (id, expected) in [(7042, Float(17.371259)), (260, 14.888589), (4528, 13.244974)] {
            #expect(abs(logits[id] - expected) < 2e-3, "token \(id): \(logits[id]) vs \(expected)")
        }
    }

    @Test(.enabled(if: model != nil)) func contextOverflowSaysHowLongAndTheLimit() throws {
        let lm = try #require(Self.model)
        let cache = lm.decoder.makeCache(maximumLength: 8)
        do {
            _ = try lm.decoder.forward([Int32](repeating: 504, count: 9).map { .token($0) }, cache: cache)
            Issue.record("expected a context error")
        } catch {
            #expect("\(error)".contains("9") && "\(error)".contains("8"), "message: \(error)")
        }
    }

    @Test(.enabled(if: model != nil)) func badInputsAreErrors() throws {
        let lm = try #require(Self.model)
        #expect(throws: LMError.self) { try lm.decoder.forward([], cache: lm.makeCache()) }
        #expect(throws: LMError.self) { try lm.decoder.forward([.token(49_152)], cache: lm.makeCache()) }
        #expect(throws: LMError.self) { try lm.decoder.forward([.embedding([1, 2, 3])], cache: lm.makeCache()) }
        #expect(throws: LMError.self) {
            try lm.decoder.forward([.embedding([Float](repeating: .nan, count: lm.configuration.width))], cache: lm.makeCache())
        }
    }

    /// Same seed, same text; the generation stops at max tokens.
    @Test(.enabled(if: model != nil)) func sampledGenerationIsReproducible() throws {
        let lm = try #require(Self.model)
        let settings = SamplingSettings(temperature: 0.8, topK: 40, topP: 0.95, minP: 0.05, seed: 7)
        let ids = lm.chatPrompt(user: "Name a colour.")
        let a = try lm.generate(prompt: ids.map { .token($0) }, settings: settings, maxTokens: 12)
        let b = try lm.generate(prompt: ids.map { .token($0) }, settings: settings, maxTokens: 12)
        #expect(a.result.tokens == b.result.tokens)
        #expect(a.text == b.text)
        #expect(a.result.tokens.count <= 12)
        let cancel = CancellationFlag()
        cancel.cancel()
        let stopped = try lm.generate(prompt: ids.map { .token($0) }, settings: settings, maxTokens: 12, cancel: cancel)
        #expect(stopped.result.stopReason == .cancelled)
    }

    /// An architecture other than llama is refused by name.
    @Test func unsupportedArchitectureIsNamed() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("allspark-decoder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("gpt2.gguf").path
        var writer = GGUFWriter()
        writer.set("general.architecture", .string("gpt2"))
        try writer.write(to: path)
        do {
            _ = try LlamaDecoder(path: path)
            Issue.record("expected an unsupported-architecture error")
        } catch {
            #expect("\(error)".contains("gpt2"), "message: \(error)")
        }
    }
}

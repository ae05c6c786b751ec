import Foundation
import Testing
@testable import SparkLM

/// llama.cpp's own tokenizer test for GPT-2 (`tests/test-tokenizer-0.cpp` with
/// `models/ggml-vocab-gpt-2.gguf{,.inp,.out}`): 46 strings and the ids llama.cpp must produce,
/// without BOS and with special-token parsing off. See Resources/README.md.
@Suite struct TokenizerGPT2VectorTests {
    /// The `.inp` strings paired with the `.out` id lists, split as test-tokenizer-0 splits them.
    static func vectors() throws -> [(text: String, ids: [Int32])] {
        let inputs = try String(contentsOfFile: TokenizerFixtures.resource("ggml-vocab-gpt-2.gguf.inp"), encoding: .utf8)
        let outputs = try String(contentsOfFile: TokenizerFixtures.resource("ggml-vocab-gpt-2.gguf.out"), encoding: .utf8)
        var texts = inputs.components(separatedBy: "\n__ggml_vocab_test__\n")
        if texts.last == "" { texts.removeLast() }  // the file ends with a separator
        var lines = outputs.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        guard texts.count == lines.count else { throw CocoaError(.fileReadCorruptFile) }
        return zip(texts, lines).map { text, line in
            (text, line.split(separator: " ").map { Int32($0)! })
        }
    }

    @Test func everyVectorEncodesExactlyAsInLlamaCpp() throws {
        let tokenizer = try TokenizerFixtures.gpt2.get()
        let vectors = try Self.vectors()
        #expect(vectors.count == 46)
        for (text, ids) in vectors {
            #expect(tokenizer.encode(text, parseSpecial: false) == ids, "\(text.debugDescription)")
        }
    }

    @Test func everyVectorDecodesBackToItsText() throws {
        let tokenizer = try TokenizerFixtures.gpt2.get()
        for (text, ids) in try Self.vectors() {
            #expect(tokenizer.decode(ids) == text, "\(text.debugDescription)")
        }
    }

    @Test func vocabularyFactsComeFromTheFile() throws {
        let tokenizer = try TokenizerFixtures.gpt2.get()
        #expect(tokenizer.vocabularySize == 50257)
        #expect(tokenizer.preTokenizer == .gpt2)
        #expect(tokenizer.eosTokenId == 50256)
        #expect(tokenizer.tokenId(forText: "<|endoftext|>") == 50256)
        #expect(tokenizer.tokenTypes[50256] == .control)
        #expect(tokenizer.isEndOfGeneration(50256))
    }
}

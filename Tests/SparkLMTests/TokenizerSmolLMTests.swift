import Foundation
import Testing
@testable import SparkLM

/// SmolLM2's tokenizer (pre-tokenizer `smollm`) against the ids llama.cpp gives for the same
/// strings (TokenizerSmolLMExpectations.swift, generated from llama-tokenize's output).
@Suite(.enabled(if: TokenizerFixtures.smolLMPresent, Comment(rawValue: TokenizerFixtures.smolLMAbsentMessage)))
struct TokenizerSmolLMTests {
    let tokenizer: BPETokenizer

    init() throws { tokenizer = try TokenizerFixtures.smolLM.get() }

    @Test func vocabularyFactsComeFromTheFile() {
        #expect(tokenizer.vocabularySize == 49152)
        #expect(tokenizer.preTokenizer == .smollm)
        #expect(tokenizer.bosTokenId == 1)
        #expect(tokenizer.eosTokenId == 2)
        #expect(tokenizer.vocabulary.unknownTokenId == 0)
        #expect(tokenizer.vocabulary.paddingTokenId == 2)
        #expect(tokenizer.vocabulary.addBOS == false)
        #expect(tokenizer.tokenId(forText: "<|im_start|>") == 1)
        #expect(tokenizer.tokenId(forText: "Ġworld") == 905)
        // <|im_end|> is EOS; <|endoftext|> ends generation by its text, as llama.cpp decides.
        #expect(tokenizer.endOfGenerationIds == [0, 2])
    }

    @Test(arguments: smolLMReferenceTokenizations)
    func encodesAsLlamaCppWithSpecialParsingOn(_ reference: LlamaCppTokenization) {
        #expect(tokenizer.encode(reference.text, parseSpecial: true) == reference.idsParsingSpecial)
    }

    @Test(arguments: smolLMReferenceTokenizations)
    func encodesAsLlamaCppWithSpecialParsingOff(_ reference: LlamaCppTokenization) {
        #expect(tokenizer.encode(reference.text, parseSpecial: false) == reference.idsNotParsingSpecial)
    }

    @Test(arguments: smolLMReferenceTokenizations)
    func decodeInvertsEncode(_ reference: LlamaCppTokenization) {
        #expect(tokenizer.decode(tokenizer.encode(reference.text, parseSpecial: true)) == reference.text)
        #expect(tokenizer.decode(tokenizer.encode(reference.text, parseSpecial: false)) == reference.text)
    }

    @Test func specialTokensAreIdsOnlyWhenParsingIsOn() {
        let text = "<|im_start|>user\nHi!<|im_end|>\n"
        // <|im_start|>=1, "user"=4093, "\n"=198, "Hi"=26843, "!"=17, <|im_end|>=2.
        #expect(tokenizer.encode(text, parseSpecial: true) == [1, 4093, 198, 26843, 17, 2, 198])
        let spelled = tokenizer.encode(text, parseSpecial: false)
        #expect(!spelled.contains(1) && !spelled.contains(2))
        #expect(spelled.count > 7)
        // Rendering control tokens is optional when decoding.
        #expect(tokenizer.decode([1, 4093, 198, 26843, 17, 2, 198], renderSpecial: false) == "user\nHi!\n")
        #expect(tokenizer.piece(1) == "<|im_start|>")
    }

    @Test func addSpecialTokensAddsNothingBecauseSmolLMAsksForNoBOS() {
        #expect(tokenizer.encode("Hello", parseSpecial: true, addSpecialTokens: true)
                == tokenizer.encode("Hello", parseSpecial: true))
    }

    @Test func streamingDecoderHoldsEmojiBytesUntilComplete() {
        // 👨‍👩‍👧 and 🏳️‍🌈 are spread over byte tokens that each hold part of a character.
        let text = "Family: 👨\u{200D}👩\u{200D}👧, flag: 🏳\u{FE0F}\u{200D}🌈!"
        let ids = tokenizer.encode(text, parseSpecial: true)
        #expect(ids.contains { tokenizer.piece($0).contains("\u{FFFD}") }, "some token must split a character")

        var decoder = tokenizer.makeStreamingDecoder()
        var chunks: [String] = []
        var heldBack = 0
        for id in ids {
            let chunk = decoder.append(id)
            if decoder.pendingByteCount > 0 { heldBack += 1 }
            chunks.append(chunk)
        }
        chunks.append(decoder.finish())
        #expect(heldBack > 0)
        #expect(chunks.allSatisfy { !$0.contains("\u{FFFD}") })
        #expect(chunks.joined() == text)
    }

    @Test func streamingDecoderFinishFlushesAnUnfinishedCharacter() throws {
        // The first byte token of 🙂 alone: nothing to show until finish, which gives U+FFFD.
        let ids = tokenizer.encode("🙂", parseSpecial: true)
        try #require(ids.count > 1)
        var decoder = tokenizer.makeStreamingDecoder()
        #expect(decoder.append(ids[0]) == "")
        #expect(decoder.finish() == "\u{FFFD}")
        #expect(decoder.pendingByteCount == 0)
    }

    @Test func longTextEncodesAsItsRepeatedParagraphAndRoundTrips() {
        // 4 KB of mixed text. The paragraph ends in a lone "\n" before a letter, which is a word
        // boundary, so the whole text must be the paragraph's ids repeated; encoding twice must
        // agree (the second time comes from the word cache).
        let paragraph = "It's 2024; we've 3,141 reasons — café, Καλημέρα, 日本語 🙂!\n    def f(x): return x ** 2\n"
        let repeats = 4096 / paragraph.utf8.count + 1
        let text = String(repeating: paragraph, count: repeats)
        let first = tokenizer.encode(text, parseSpecial: true)
        let one = tokenizer.encode(paragraph, parseSpecial: true)
        #expect(first == Array(Array(repeating: one, count: repeats).joined()))
        #expect(tokenizer.encode(text, parseSpecial: true) == first)
        #expect(tokenizer.decode(first) == text)
    }
}

extension LlamaCppTokenization: CustomTestStringConvertible {
    var testDescription: String { name }
}

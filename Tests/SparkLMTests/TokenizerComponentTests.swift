// Unit tests of the tokenizer's parts on hand-made inputs; the expected values are worked out by
// hand from the definitions quoted in each test (GPT-2's byte map and pattern, BPE's merge order).
import Testing
@testable import SparkLM

@Suite struct ByteLevelEncodingTests {
    @Test func printableBytesStandForThemselvesAndTheRestMoveAboveU0100() {
        // Bytes 0x00…0x20 become U+0100…U+0120, 0x7F…0xA0 become U+0121…U+0142, 0xAD becomes U+0143.
        #expect(ByteLevelEncoding.encode([0x20]) == "Ġ")          // U+0120
        #expect(ByteLevelEncoding.encode([0x0A]) == "\u{010A}")   // Ċ
        #expect(ByteLevelEncoding.encode([0x00]) == "\u{0100}")
        #expect(ByteLevelEncoding.encode([0x7F]) == "\u{0121}")
        #expect(ByteLevelEncoding.encode([0xA0]) == "\u{0142}")
        #expect(ByteLevelEncoding.encode([0xAD]) == "\u{0143}")
        #expect(ByteLevelEncoding.encode(Array("Az~".utf8)) == "Az~")
        #expect(ByteLevelEncoding.encode([0xA1, 0xAC, 0xAE, 0xFF]) == "¡¬®ÿ")
    }

    @Test func decodeInvertsEncodeForAllBytes() {
        let all = (0...255).map(UInt8.init)
        var bytes: [UInt8] = []
        ByteLevelEncoding.decode(ByteLevelEncoding.encode(all), into: &bytes)
        #expect(bytes == all)
        #expect(Set(ByteLevelEncoding.scalarForByte).count == 256)
    }
}

@Suite struct PreTokenizerTests {
    func words(_ text: String, _ pre: PreTokenizer) -> [String] {
        let utf8 = Array(text.utf8)
        let decoded = DecodedText(utf8, 0..<utf8.count)
        var start = 0
        return pre.wordEnds(scalars: decoded.scalars, classes: decoded.classes).map { end in
            defer { start = end }
            return String(decoding: utf8[decoded.byteOffsets[start]..<decoded.byteOffsets[end]], as: UTF8.self)
        }
    }

    @Test func gpt2SplitsLettersNumbersAndPunctuationWithOneLeadingSpace() {
        #expect(words("Hello world", .gpt2) == ["Hello", " world"])
        #expect(words("Hello, world!", .gpt2) == ["Hello", ",", " world", "!"])
        #expect(words("abc 123 ...x", .gpt2) == ["abc", " 123", " ...", "x"])
        #expect(words("héllo Καλη мир", .gpt2) == ["héllo", " Καλη", " мир"])
    }

    @Test func gpt2ContractionsAreLowerCaseOnly() {
        #expect(words("it's we'll I'd", .gpt2) == ["it", "'s", " we", "'ll", " I", "'d"])
        // `'S` is no contraction: the apostrophe is punctuation, `S` a letter run.
        #expect(words("IT'S", .gpt2) == ["IT", "'", "S"])
    }

    @Test func gpt2WhitespaceRunLeavesItsLastSpaceToTheNextWord() {
        // `\s+(?!\S)` stops one short of a following non-space; at the end the run is whole.
        #expect(words("a   b", .gpt2) == ["a", "  ", " b"])
        #expect(words("a   ", .gpt2) == ["a", "   "])
        #expect(words("\n\nx", .gpt2) == ["\n", "\n", "x"])
        #expect(words(" \tx", .gpt2) == [" ", "\t", "x"])
        #expect(words(" ", .gpt2) == [" "])
    }

    @Test func smollmIsolatesEveryDigitBeforeTheGPT2Pattern() {
        #expect(words("a 123", .smollm) == ["a", " ", "1", "2", "3"])
        #expect(words("x1y", .smollm) == ["x", "1", "y"])
        // Non-ASCII numbers (Unicode N*) are isolated too: ½ is No, Ⅻ is Nl, ٣ is Nd.
        #expect(words("½Ⅻ٣", .smollm) == ["½", "Ⅻ", "٣"])
        #expect(words("it's 42!", .smollm) == ["it", "'s", " ", "4", "2", "!"])
    }

    @Test func namesMapToPreTokenizers() {
        #expect(PreTokenizer(name: "gpt-2") == .gpt2)
        #expect(PreTokenizer(name: "smollm") == .smollm)
        #expect(PreTokenizer(name: "llama3") == nil)
    }
}

@Suite struct WordEncoderTests {
    /// A toy vocabulary: the letters a, b, c and merges ranked "a b" < "b c" < "ab c".
    func toyTokenizer(merges: [String] = ["a b", "b c", "ab c"]) throws -> BPETokenizer {
        try BPETokenizer(vocabulary: TokenizerVocabulary(
            tokens: ["a", "b", "c", "ab", "bc", "abc", "aa"], merges: merges, preTokenizer: "gpt-2"))
    }

    @Test func lowestRankMergesFirst() throws {
        let tokenizer = try toyTokenizer()
        // "abc": (a,b) rank 0 beats (b,c) rank 1 → ab c → (ab,c) rank 2 → abc.
        #expect(tokenizer.encode("abc", parseSpecial: false) == [5])
        // "bca": (b,c) → bc a; no rule for (bc,a).
        #expect(tokenizer.encode("bca", parseSpecial: false) == [4, 0])
        // "cab": (a,b) → c ab.
        #expect(tokenizer.encode("cab", parseSpecial: false) == [2, 3])
    }

    @Test func tiesGoToTheLeftmostPair() throws {
        let tokenizer = try toyTokenizer(merges: ["a a"])
        // "aaa": both pairs have rank 0; the left one merges → aa a.
        #expect(tokenizer.encode("aaa", parseSpecial: false) == [6, 0])
        #expect(tokenizer.encode("aaaa", parseSpecial: false) == [6, 6])
    }

    @Test func bytesWithoutATokenAreDroppedAsInLlamaCpp() throws {
        // "d" has no token and no merge makes one: llama.cpp emits nothing for it.
        let tokenizer = try toyTokenizer()
        #expect(tokenizer.encode("adb", parseSpecial: false) == [0, 1])
    }
}

@Suite struct SpecialTokenSplitterTests {
    @Test func longestTokenClaimsTextFirstAndUserDefinedTokensNeedNoParsing() {
        let tokens = ["<a>", "<a><b>", "x", "<u>"]
        let types: [TokenType] = [.control, .control, .normal, .userDefined]
        let splitter = SpecialTokenSplitter(tokens: tokens, types: types)
        let text = Array("1<a><b>2<a>3<u>".utf8)
        #expect(splitter.split(text, parseSpecial: true) ==
                [.text(0..<1), .token(1), .text(7..<8), .token(0), .text(11..<12), .token(3)])
        #expect(splitter.split(text, parseSpecial: false) == [.text(0..<12), .token(3)])
        #expect(splitter.split([], parseSpecial: true).isEmpty)
    }
}

@Suite struct StreamingDecoderTests {
    @Test func holdsBackOnlyAnIncompleteFinalSequence() {
        let smile: [UInt8] = [0xF0, 0x9F, 0x99, 0x82]  // 🙂
        #expect(StreamingDecoder.completePrefixLength(Array(smile[..<1])) == 0)
        #expect(StreamingDecoder.completePrefixLength([0x41] + smile[..<3]) == 1)
        #expect(StreamingDecoder.completePrefixLength(smile) == 4)
        #expect(StreamingDecoder.completePrefixLength([0x41, 0xC3]) == 1)        // é begun
        #expect(StreamingDecoder.completePrefixLength([0x41, 0x80]) == 2)        // stray continuation: release
        #expect(StreamingDecoder.completePrefixLength([0x80, 0x80, 0x80, 0x80]) == 4)
        #expect(StreamingDecoder.completePrefixLength([]) == 0)
    }
}

@Suite struct TokenizerValidationTests {
    func vocabulary() -> TokenizerVocabulary {
        TokenizerVocabulary(tokens: ["a", "b", "ab"], merges: ["a b"], preTokenizer: "smollm", source: "toy.gguf")
    }

    @Test func unknownPreTokenizerIsNamedWithTheSupportedOnes() {
        var vocabulary = vocabulary()
        vocabulary.preTokenizer = "llama3"
        #expect(throws: TokenizerError(source: "toy.gguf", field: "tokenizer.ggml.pre",
                                       problem: "unsupported pre-tokenizer \"llama3\"; supported: gpt-2, gpt2, smollm")) {
            try BPETokenizer(vocabulary: vocabulary)
        }
    }

    @Test func malformedFieldsAreReportedWithTheirKey() {
        var vocabulary = vocabulary()
        vocabulary.tokenTypes = [.normal]
        #expect(throws: TokenizerError(source: "toy.gguf", field: "tokenizer.ggml.token_type",
                                       problem: "has 1 entries; expected one per token (3)")) {
            try BPETokenizer(vocabulary: vocabulary)
        }

        vocabulary = self.vocabulary()
        vocabulary.eosTokenId = 3
        #expect(throws: TokenizerError(source: "toy.gguf", field: "tokenizer.ggml.eos_token_id",
                                       problem: "is 3; expected a token id in 0..<3")) {
            try BPETokenizer(vocabulary: vocabulary)
        }

        vocabulary = self.vocabulary()
        vocabulary.merges = ["a b", "ab"]
        #expect(throws: TokenizerError(source: "toy.gguf", field: "tokenizer.ggml.merges[1]",
                                       problem: "merge rule \"ab\" is not two non-empty parts separated by a space; expected \"left right\"")) {
            try BPETokenizer(vocabulary: vocabulary)
        }

        vocabulary = self.vocabulary()
        vocabulary.tokenTypes = [.normal, .normal, .byte]
        #expect(throws: TokenizerError(source: "toy.gguf", field: "tokenizer.ggml.tokens[2]",
                                       problem: "byte token \"ab\" is not of the form <0xHH>")) {
            try BPETokenizer(vocabulary: vocabulary)
        }

        vocabulary = self.vocabulary()
        vocabulary.tokens = []
        #expect(throws: TokenizerError.self) { try BPETokenizer(vocabulary: vocabulary) }
    }
}

@Suite struct PieceDisplayTests {
    @Test func partialCharactersShowAsHexBytes() {
        // 🙂 is F0 9F 99 82; a token holding its first two bytes shows them as hex.
        #expect(PieceDisplay.escaped([0x20, 0xF0, 0x9F]) == " \\xF0\\x9F")
        #expect(PieceDisplay.escaped([0x99, 0x82]) == "\\x99\\x82")
        #expect(PieceDisplay.escaped([0xF0, 0x9F, 0x99, 0x82]) == "🙂")
        // An overlong encoding of "/" is not a character.
        #expect(PieceDisplay.escaped([0xC0, 0xAF]) == "\\xC0\\xAF")
    }

    @Test func invisibleAndQuotingCharactersAreEscaped() {
        #expect(PieceDisplay.escaped(Array("a\nb\t\"\\".utf8)) == "a\\nb\\t\\\"\\\\")
        #expect(PieceDisplay.escaped(Array("\u{200D}\u{A0}\u{1B}".utf8)) == "\\u{200D}\\u{A0}\\u{1B}")
        #expect(PieceDisplay.escaped(Array("\u{FE0F}".utf8)) == "\\u{FE0F}")
        // A combining mark shows as itself after a base character, escaped with nothing before it.
        #expect(PieceDisplay.escaped(Array("e\u{301}".utf8)) == "e\u{301}")
        #expect(PieceDisplay.escaped(Array("\u{301}".utf8)) == "\\u{301}")
        #expect(PieceDisplay.escaped(Array(" café 日本".utf8)) == " café 日本")
    }
}

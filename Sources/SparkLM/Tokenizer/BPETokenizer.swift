import Foundation

/// Byte-level BPE as in GPT-2, driven by a `TokenizerVocabulary` (a GGUF's `tokenizer.ggml.*`).
/// Gives the same ids as llama.cpp for the `gpt-2` and `smollm` pre-tokenizers.
///
/// Encoding: special-token texts are cut out first (`SpecialTokenSplitter`), the rest is split
/// into words (`PreTokenizer`), and each word's UTF-8 bytes are merged (`WordEncoder`); results
/// are cached per word. Decoding maps each token back to its bytes (`pieceBytes`).
///
/// Safe to share between threads: everything is immutable except the word cache, which is locked.
public final class BPETokenizer: @unchecked Sendable {
    public let vocabulary: TokenizerVocabulary
    public let preTokenizer: PreTokenizer
    /// Token types after llama.cpp's fix-ups: tokens whose text marks an end of generation
    /// (`<|im_end|>`, `<|endoftext|>` …) count as control tokens even if the file says otherwise.
    public let tokenTypes: [TokenType]
    /// Ids at which generation stops: EOS plus tokens whose text marks an end of turn.
    public let endOfGenerationIds: Set<Int32>

    private let tokenTexts: TextIndex
    private let pieces: [[UInt8]]
    private let mergeTable: MergeTable
    private let wordEncoder: WordEncoder
    private let splitter: SpecialTokenSplitter
    private let wordCache = WordCache()

    /// Texts llama.cpp treats as end-of-generation markers whatever the file's token types say.
    static let endOfGenerationTexts: Set<String> = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>",
        "<|eom_id|>", "<EOT>", "<end_of_utterance>",
    ]

    public init(vocabulary: TokenizerVocabulary) throws {
        typealias Key = TokenizerVocabulary.Key
        let source = vocabulary.source
        func failure(_ field: String, _ problem: String) -> TokenizerError {
            TokenizerError(source: source, field: field, problem: problem)
        }

        let count = vocabulary.tokens.count
        // Half the Int32 range leaves room for MergeTable's synthetic ids.
        guard count > 0, count < Int(Int32.max) / 2 else {
            throw failure(Key.tokens, "has \(count) entries; expected between 1 and \(Int(Int32.max) / 2 - 1)")
        }
        guard vocabulary.merges.count < Int(Int32.max) / 2 else {
            throw failure(Key.merges, "has \(vocabulary.merges.count) entries; expected fewer than \(Int(Int32.max) / 2)")
        }
        guard let preTokenizer = PreTokenizer(name: vocabulary.preTokenizer) else {
            throw failure(Key.pre, "unsupported pre-tokenizer \(vocabulary.preTokenizer.debugDescription); supported: \(PreTokenizer.supportedNames.joined(separator: ", "))")
        }
        var types = vocabulary.tokenTypes
        if types.isEmpty {
            types = Array(repeating: .normal, count: count)
        } else if types.count != count {
            throw failure(Key.tokenType, "has \(types.count) entries; expected one per token (\(count))")
        }
        for (key, id) in [(Key.bos, vocabulary.bosTokenId), (Key.eos, vocabulary.eosTokenId),
                          (Key.unknown, vocabulary.unknownTokenId), (Key.padding, vocabulary.paddingTokenId)] {
            if let id, id < 0 || Int(id) >= count {
                throw failure(key, "is \(id); expected a token id in 0..<\(count)")
            }
        }
        if vocabulary.addBOS && vocabulary.bosTokenId == nil {
            throw failure(Key.addBOS, "is true but \(Key.bos) is missing")
        }
        if vocabulary.addEOS && vocabulary.eosTokenId == nil {
            throw failure(Key.addEOS, "is true but \(Key.eos) is missing")
        }

        var endOfGeneration = Set<Int32>()
        if let eos = vocabulary.eosTokenId { endOfGeneration.insert(eos) }
        var tokenTexts = TextIndex(capacity: count)
        var pieces: [[UInt8]] = []
        pieces.reserveCapacity(count)
        for (index, text) in vocabulary.tokens.enumerated() {
            let utf8 = Array(text.utf8)
            tokenTexts.append(utf8)  // a repeated text resolves to its last id, as in llama.cpp
            // (Only texts starting with "<" can match: skips hashing 50,000 Strings.)
            if utf8.first == UInt8(ascii: "<"), BPETokenizer.endOfGenerationTexts.contains(text) {
                endOfGeneration.insert(Int32(index))
                if types[index] != .control && types[index] != .unknown { types[index] = .control }
            }
            pieces.append(try BPETokenizer.pieceBytes(text: text, utf8: utf8, type: types[index], field: "\(Key.tokens)[\(index)]", source: source))
        }

        self.vocabulary = vocabulary
        self.preTokenizer = preTokenizer
        self.tokenTypes = types
        self.endOfGenerationIds = endOfGeneration
        self.tokenTexts = tokenTexts
        self.pieces = pieces
        self.mergeTable = try MergeTable(merges: vocabulary.merges, tokenTexts: tokenTexts, source: source)
        self.wordEncoder = WordEncoder(table: mergeTable)
        self.splitter = SpecialTokenSplitter(tokens: vocabulary.tokens, types: types)
    }

    /// The bytes a token stands for when printed.
    private static func pieceBytes(text: String, utf8: [UInt8], type: TokenType, field: String, source: String) throws -> [UInt8] {
        switch type {
        case .normal:
            var bytes: [UInt8] = []
            ByteLevelEncoding.decode(text, into: &bytes)
            return bytes
        case .control, .unknown, .userDefined:
            return utf8
        case .byte:
            // `<0xAB>`: exactly two hex digits.
            guard utf8.count == 6, text.hasPrefix("<0x"), text.hasSuffix(">"),
                  let value = UInt8(String(decoding: utf8[3..<5], as: UTF8.self), radix: 16) else {
                throw TokenizerError(source: source, field: field,
                                     problem: "byte token \(text.debugDescription) is not of the form <0xHH>")
            }
            return [value]
        case .unused, .undefined:
            return []
        }
    }

    // MARK: - Vocabulary facts

    public var vocabularySize: Int { pieces.count }
    public var bosTokenId: Int32? { vocabulary.bosTokenId }
    public var eosTokenId: Int32? { vocabulary.eosTokenId }

    /// The id of a vocabulary entry given its exact (byte-level) text, e.g. `"<|im_start|>"`.
    public func tokenId(forText text: String) -> Int32? { tokenTexts.number(of: Array(text.utf8)) }

    public func isEndOfGeneration(_ id: Int32) -> Bool { endOfGenerationIds.contains(id) }

    private func isValid(_ id: Int32) -> Bool { id >= 0 && Int(id) < pieces.count }

    // MARK: - Encoding

    /// The token ids of `text`.
    /// - Parameters:
    ///   - parseSpecial: whether control tokens written in the text (`<|im_start|>`) become their
    ///     ids. When false they are encoded as ordinary text; user-defined tokens match either way.
    ///   - addSpecialTokens: whether to add BOS/EOS where the vocabulary asks for them
    ///     (`tokenizer.ggml.add_bos_token` / `add_eos_token`). SmolLM2 asks for neither.
    public func encode(_ text: String, parseSpecial: Bool, addSpecialTokens: Bool = false) -> [Int32] {
        let utf8 = Array(text.utf8)
        var ids: [Int32] = []
        ids.reserveCapacity(utf8.count / 3 + 2)
        if addSpecialTokens && vocabulary.addBOS, let bos = vocabulary.bosTokenId { ids.append(bos) }
        for fragment in splitter.split(utf8, parseSpecial: parseSpecial) {
            switch fragment {
            case .token(let id):
                ids.append(id)
            case .text(let range):
                encodeText(utf8, range, into: &ids)
            }
        }
        if addSpecialTokens && vocabulary.addEOS, let eos = vocabulary.eosTokenId { ids.append(eos) }
        return ids
    }

    /// Pre-tokenizes and BPE-encodes `utf8[range]`, which holds no special tokens.
    private func encodeText(_ utf8: [UInt8], _ range: Range<Int>, into ids: inout [Int32]) {
        let text = DecodedText(utf8, range)
        var wordStart = 0
        for wordEnd in preTokenizer.wordEnds(scalars: text.scalars, classes: text.classes) {
            let bytes = utf8[text.byteOffsets[wordStart]..<text.byteOffsets[wordEnd]]
            wordStart = wordEnd
            if bytes.count == 1 {
                appendSymbols([mergeTable.byteSymbols[Int(bytes.first!)]], into: &ids)
                continue
            }
            // Long words are rare and would make the cache's memory unbounded: encode them anew.
            let cacheable = bytes.count <= WordCache.maximumWordLength
            let key = cacheable ? Array(bytes) : []
            if cacheable, let cached = wordCache.lookup(key) {
                ids.append(contentsOf: cached)
                continue
            }
            var wordIds: [Int32] = []
            appendSymbols(wordEncoder.encode(bytes), into: &wordIds)
            if cacheable { wordCache.store(key, wordIds) }
            ids.append(contentsOf: wordIds)
        }
    }

    /// Appends merged symbols as token ids. A symbol the vocabulary lacks (only possible with
    /// malformed merge rules or an incomplete byte alphabet) falls back, as in llama.cpp, to the
    /// tokens for the single bytes of its byte-level text, dropping bytes that have none.
    private func appendSymbols(_ symbols: [Int32], into ids: inout [Int32]) {
        for symbol in symbols {
            guard let text = mergeTable.syntheticText(symbol) else {
                ids.append(symbol)
                continue
            }
            for byte in text {
                if let id = tokenTexts.number(of: CollectionOfOne(byte)) { ids.append(id) }
            }
        }
    }

    // MARK: - Decoding

    /// The bytes token `id` prints as. Control and unknown tokens print their text only when
    /// `renderSpecial`; an id outside the vocabulary prints as U+FFFD.
    public func pieceBytes(_ id: Int32, renderSpecial: Bool = true) -> [UInt8] {
        guard isValid(id) else { return Array("\u{FFFD}".utf8) }
        if !renderSpecial && tokenTypes[Int(id)].needsSpecialParsing { return [] }
        return pieces[Int(id)]
    }

    /// A token's text for display. A token holding part of a multi-byte character shows U+FFFD;
    /// use `decode` or a `StreamingDecoder` to assemble text.
    public func piece(_ id: Int32) -> String {
        String(decoding: pieceBytes(id), as: UTF8.self)
    }

    /// The exact text of a token sequence: the bytes of all pieces, then UTF-8 decoded (only
    /// bytes that do not form valid UTF-8 become U+FFFD). No space clean-up is applied.
    public func decode(_ ids: [Int32], renderSpecial: Bool = true) -> String {
        var bytes: [UInt8] = []
        for id in ids {
            bytes.append(contentsOf: pieceBytes(id, renderSpecial: renderSpecial))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A decoder for generated tokens that holds back an incomplete UTF-8 character until the
    /// token that completes it arrives.
    public func makeStreamingDecoder(renderSpecial: Bool = true) -> StreamingDecoder {
        StreamingDecoder(tokenizer: self, renderSpecial: renderSpecial)
    }
}

/// Caches each word's ids; a bounded dictionary behind a lock (cleared when full, which keeps
/// memory bounded without bookkeeping on the hot path).
private final class WordCache: @unchecked Sendable {
    static let maximumWordLength = 256

    private var entries: [[UInt8]: [Int32]] = [:]
    private let lock = NSLock()
    private let capacity = 1 << 16

    func lookup(_ key: [UInt8]) -> [Int32]? {
        lock.lock()
        defer { lock.unlock() }
        return entries[key]
    }

    func store(_ key: [UInt8], _ ids: [Int32]) {
        lock.lock()
        defer { lock.unlock() }
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[key] = ids
    }
}

import SparkFormats

extension TokenizerVocabulary {
    /// The tokenizer of a GGUF model file, from its `tokenizer.*` keys.
    ///
    /// Required: `tokenizer.ggml.model` (must be `gpt2`, byte-level BPE), `tokens`, `merges`,
    /// `pre`. Optional: `token_type` (default: all normal), the special ids, `add_bos_token` /
    /// `add_eos_token` (default false), `tokenizer.chat_template`.
    /// - Throws: `TokenizerError` naming the file and the key that is missing, mistyped or invalid.
    public init(gguf: GGUFFile) throws {
        let file = gguf.path
        func failure(_ key: String, _ problem: String) -> TokenizerError {
            TokenizerError(source: file, field: key, problem: problem)
        }
        func mistyped(_ key: String, expected: String) -> TokenizerError {
            failure(key, "has type \(gguf.typeName(ofKey: key) ?? "unknown"); expected \(expected)")
        }
        func required<T>(_ key: String, _ expected: String, _ read: (GGUFValue) -> T?) throws -> T {
            guard let value = gguf.value(key) else { throw failure(key, "missing; expected \(expected)") }
            guard let typed = read(value) else { throw mistyped(key, expected: expected) }
            return typed
        }
        func optional<T>(_ key: String, _ expected: String, _ read: (GGUFValue) -> T?) throws -> T? {
            guard let value = gguf.value(key) else { return nil }
            guard let typed = read(value) else { throw mistyped(key, expected: expected) }
            return typed
        }
        func tokenId(_ key: String) throws -> Int32? {
            guard let id = try optional(key, "an integer token id", { $0.int }) else { return nil }
            guard let narrow = Int32(exactly: id) else { throw failure(key, "is \(id); expected a token id that fits Int32") }
            return narrow
        }

        let model = try required(Key.model, "STRING", { $0.string })
        guard model == "gpt2" else {
            throw failure(Key.model, "tokenizer model \(model.debugDescription) is not supported; supported: \"gpt2\" (byte-level BPE)")
        }
        guard let pre = try optional(Key.pre, "STRING", { $0.string }) else {
            throw failure(Key.pre, "missing; expected one of the supported pre-tokenizers: \(PreTokenizer.supportedNames.joined(separator: ", "))")
        }
        let tokens = try required(Key.tokens, "ARRAY[STRING]", { $0.stringArray })
        let merges = try required(Key.merges, "ARRAY[STRING]", { $0.stringArray })

        var types: [TokenType] = []
        if let rawTypes = try optional(Key.tokenType, "ARRAY[INT32]", { $0.intArray }) {
            types.reserveCapacity(rawTypes.count)
            for (index, raw) in rawTypes.enumerated() {
                guard let narrow = Int32(exactly: raw), let type = TokenType(rawValue: narrow) else {
                    throw failure("\(Key.tokenType)[\(index)]", "is \(raw); expected a token type 0…6")
                }
                types.append(type)
            }
        }

        self.init(tokens: tokens, merges: merges, tokenTypes: types,
                  bosTokenId: try tokenId(Key.bos), eosTokenId: try tokenId(Key.eos),
                  unknownTokenId: try tokenId(Key.unknown), paddingTokenId: try tokenId(Key.padding),
                  addBOS: try optional(Key.addBOS, "BOOL", { $0.bool }) ?? false,
                  addEOS: try optional(Key.addEOS, "BOOL", { $0.bool }) ?? false,
                  preTokenizer: pre,
                  chatTemplate: try optional(Key.chatTemplate, "STRING", { $0.string }),
                  source: file)
    }
}

extension BPETokenizer {
    /// The tokenizer of a GGUF model file. See `TokenizerVocabulary(gguf:)`.
    public convenience init(gguf: GGUFFile) throws {
        try self.init(vocabulary: TokenizerVocabulary(gguf: gguf))
    }
}

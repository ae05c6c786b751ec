/// Everything a byte-level BPE tokenizer needs, as plain values: the contents of a GGUF's
/// `tokenizer.ggml.*` keys (see `TokenizerVocabulary(gguf:)`), or built by hand in tests.
/// `BPETokenizer(vocabulary:)` validates it.
public struct TokenizerVocabulary: Sendable, Equatable {
    /// Token strings indexed by id. Normal tokens are byte-level encoded (`Ġ` is a space).
    public var tokens: [String]
    /// Merge rules `"left right"`; a rule's rank is its index (lower merges first).
    public var merges: [String]
    /// One type per token. Empty means every token is `.normal` (llama.cpp's default).
    public var tokenTypes: [TokenType]
    public var bosTokenId: Int32?
    public var eosTokenId: Int32?
    public var unknownTokenId: Int32?
    public var paddingTokenId: Int32?
    /// Whether the model expects a BOS token in front of every prompt.
    public var addBOS: Bool
    /// Whether the model expects an EOS token after every prompt (rare for chat models).
    public var addEOS: Bool
    /// `tokenizer.ggml.pre`: which pre-tokenizer splits text into words (see `PreTokenizer`).
    public var preTokenizer: String
    /// `tokenizer.chat_template` (Jinja source), if the file has one.
    public var chatTemplate: String?
    /// Where this vocabulary came from; error messages start with it.
    public var source: String

    public init(tokens: [String], merges: [String], tokenTypes: [TokenType] = [],
                bosTokenId: Int32? = nil, eosTokenId: Int32? = nil,
                unknownTokenId: Int32? = nil, paddingTokenId: Int32? = nil,
                addBOS: Bool = false, addEOS: Bool = false,
                preTokenizer: String, chatTemplate: String? = nil, source: String = "vocabulary") {
        self.tokens = tokens
        self.merges = merges
        self.tokenTypes = tokenTypes
        self.bosTokenId = bosTokenId
        self.eosTokenId = eosTokenId
        self.unknownTokenId = unknownTokenId
        self.paddingTokenId = paddingTokenId
        self.addBOS = addBOS
        self.addEOS = addEOS
        self.preTokenizer = preTokenizer
        self.chatTemplate = chatTemplate
        self.source = source
    }

    /// The GGUF key names, used in error messages whichever way the vocabulary was built.
    enum Key {
        static let model = "tokenizer.ggml.model"
        static let pre = "tokenizer.ggml.pre"
        static let tokens = "tokenizer.ggml.tokens"
        static let merges = "tokenizer.ggml.merges"
        static let tokenType = "tokenizer.ggml.token_type"
        static let bos = "tokenizer.ggml.bos_token_id"
        static let eos = "tokenizer.ggml.eos_token_id"
        static let unknown = "tokenizer.ggml.unknown_token_id"
        static let padding = "tokenizer.ggml.padding_token_id"
        static let addBOS = "tokenizer.ggml.add_bos_token"
        static let addEOS = "tokenizer.ggml.add_eos_token"
        static let chatTemplate = "tokenizer.chat_template"
    }
}

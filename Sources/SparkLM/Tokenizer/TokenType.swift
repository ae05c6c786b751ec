/// The kind of a vocabulary entry, as stored in GGUF's `tokenizer.ggml.token_type`
/// (the numbering is llama.cpp's `llama_token_type`).
public enum TokenType: Int32, Sendable, CaseIterable {
    case undefined = 0
    /// Ordinary text: its string is byte-level encoded (GPT-2 byte↔unicode map).
    case normal = 1
    case unknown = 2
    /// Markers such as `<|im_start|>`: matched in text only when special-token parsing is on,
    /// printed only when specials are rendered.
    case control = 3
    /// Added vocabulary words: always matched in text before BPE, printed as their raw text.
    case userDefined = 4
    case unused = 5
    /// A single raw byte written as `<0xAB>`.
    case byte = 6

    /// Tokens found in text by exact match before BPE runs (llama.cpp's special-token cache).
    var isMatchedBeforeBPE: Bool { self == .control || self == .userDefined || self == .unknown }

    /// Tokens that are matched only when the caller asks for special-token parsing.
    var needsSpecialParsing: Bool { self == .control || self == .unknown }
}

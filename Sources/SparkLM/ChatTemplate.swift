import Foundation

/// One turn of a conversation.
public struct ChatMessage: Sendable, Equatable {
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }

    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: "system", content: content) }
    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: "user", content: content) }
    public static func assistant(_ content: String) -> ChatMessage { ChatMessage(role: "assistant", content: content) }
}

/// ChatML, the conversation format of SmolLM2-Instruct (and Qwen, Hermes …):
///
///     <|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{text}<|im_end|>\n<|im_start|>assistant\n
///
/// A GGUF carries its template as Jinja source in `tokenizer.chat_template`. Rather than run
/// Jinja, this recognises a ChatML template and reads the one thing that varies between them:
/// the system message it inserts when a conversation does not start with one. The rendered text
/// is meant to be encoded with `parseSpecial: true` so the markers become their control tokens.
public struct ChatTemplate: Sendable, Equatable {
    public static let turnStartMarker = "<|im_start|>"
    public static let turnEndMarker = "<|im_end|>"

    /// Inserted as a system turn before a conversation whose first message is not a system
    /// message; nil inserts nothing. Configurable: set it to change the assistant's persona.
    public var defaultSystemMessage: String?

    public init(defaultSystemMessage: String?) {
        self.defaultSystemMessage = defaultSystemMessage
    }

    /// Reads a ChatML template from its Jinja source.
    /// - Throws: `TokenizerError` naming `tokenizer.chat_template` when the source is not ChatML.
    public init(jinjaSource: String, source: String = "vocabulary") throws {
        let field = TokenizerVocabulary.Key.chatTemplate
        for marker in [ChatTemplate.turnStartMarker, ChatTemplate.turnEndMarker] where !jinjaSource.contains(marker) {
            throw TokenizerError(source: source, field: field,
                                 problem: "not a ChatML template (it never writes \(marker)); only ChatML (<|im_start|>role\\n…<|im_end|>) is supported")
        }
        self.defaultSystemMessage = ChatTemplate.defaultSystemMessage(in: jinjaSource)
    }

    /// Reads the template of a vocabulary that came from a GGUF.
    /// - Throws: `TokenizerError` when the vocabulary has no chat template or it is not ChatML.
    public init(vocabulary: TokenizerVocabulary) throws {
        guard let jinja = vocabulary.chatTemplate else {
            throw TokenizerError(source: vocabulary.source, field: TokenizerVocabulary.Key.chatTemplate,
                                 problem: "missing; expected a ChatML chat template")
        }
        try self.init(jinjaSource: jinja, source: vocabulary.source)
    }

    /// The default system text written inside the template as a string literal,
    /// `'<|im_start|>system\n…<|im_end|>`, if the template inserts one.
    private static func defaultSystemMessage(in jinja: String) -> String? {
        for opener in ["<|im_start|>system\n", "<|im_start|>system\\n"] {
            guard let start = jinja.range(of: opener),
                  let end = jinja.range(of: turnEndMarker, range: start.upperBound..<jinja.endIndex) else { continue }
            let literal = String(jinja[start.upperBound..<end.lowerBound])
            // Text outside a string literal (a `{{ ... }}` expression) means the system text is
            // the caller's, not a fixed default.
            if literal.contains("{{") || literal.contains("{%") || literal.hasUnescapedQuote { return nil }
            return literal.replacingEscapes()
        }
        return nil
    }

    /// `<|im_start|>{role}\n` — what opens a turn; the sequence assembler uses it to place
    /// modality tokens inside a user turn.
    public func turnPrefix(role: String) -> String { "\(ChatTemplate.turnStartMarker)\(role)\n" }

    /// `<|im_end|>\n` — what closes a turn.
    public var turnSuffix: String { "\(ChatTemplate.turnEndMarker)\n" }

    /// `<|im_start|>assistant\n` — what asks the model for its reply.
    public var generationPrompt: String { turnPrefix(role: "assistant") }

    /// The whole conversation as text, as SmolLM2's template renders it: the default system
    /// turn if the first message is not a system message, every message as a turn, then the
    /// generation prompt if asked for.
    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool) -> String {
        var text = ""
        if let first = messages.first, first.role != "system", let system = defaultSystemMessage {
            text += turnPrefix(role: "system") + system + turnSuffix
        }
        for message in messages {
            text += turnPrefix(role: message.role) + message.content + turnSuffix
        }
        if addGenerationPrompt {
            text += generationPrompt
        }
        return text
    }
}

private extension String {
    /// Whether the text holds a `'` not preceded by a backslash, i.e. leaves a Jinja literal.
    var hasUnescapedQuote: Bool {
        var escaping = false
        for character in self {
            if escaping { escaping = false; continue }
            if character == "\\" { escaping = true } else if character == "'" { return true }
        }
        return false
    }

    /// Jinja string-literal escapes that may appear in a template's default system text.
    func replacingEscapes() -> String {
        var result = ""
        var escaping = false
        for character in self {
            if escaping {
                switch character {
                case "n": result.append("\n")
                case "t": result.append("\t")
                default: result.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        if escaping { result.append("\\") }
        return result
    }
}

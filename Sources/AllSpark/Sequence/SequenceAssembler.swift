import SparkLM

/// What occupies a stretch of the assembled sequence.
public enum SegmentKind: String, Sendable, Codable, CaseIterable {
    /// `<|im_start|>system\n…<|im_end|>\n`
    case system
    /// `<|im_start|>user\n`
    case userTurnStart
    /// The modality's tokens: bridge outputs as embedding rows, or the text/code sample's own ids.
    case modality
    /// The newline between the modality tokens and the prompt.
    case separator
    /// The task prompt.
    case prompt
    /// `<|im_end|>\n`
    case userTurnEnd
    /// `<|im_start|>assistant\n` — the generation prompt; the head reads the last position here.
    case assistantTurnStart
}

public struct SequenceSegment: Sendable, Equatable, Codable {
    public var kind: SegmentKind
    public var range: Range<Int>
    public var length: Int { range.count }
}

/// The decoder input for one sample and prompt, with a record of which positions hold what.
public struct AssembledSequence: Sendable {
    public var inputs: [DecoderInput]
    /// The token id of each position; nil where the position is an embedding row.
    public var tokenIds: [Int32?]
    public var segments: [SequenceSegment]

    public var count: Int { inputs.count }

    public func range(of kind: SegmentKind) -> Range<Int> {
        segments.first { $0.kind == kind }?.range ?? 0..<0
    }
}

/// The modality part of a sequence.
public enum ModalityTokens: Sendable {
    /// Bridge outputs, one row per position, in the language model's width.
    case embeddings(Tensor)
    /// Token ids (text and code samples, tokenised as they are).
    case tokens([Int32])
}

import SparkEngine

/// Builds the ChatML layout of ARCHITECTURE.md, modality tokens inside the user turn before the
/// prompt, as Lynx places its visual tokens:
///
///     <|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{MODALITY}\n{prompt}<|im_end|>\n<|im_start|>assistant\n
///
/// Each part is tokenised on its own; the boundaries are where the tokenizer would split anyway
/// (special tokens and a lone newline), so the ids equal those of the whole text.
public struct SequenceAssembler: Sendable {
    public let tokenizer: BPETokenizer
    public let template: ChatTemplate
    /// The system text; nil uses the template's default (and no system turn if it has none).
    public let systemPrompt: String?
    public let maximumLength: Int

    public init(tokenizer: BPETokenizer, template: ChatTemplate, systemPrompt: String?, maximumLength: Int) {
        self.tokenizer = tokenizer; self.template = template
        self.systemPrompt = systemPrompt; self.maximumLength = maximumLength
    }

    public func assemble(_ modality: ModalityTokens, prompt: String) throws -> AssembledSequence {
        var inputs: [DecoderInput] = []
        var ids: [Int32?] = []
        var segments: [SequenceSegment] = []
        func appendText(_ text: String, _ kind: SegmentKind) {
            let start = inputs.count
            for id in tokenizer.encode(text, parseSpecial: kind != .prompt) { inputs.append(.token(id)); ids.append(id) }
            if inputs.count > start { segments.append(SequenceSegment(kind: kind, range: start..<inputs.count)) }
        }
        if let system = systemPrompt ?? template.defaultSystemMessage {
            appendText(template.turnPrefix(role: "system") + system + template.turnSuffix, .system)
        }
        appendText(template.turnPrefix(role: "user"), .userTurnStart)
        let modalityStart = inputs.count
        switch modality {
        case .embeddings(let rows):
            precondition(rows.rank == 2)
            for r in 0..<rows.shape[0] { inputs.append(.embedding(rows[row: r].scalars)); ids.append(nil) }
        case .tokens(let tokens):
            for id in tokens { inputs.append(.token(id)); ids.append(id) }
        }
        segments.append(SequenceSegment(kind: .modality, range: modalityStart..<inputs.count))
        appendText("\n", .separator)
        appendText(prompt, .prompt)
        appendText(template.turnSuffix, .userTurnEnd)
        appendText(template.generationPrompt, .assistantTurnStart)
        guard inputs.count <= maximumLength else {
            let modalityCount = inputs.count - segments.filter { $0.kind != .modality }.reduce(0) { $0 + $1.length }
            throw SequenceError.tooLong(length: inputs.count, limit: maximumLength, modalityTokens: modalityCount)
        }
        return AssembledSequence(inputs: inputs, tokenIds: ids, segments: segments)
    }
}

public enum SequenceError: Error, CustomStringConvertible, Equatable, Sendable {
    case tooLong(length: Int, limit: Int, modalityTokens: Int)

    public var description: String {
        switch self {
        case let .tooLong(length, limit, modalityTokens):
            return "the assembled sequence is \(length) positions (\(modalityTokens) of them the sample's tokens); the context holds \(limit). Use a shorter sample or prompt, or raise languageModel.maxContext."
        }
    }
}

import SparkEngine
import SparkLM

/// The layout every training sequence of one prompt shares, cut where training needs it:
///
///     [system turn]  ← cached prefix, identical for every sample, computed once (in the body
///                      instead while the adapters train, see `init`)
///     <|im_start|>user\n {Q modality rows} \n {prompt} <|im_end|>\n <|im_start|>assistant\n {answer} <|im_end|> {padding}
///
/// Rows after the prefix are the "body" a training batch runs. The head reads the body's row
/// `headRow` (the generation prompt's last position: exactly what inference reads, since later
/// rows cannot reach it through causal attention) or the mean of the modality rows; for the
/// latter, with no answer to learn, the batch runs the body only up to its last modality row.
public struct TrainingSequence: Sendable {
    /// Token ids of the system turn (the cached prefix).
    public var prefixTokens: [Int32]
    /// Token ids of the body before the modality rows, and after them up to the generation prompt's end.
    public var before: [Int32]
    public var after: [Int32]
    /// Modality rows (the bridge's queries).
    public var modalityCount: Int
    /// The id that ends an answer (`<|im_end|>`), also used as padding (no loss on padding).
    public var endToken: Int32

    /// Body rows before the answer.
    public var promptLength: Int { before.count + modalityCount + after.count }
    /// The row (in the body) whose hidden state a `last`-pooling head reads.
    public var headRow: Int { promptLength - 1 }
    public var modalityRows: Range<Int> { before.count..<(before.count + modalityCount) }

    /// `cachesSystemTurn` false puts the system turn at the start of the body instead (no prefix):
    /// when the adapters train, the system turn's keys and values depend on them, and only rows
    /// that run in the batch pass their share of the adapters' gradient back.
    public init(assembler: SequenceAssembler, prompt: String, modalityCount: Int, width: Int, cachesSystemTurn: Bool = true) throws {
        let assembled = try assembler.assemble(.embeddings(Tensor(zeros: [modalityCount, width])), prompt: prompt)
        let ids = assembled.tokenIds
        let system = assembled.range(of: .system)
        let modality = assembled.range(of: .modality)
        prefixTokens = cachesSystemTurn ? ids[system].map { $0! } : []
        before = ids[(cachesSystemTurn ? system.upperBound : 0)..<modality.lowerBound].map { $0! }
        after = ids[modality.upperBound...].map { $0! }
        self.modalityCount = modalityCount
        let end = assembler.tokenizer.encode(ChatTemplate.turnEndMarker, parseSpecial: true)
        precondition(end.count == 1, "the chat template's end marker is not one token")
        endToken = end[0]
    }

    /// Body token ids (nil at modality rows) for an answer, padded to `length` rows, and the
    /// language-model targets: (body row, token that row must predict) for each answer token and
    /// the end marker.
    public func body(answer: [Int32], length: Int) -> (ids: [Int32?], targets: [(row: Int, token: Int32)]) {
        var ids: [Int32?] = before.map { $0 } + Array(repeating: nil, count: modalityCount) + after.map { $0 }
        let spoken = answer + [endToken]
        var targets: [(row: Int, token: Int32)] = []
        for token in spoken {
            targets.append((row: ids.count - 1, token: token))
            ids.append(token)
        }
        while ids.count < length { ids.append(endToken) }
        precondition(ids.count == length, "an answer of \(answer.count) tokens does not fit \(length) rows")
        return (ids, targets)
    }

    /// Rows a batch needs for answers of these token counts (the longest, plus its end marker).
    public func bodyLength(answerLengths: [Int]) -> Int {
        promptLength + (answerLengths.max() ?? 0) + 1
    }
}

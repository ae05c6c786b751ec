/// Why a vocabulary could not be turned into a tokenizer. Every message names where the bad value
/// came from (a GGUF key, or `vocabulary` for a hand-built one), what was wrong and what was expected.
public struct TokenizerError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Where the vocabulary came from: a file path, or a short label for an in-memory vocabulary.
    public var source: String
    /// The field at fault, e.g. `tokenizer.ggml.merges[17]`.
    public var field: String
    /// What is wrong and what was expected.
    public var problem: String

    public init(source: String, field: String, problem: String) {
        self.source = source
        self.field = field
        self.problem = problem
    }

    public var description: String { "\(source): \(field): \(problem)" }
}

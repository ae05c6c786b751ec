/// Errors from loading or running a language model. Messages name the file or the input, the
/// problem and what was expected.
public enum LMError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The model file is not a model this decoder can run (architecture, tensor type, shape, key).
    case unsupportedModel(file: String, problem: String)
    /// A request the model cannot serve (context overflow, bad token id, wrong embedding width).
    case invalidInput(String)
    /// Generation was stopped by the caller.
    case cancelled

    public var description: String {
        switch self {
        case .unsupportedModel(let file, let problem): return "\(file): \(problem)"
        case .invalidInput(let text): return text
        case .cancelled: return "cancelled"
        }
    }
}

/// Errors from loading samples. Every message names the file, what is wrong and what was expected.
public enum DataError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A file that exists but whose content is wrong: `file`, then the problem and the expectation.
    case malformed(file: String, problem: String)
    /// A file or folder that cannot be read at all (missing, a directory, permissions, too large).
    case unreadable(file: String, problem: String)
    /// A bad argument that is not about a file (unknown modality, bad option value).
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .malformed(let file, let problem): return "\(file): \(problem)"
        case .unreadable(let file, let problem): return "\(file): \(problem)"
        case .invalidArgument(let text): return text
        }
    }
}

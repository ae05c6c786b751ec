/// A checkpoint that does not fit the configuration's parameters: every offending tensor in one
/// message, so a user fixes them all at once instead of one per run.
public struct CheckpointMismatch: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Problem: Equatable, Sendable {
        /// The module is covered by the checkpoint but this tensor is not in it.
        case missing(name: String, expectedShape: [Int])
        /// In the checkpoint under a covered module, but nothing asks for it.
        case unexpected(name: String, shape: [Int])
        case wrongShape(name: String, found: [Int], expected: [Int])
        case wrongDType(name: String, found: String)
        /// Two checkpoints claim the same module.
        case coveredTwice(module: String, files: [String])
    }

    public var files: [String]
    public var problems: [Problem]

    public init(files: [String], problems: [Problem]) {
        self.files = files; self.problems = problems
    }

    public var description: String {
        var lines = ["checkpoint \(files.joined(separator: ", ")) does not fit the configuration (\(problems.count) problem\(problems.count == 1 ? "" : "s")):"]
        for problem in problems {
            switch problem {
            case .missing(let name, let shape):
                lines.append("  missing \(name): the configuration needs shape \(shape)")
            case .unexpected(let name, let shape):
                lines.append("  unexpected \(name) \(shape): nothing in the configuration uses it (misspelt, or another layout?)")
            case .wrongShape(let name, let found, let expected):
                lines.append("  wrong shape \(name): checkpoint has \(found), the configuration needs \(expected)")
            case .wrongDType(let name, let found):
                lines.append("  wrong dtype \(name): \(found); expected F32, F16 or BF16")
            case .coveredTwice(let module, let files):
                lines.append("  module \(module) is in more than one checkpoint: \(files.joined(separator: ", "))")
            }
        }
        return lines.joined(separator: "\n")
    }
}

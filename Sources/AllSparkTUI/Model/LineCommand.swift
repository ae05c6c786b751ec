import AllSparkData

/// The `:` command line's commands. Like the key table, this list is what help shows and what
/// `parse` accepts.
public enum LineCommand: Equatable, Sendable {
    case quit
    case help
    case modality(Modality)
    case filter(String)
    case rescan
    case widgets
    case tokens(Int)
    case prompt(Int)
    case demoJob(seconds: Double)

    public struct Spec: Sendable {
        public var names: [String]
        public var arguments: String
        public var help: String
    }

    public static let specs: [Spec] = [
        Spec(names: ["quit", "q"], arguments: "", help: "quit"),
        Spec(names: ["help", "h"], arguments: "", help: "show the keys and commands"),
        Spec(names: ["modality", "m"], arguments: "NAME", help: "choose a modality (" + Modality.allCases.map(\.rawValue).joined(separator: ", ") + ")"),
        Spec(names: ["filter", "f"], arguments: "[TEXT]", help: "filter the sample list (no text: show all)"),
        Spec(names: ["rescan"], arguments: "", help: "read the samples/ folders again"),
        Spec(names: ["tokens", "t"], arguments: "N", help: "how many tokens the generation stage produces (0 to 2048; default 48)"),
        Spec(names: ["prompt", "p"], arguments: "N", help: "use prompt N of the modality's prompts (p lists them)"),
        Spec(names: ["widgets"], arguments: "", help: "show the chart widgets on example data in the detail pane"),
        Spec(names: ["demo-job"], arguments: "[SECONDS]", help: "run a demonstration background job (default 5 s; Ctrl-c cancels), to try the job controls without the model"),
    ]

    /// Parses a command line; the error says what was wrong and what is accepted.
    public static func parse(_ line: String) -> Result<LineCommand, CommandError> {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let name = words.first?.lowercased() else { return .failure(CommandError("empty command; try :help")) }
        let rest = Array(words.dropFirst())
        guard let spec = specs.first(where: { $0.names.contains(name) }) else {
            return .failure(CommandError("unknown command '\(name)'; commands: " + specs.map { $0.names[0] }.joined(separator: ", ")))
        }
        switch spec.names[0] {
        case "quit", "help", "rescan", "widgets":
            guard rest.isEmpty else { return .failure(CommandError(":\(spec.names[0]) takes no arguments")) }
            let plain: [String: LineCommand] = ["quit": .quit, "help": .help, "rescan": .rescan, "widgets": .widgets]
            return .success(plain[spec.names[0]]!)
        case "modality":
            guard rest.count == 1 else { return .failure(CommandError(":modality needs one name: " + spec.help)) }
            do { return .success(.modality(try Modality.parse(rest[0]))) } catch {
                return .failure(CommandError("\(error)"))
            }
        case "filter":
            return .success(.filter(rest.joined(separator: " ")))
        case "tokens", "prompt":
            let name = spec.names[0]
            let limit = name == "tokens" ? (0...2048) : (1...10_000)
            guard rest.count == 1, let number = Int(rest[0]), limit.contains(number) else {
                return .failure(CommandError(":\(name) needs one whole number from \(limit.lowerBound) to \(limit.upperBound)\(rest.isEmpty ? "" : ", got '\(rest.joined(separator: " "))'")"))
            }
            return .success(name == "tokens" ? .tokens(number) : .prompt(number))
        default:  // demo-job
            guard rest.count <= 1 else { return .failure(CommandError(":demo-job takes at most one number of seconds")) }
            guard let seconds = rest.first.map({ Double($0) }) ?? 5, seconds.isFinite, seconds > 0, seconds <= 600 else {
                return .failure(CommandError(":demo-job needs a number of seconds between 0 and 600, got '\(rest[0])'"))
            }
            return .success(.demoJob(seconds: seconds))
        }
    }
}

public struct CommandError: Error, Equatable, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

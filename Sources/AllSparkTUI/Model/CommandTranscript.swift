/// A REPL command run from the `:` line, and its output as it arrives (stage blocks as each stage
/// finishes, generated text piece by piece).
public struct CommandTranscript: Equatable, Sendable {
    public var command: String
    /// Everything printed so far, line breaks included.
    public var text = ""
    public var running = true

    public init(command: String) { self.command = command }

    public mutating func append(_ piece: String) { text += piece }

    /// The output as lines, without the empty line a final line break leaves.
    public var lines: [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}

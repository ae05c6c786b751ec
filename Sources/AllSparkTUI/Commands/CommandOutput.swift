/// What a command printed and what it changed.
///
/// `lines` is the whole output; a caller that passed `onText` to `execute` has already received
/// the same text piece by piece as it was produced (stage blocks as each stage finished, generated
/// text token by token), so it need not print `lines` again.
public struct CommandOutput: Equatable, Sendable {
    public var lines: [String]
    /// The selection (modality, sample, prompt, prompt list) or the trace changed: views that show
    /// the pipeline should be redrawn from `session.trace`.
    public var stagesChanged: Bool
    /// The command asked to leave (`quit`).
    public var quit: Bool

    public init(lines: [String] = [], stagesChanged: Bool = false, quit: Bool = false) {
        self.lines = lines; self.stagesChanged = stagesChanged; self.quit = quit
    }
}

/// Collects a command's output as lines while passing it on, as it comes, to `onText`.
final class OutputWriter {
    private(set) var lines: [String] = []
    /// Text of an unfinished line (generated pieces arrive without line breaks).
    private var partial = ""
    private let onText: (String) -> Void

    init(onText: @escaping (String) -> Void) { self.onText = onText }

    func line(_ text: String = "") {
        finishPartialLine()
        lines.append(text)
        onText(text + "\n")
    }

    func lines(_ texts: [String]) { texts.forEach { line($0) } }

    /// Text that continues the current line (may contain line breaks of its own).
    func text(_ piece: String) {
        guard !piece.isEmpty else { return }
        onText(piece)
        let parts = (partial + piece).split(separator: "\n", omittingEmptySubsequences: false)
        lines += parts.dropLast().map(String.init)
        partial = String(parts.last ?? "")
    }

    /// Ends a line begun with `text`, if any.
    func finishPartialLine() {
        guard !partial.isEmpty else { return }
        lines.append(partial)
        partial = ""
        onText("\n")
    }
}

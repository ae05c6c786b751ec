import Foundation

/// Decides, before any ncurses call, whether the full-screen interface can run here.
public enum TerminalCheck {
    /// Why the TUI cannot start (nil when it can): stdin and stdout must both be terminals and
    /// TERM must name a terminal type (an unknown type is caught later, when `newterm` fails).
    public static func problem(stdinIsTerminal: Bool, stdoutIsTerminal: Bool, term: String?) -> String? {
        var missing: [String] = []
        if !stdinIsTerminal { missing.append("standard input") }
        if !stdoutIsTerminal { missing.append("standard output") }
        if !missing.isEmpty {
            return "allspark's full-screen interface needs a terminal, but \(missing.joined(separator: " and ")) "
                + (missing.count == 1 ? "is not one" : "are not terminals") + "."
        }
        guard let term, !term.isEmpty else {
            return "allspark's full-screen interface needs a terminal type, but TERM is not set."
        }
        if term == "dumb" {
            return "allspark's full-screen interface cannot run on TERM=dumb (no cursor movement)."
        }
        return nil
    }

    /// The same check on this process.
    public static func currentProblem() -> String? {
        problem(stdinIsTerminal: isatty(STDIN_FILENO) == 1, stdoutIsTerminal: isatty(STDOUT_FILENO) == 1,
                term: ProcessInfo.processInfo.environment["TERM"])
    }

    /// What to do instead, printed after the problem.
    public static let alternatives = """
        For batch use (one sample in, results out), see:   allspark run --help
        For a line-based session without full-screen mode: allspark repl
        """
}

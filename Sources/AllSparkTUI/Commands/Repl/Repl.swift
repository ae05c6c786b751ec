import AllSpark
import Foundation
import SparkEngine

/// The read–eval–print loop of `allspark repl`: reads a command line, runs it through the
/// interpreter with Ctrl-C wired to its cancellation flag, prints its output as it comes.
///
/// At a terminal a person types (readline, banner, errors never end the loop); from a pipe it runs
/// a script: blank lines and lines starting with # are skipped, and the exit status is 1 if any
/// command failed.
public final class Repl {
    public let interpreter: CommandInterpreter
    private let input: ReplLineSource
    private let history: CommandHistory?
    private let interrupts: ReplInterrupts

    public init(interpreter: CommandInterpreter, input: ReplLineSource, history: CommandHistory?, interrupts: ReplInterrupts) {
        self.interpreter = interpreter
        self.input = input
        self.history = history
        self.interrupts = interrupts
    }

    /// Runs until `quit` or the end of input; returns the exit status.
    public func run() -> Int32 {
        if input.isInteractive { banner().forEach { Self.write($0 + "\n") } }
        var failed = false
        while let line = input.readLine() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            input.remember(trimmed)
            history?.add(trimmed)
            do {
                let output = try interrupts.whileRunning { cancel in
                    try interpreter.execute(trimmed, cancel: cancel) { Self.write($0) }
                }
                if output.quit { return input.isInteractive || !failed ? 0 : 1 }
            } catch {
                failed = true
                Self.writeError("error: \(error)")
            }
        }
        if input.isInteractive { Self.write("\n") }
        return input.isInteractive || !failed ? 0 : 1
    }

    func banner() -> [String] {
        let session = interpreter.session
        return ["\(AllSparkVersion.name) \(AllSparkVersion.version) · \(session.model.configuration.name) · \(session.modality.rawValue) (\(session.modality.displayName))"
                + " · sample: " + (session.sampleReference?.text ?? "none"),
                "help lists the commands; Tab completes; Ctrl-C stops a run; Ctrl-D or quit leaves."]
    }

    static func write(_ text: String) {
        fputs(text, stdout)
        fflush(stdout)
    }

    static func writeError(_ text: String) {
        fflush(stdout)
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

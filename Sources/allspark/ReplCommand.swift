import AllSpark
import AllSparkData
import AllSparkTUI
import ArgumentParser
import Foundation

/// `allspark repl`: the pipeline one command at a time, at a readline prompt or from a script.
struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Step through the model one command at a time (readline prompt, or commands from a pipe).",
        discussion: """
            Commands: modality, samples, sample, prompts, prompt (N | set TEXT | save), step, \
            run [STAGE], show [STAGE], generate [N] [--temp …], compare prompts|samples A B, status, \
            save FILE.json, export STAGE DIR, help [COMMAND], quit. `help` inside explains each; the \
            TUI's `:` line takes the same commands.

            At a terminal, lines are edited with readline: Tab completes commands, modalities, stage \
            names and file paths; Up and Ctrl-r recall earlier commands, kept in \
            $XDG_STATE_HOME/allspark/history (default ~/.local/state/allspark/history). Ctrl-C stops \
            a running step, run or generation; Ctrl-C at the prompt, a second Ctrl-C, Ctrl-D or quit \
            leaves.

            Without a terminal (standard input or output not a terminal, e.g. `allspark repl < \
            script.txt`), commands are read line by line without readline: no prompt, no banner, no \
            history; blank lines and lines starting with # are skipped, errors go to standard error \
            and the exit status is 1 if any command failed.
            """)

    @OptionGroup var config: ConfigurationOption

    @Option(help: "The modality to start with: \(Modality.allCases.map(\.rawValue).joined(separator: ", ")).")
    var modality = "rgb"

    @Option(help: "The sample to start with (default: the first listed sample of the modality).")
    var sample: String?

    @Option(help: ArgumentHelp("The folder holding one sample folder per modality.", valueName: "dir"))
    var samples = "samples"

    @Option(help: "Tokens to generate by default (generate N changes it).")
    var generate = 48

    @OptionGroup var sampling: SamplingOptions

    func validate() throws {
        guard (1...InterpreterCommand.maximumNewTokens).contains(generate) else {
            throw ValidationError("--generate must be 1…\(InterpreterCommand.maximumNewTokens)")
        }
    }

    func run() throws {
        let interactive = isatty(STDIN_FILENO) != 0 && isatty(STDOUT_FILENO) != 0
        let interrupts = ReplInterrupts {
            FileHandle.standardError.write(Data("\n[stopping; Ctrl-C again to quit]\n".utf8))
        }
        let interpreter = try reportingErrors("repl") { () throws -> CommandInterpreter in
            let modality = try Modality.parse(self.modality)
            let model = try AllSparkModel(configuration: config.load())
            let session = try PipelineSession(model: model, modality: modality)
            session.generationSettings = try sampling.settings
            session.maxNewTokens = generate
            let interpreter = CommandInterpreter(session: session, samplesDirectory: samples)
            if let sample {
                try interpreter.execute("sample \(Self.quoted(sample))")
            } else {
                // Selects the modality's first listed sample, when it has one.
                try interpreter.execute("modality \(modality.rawValue)")
            }
            return interpreter
        }
        let input: ReplLineSource
        var history: CommandHistory?
        if interactive {
            let kept = CommandHistory { FileHandle.standardError.write(Data("allspark repl: \($0)\n".utf8)) }
            history = kept
            input = ReadlinePrompt(prompt: "allspark> ", history: kept.entries) { line in
                interpreter.wordCompletion(for: line).candidates
            }
        } else {
            input = PipedLines()
        }
        let status = Repl(interpreter: interpreter, input: input, history: history, interrupts: interrupts).run()
        if status != 0 { throw ExitCode(status) }
    }

    /// A path as one word for the interpreter.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

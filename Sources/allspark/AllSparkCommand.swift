import ArgumentParser
import SparkEngine

/// `allspark`: with no subcommand on a terminal, opens the TUI; every other use is a subcommand.
/// Each subcommand lives in its own file (`<Name>Command.swift`) and is listed here.
@main
struct AllSparkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allspark",
        abstract: "Run the AllSpark multimodal model on a CPU and watch it think.",
        version: "\(AllSparkVersion.name) \(AllSparkVersion.version)",
        subcommands: [
            // Keep one per line, alphabetical, so parallel work merges cleanly.
            BenchCommand.self,
            ChatCommand.self,
            DoctorCommand.self,
            EvalCommand.self,
            ExportCommand.self,
            InspectCommand.self,
            ReplCommand.self,
            RunCommand.self,
            ShapesCommand.self,
            SynthCommand.self,
            TrainCommand.self,
            TokenizeCommand.self,
            TraceExportCommand.self,
            TUICommand.self,
        ]
    )

    @OptionGroup var display: TUIFlags

    /// No subcommand: the full-screen interface (or, without a terminal, a message pointing to
    /// `allspark run` and `allspark repl`).
    func run() throws {
        try TUICommand.open(display)
    }
}

import ArgumentParser

/// `allspark bench`: speed measurements. Each benchmark is a subcommand in its own file
/// (`Bench<Name>Command.swift`), listed here.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the speed of the engine and the model on this machine.",
        subcommands: [
            // Keep one per line, alphabetical, so parallel work merges cleanly.
            BenchGemmCommand.self,
            BenchLLMCommand.self,
            BenchPipelineCommand.self,
            BenchTrainCommand.self,
        ]
    )
}

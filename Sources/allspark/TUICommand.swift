import AllSpark
import AllSparkTUI
import ArgumentParser
import Foundation

/// How the full-screen interface looks and where it finds samples; shared by `allspark` (no
/// subcommand) and `allspark tui`.
struct TUIFlags: ParsableArguments {
    @Flag(name: .customLong("no-color"), help: "Draw without colours (also when the NO_COLOR environment variable is set).")
    var noColor = false

    @Flag(help: "Draw with ASCII only: no box drawing, half blocks or braille.")
    var ascii = false

    @Option(help: ArgumentHelp("The folder holding one sample folder per modality.", valueName: "dir"))
    var samples = "samples"
}

/// `allspark tui`: the full-screen interface (what `allspark` alone opens).
struct TUICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "Open the full-screen interface (the default when allspark is run without a subcommand).",
        discussion: """
            Needs a terminal of at least 80 × 24. Press ? inside for every key; q quits. The model \
            loads in the background (another configuration: allspark tui --config FILE); n runs \
            the next stage, r every stage.
            Without a terminal (input or output redirected), use `allspark run` or `allspark repl`.
            """)

    @OptionGroup var flags: TUIFlags

    // Here and not in TUIFlags: on the root command it would take `--config` from every subcommand.
    @Option(name: .customLong("config"), help: ArgumentHelp("The model configuration (JSON).", valueName: "file"))
    var configurationFile = AllSparkConfiguration.defaultPath

    @Option(name: .customLong("prompt-dir"), help: ArgumentHelp(ConfigurationOption.promptDirectoryHelp, valueName: "dir"))
    var promptDirectory: String?

    func run() throws { try Self.open(flags, configuration: configurationFile, promptDirectory: promptDirectory) }

    /// Runs the interface; without a usable terminal, prints why and what to use instead and
    /// exits with status 1.
    static func open(_ flags: TUIFlags, configuration: String = AllSparkConfiguration.defaultPath, promptDirectory: String? = nil) throws {
        let options = TUIOptions(noColor: flags.noColor, ascii: flags.ascii, samplesDirectory: flags.samples,
                                 configurationPath: configuration, promptUserDirectory: promptDirectory,
                                 environment: ProcessInfo.processInfo.environment)
        let status: Int32
        do {
            status = try TUIApp.run(options)
        } catch let unavailable as TUIUnavailable {
            FileHandle.standardError.write(Data((unavailable.description + "\n").utf8))
            throw ExitCode(1)
        }
        if status != 0 { throw ExitCode(status) }
    }
}

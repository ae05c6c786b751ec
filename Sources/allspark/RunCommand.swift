import AllSpark
import AllSparkData
import ArgumentParser
import Foundation
import SparkEngine
import SparkLM

/// `allspark run`: the whole pipeline once, every stage printed (or the trace as JSON).
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the whole model once on a sample and print every stage (or the JSON trace).",
        discussion: """
            Stages: sample, encoder, bridge, prompt, sequence, language model, head, generation. \
            Each line gives the stage's output shape, wall time, statistics and the provenance of \
            the component that produced it; untrained components are marked UNTRAINED and their \
            predictions are not predictions of anything. Without --sample, the first sample listed in \
            samples/<modality>/index.json is used. A sample path may carry loader options after \
            '#': samples/trajectory/eth.txt#pedestrian=3&start=120.
            """)

    @OptionGroup var selection: SessionOptions

    @Option(help: "Tokens to generate (default: 48 for text and code, 0 — no generation — otherwise).")
    var generate: Int?

    @Flag(help: "Print the trace as JSON for scripts.")
    var json = false

    @OptionGroup var sampling: SamplingOptions

    func validate() throws {
        if let generate, generate < 0 { throw ValidationError("--generate must be ≥ 0") }
    }

    func run() throws {
        let watcher = InterruptWatcher()
        try reportingErrors("run") {
            let session = try selection.openSession()
            let modality = session.modality
            session.generationSettings = try sampling.settings
            let tokens = generate ?? (modality.usesTokenizer ? 48 : 0)
            session.maxNewTokens = tokens
            let last: PipelineStage = tokens > 0 ? .generation : .head
            if json {
                try watcher.generation { cancel in try session.run(through: last, cancel: cancel) }
                print(try TraceExport(session: session).json())
                return
            }
            let printer = StagePrinter(session: session)
            printer.header()
            let observer = StageRunObserver(
                willRun: { stage in if stage == .generation { print("generation: ", terminator: ""); fflush(stdout) } },
                text: { piece in print(piece, terminator: ""); fflush(stdout) },
                didRun: { stage in
                    if stage == .generation { print() }
                    printer.show(stage)
                })
            try watcher.generation { cancel in try session.run(through: last, cancel: cancel, observer: observer) }
            printer.footer()
        }
    }
}

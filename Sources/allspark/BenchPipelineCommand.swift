import AllSpark
import AllSparkData
import AllSparkTUI
import ArgumentParser
import Foundation

/// `allspark bench pipeline`: the median time of each stage, sample → head, for each modality.
struct BenchPipelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Time each pipeline stage (sample → head, no generation) for every modality.",
        discussion: """
            For each modality, on its first listed sample: one warm-up run (it builds the modality's \
            encoder, bridge and head and the language lens; its time is shown as 'first'), then \
            --repeats runs; the table gives each stage's median and the median of whole runs, in \
            milliseconds. Modalities that cannot run in this build (no encoder yet, no section in \
            the configuration, no samples) are listed as skipped with the reason. Build with \
            -c release before timing anything. The exit status is 1 if a modality failed.
            """)

    @OptionGroup var config: ConfigurationOption

    @Option(help: "Timed runs per modality after the warm-up.")
    var repeats = 5

    @Option(name: .customLong("modality"), help: "Time only this modality (repeatable; default: all 13).")
    var modalities: [String] = []

    @Option(help: ArgumentHelp("The folder holding one sample folder per modality.", valueName: "dir"))
    var samples = "samples"

    /// The target of the model issue: sample → head under a second on this machine.
    static let targetSeconds = 1.0

    func validate() throws {
        guard (1...1000).contains(repeats) else { throw ValidationError("--repeats must be 1…1000") }
    }

    func run() throws {
        try reportingErrors("bench pipeline") {
            let chosen = try modalities.isEmpty ? Modality.allCases : modalities.map(Modality.parse)
            let model = try AllSparkModel(configuration: config.load())
            print("allspark bench pipeline · \(model.configuration.name) · \(repeats) runs per modality after one warm-up · median ms, sample → head, no generation")
            let stages = PipelineBenchmark.stages
            let titles = stages.map { $0 == .languageModel ? "lm" : $0.identifier }
            print(TextColumns.row([("modality", 11)] + titles.map { ($0, 9) } + [("total", 9), ("first", 9), ("", 0)]))
            var failed = false, met: [String] = [], missed: [String] = []
            for modality in chosen {
                fflush(stdout)
                switch PipelineBenchmark.measure(modality, model: model, samplesDirectory: samples, repeats: repeats) {
                case .measured(let m):
                    let cells = stages.map { (Self.milliseconds(m.stageMedians[$0] ?? 0), 9) }
                    let verdict = m.totalMedian < Self.targetSeconds ? "✓ < 1 s" : "✗ over 1 s"
                    if m.totalMedian < Self.targetSeconds { met.append(modality.rawValue) } else { missed.append(modality.rawValue) }
                    print(TextColumns.row([(modality.rawValue, 11)] + cells + [(Self.milliseconds(m.totalMedian), 9), (Self.milliseconds(m.firstRun), 9), (verdict + "  " + m.sample, 0)]))
                case .skipped(let reason):
                    print(TextColumns.row([(modality.rawValue, 11), ("skipped: " + reason, 0)]))
                case .failed(let reason):
                    failed = true
                    print(TextColumns.row([(modality.rawValue, 11), ("FAILED: " + reason, 0)]))
                }
            }
            print("target under 1 s per modality: " + (met.isEmpty ? "met by none" : "met by " + met.joined(separator: ", "))
                  + (missed.isEmpty ? "" : "; missed by " + missed.joined(separator: ", ")))
            if failed { throw ExitCode.failure }
        }
    }

    static func milliseconds(_ seconds: Double) -> String {
        let text = String(format: "%.1f", seconds * 1000)
        return String(repeating: " ", count: max(0, 8 - text.count)) + text
    }
}

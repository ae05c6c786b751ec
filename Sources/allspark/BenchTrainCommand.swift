import AllSpark
import AllSparkData
import ArgumentParser
import Foundation
import SparkEngine
import SparkLM

/// `allspark bench train`: how fast one training step is, phase by phase, and how close the
/// language model's passes come to the machine's sgemm rate measured in the same run.
struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Time training steps of one modality, phase by phase, against sgemm.",
        discussion: """
            Generates a few samples of the modality (allspark synth's generator, in a temporary \
            folder), then times --steps training steps after one warm-up step: samples per second, \
            the time of each phase (encoder + bridge on the tape, the language model's forward, \
            head and losses, the whole backward and the language model's part of it), the language \
            model's achieved GFLOP/s (its matrix products: 2·rows·(weights) forward, the same again \
            for the input gradient backward; attention not counted) and the ratio to a 1024² \
            cblas_sgemm timed in the same run, and the peak resident memory. Build in release mode.
            """)

    @Option(help: "The modality (rgb, trajectory).") var modality: String = "rgb"
    @Option(help: "Samples per step.") var batch: Int = 8
    @Option(help: "Timed steps (after one warm-up step).") var steps: Int = 3
    @OptionGroup var configuration: ConfigurationOption
    @Flag(help: "Print the results as JSON.") var json = false

    func validate() throws {
        guard let m = Modality(rawValue: modality), SyntheticGenerators.generator(for: m) != nil else {
            throw ValidationError("--modality needs a trainable modality with a generator (rgb, trajectory)")
        }
        if batch <= 0 || steps <= 0 { throw ValidationError("--batch and --steps must be positive") }
    }

    struct Report: Codable {
        var modality: String
        var batch: Int
        var steps: Int
        var rowsPerStep: Int
        var samplesPerSecond: Double
        var seconds: [String: Double]
        var languageModelGFLOPs: Double
        var languageModelForwardGFLOPPerSecond: Double
        var languageModelBackwardGFLOPPerSecond: Double
        var sgemmGFLOPPerSecond: Double
        var backwardToSgemm: Double
        var peakResidentMB: Double
        var cpu: String
    }

    func run() throws {
        try reportingErrors("bench train") {
            let modality = Modality(rawValue: self.modality)!
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("allspark-bench-train-\(getpid())").path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            _ = try SyntheticGenerators.generator(for: modality)!.generate(count: max(batch, 8), seed: 5, directory: directory)
            let model = try AllSparkModel(configuration: configuration.load())
            try ModalityTrainer.checkTrainable(model: model, modality: modality)
            let decoder = DecoderTrainer(decoder: model.languageModel.decoder)
            let trainer = try ModalityTrainer(model: model, modality: modality, decoder: decoder, options: TrainingOptions())
            let components = try model.components(modality)
            var data = try TrainingDataset.load(directory: directory, modality: modality, inputs: model.trainingInputs(modality),
                                                head: components.head.section)
            while data.examples.count < batch { data.examples += data.examples }
            let examples = Array(data.examples.prefix(batch))
            let prompt = try model.prompts(modality).prompts[0].text
            _ = try trainer.step(examples, prompt: prompt)  // warm-up: dense copies paged in, prefix cached
            var total = StepTimings(), wall = 0.0, fastest = Double.infinity, rows = 0
            for _ in 0..<steps {
                let start = Date()
                let result = try trainer.step(examples, prompt: prompt)
                let seconds = Date().timeIntervalSince(start)
                wall += seconds
                fastest = min(fastest, seconds)
                rows = result.languageModelRows
                total.encoderAndBridge += result.timings.encoderAndBridge
                total.languageModelForward += result.timings.languageModelForward
                total.headAndLosses += result.timings.headAndLosses
                total.backward += result.timings.backward
                total.languageModelBackward += result.timings.languageModelBackward
            }
            let c = model.languageModel.configuration
            let perRow = Double(c.layerCount) * 2 * Double(c.width * (c.width + 2 * c.keyValueWidth) + c.width * c.width + 3 * c.width * c.feedForwardWidth)
            let gflop = perRow * Double(rows) / 1e9
            let n = Double(steps)
            let sgemm = Self.sgemmRate()
            let forwardRate = gflop / (total.languageModelForward / n), backwardRate = gflop / (total.languageModelBackward / n)
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            let report = Report(
                modality: modality.rawValue, batch: batch, steps: steps, rowsPerStep: rows, samplesPerSecond: Double(batch) * n / wall,
                seconds: ["step": wall / n, "fastest step": fastest, "encoder+bridge": total.encoderAndBridge / n, "lm forward": total.languageModelForward / n,
                          "head+losses": total.headAndLosses / n, "backward": total.backward / n, "lm backward": total.languageModelBackward / n],
                languageModelGFLOPs: gflop, languageModelForwardGFLOPPerSecond: forwardRate, languageModelBackwardGFLOPPerSecond: backwardRate,
                sgemmGFLOPPerSecond: sgemm, backwardToSgemm: backwardRate / sgemm,
                peakResidentMB: Double(usage.ru_maxrss) / 1024, cpu: Self.cpuName())
            if json {
                try printJSON(report)
                return
            }
            print("bench train: \(modality.rawValue), batch \(batch), \(steps) timed steps, \(rows) language-model rows per step (\(report.cpu), \(EngineThreads.count) threads)")
            print(String(format: "  %.2f samples/s, %.3f s per step (%.0f ms per sample); fastest step %.3f s (%.0f ms per sample)",
                         report.samplesPerSecond, wall / n, 1000 * wall / n / Double(batch), fastest, 1000 * fastest / Double(batch)))
            for key in ["encoder+bridge", "lm forward", "head+losses", "backward", "lm backward"] {
                print("  " + key.padding(toLength: 15, withPad: " ", startingAt: 0) + String(format: "%8.1f ms", 1000 * report.seconds[key]!))
            }
            print(String(format: "  language model: %.1f GFLOP per pass; forward %.0f GFLOP/s, backward %.0f GFLOP/s; sgemm 1024² %.0f GFLOP/s → backward/sgemm %.2f",
                         gflop, forwardRate, backwardRate, sgemm, report.backwardToSgemm))
            print(String(format: "  peak resident memory %.0f MB", report.peakResidentMB))
        }
    }

    /// cblas_sgemm at 1024² through the engine, median of 5 (GFLOP/s).
    static func sgemmRate() -> Double {
        var generator = SeededRandomGenerator(seed: 1)
        let a = Tensor(randomUniform: [1024, 1024], generator: &generator), b = Tensor(randomUniform: [1024, 1024], generator: &generator)
        _ = a.matmul(b)
        let rates = (0..<5).map { _ -> Double in
            let start = Date()
            _ = a.matmul(b)
            return 2 * 1024 * 1024 * 1024 / Date().timeIntervalSince(start) / 1e9
        }
        return rates.sorted()[2]
    }

    static func cpuName() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }) else { return "unknown CPU" }
        return line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
    }
}

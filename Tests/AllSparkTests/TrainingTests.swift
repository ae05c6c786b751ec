import Foundation
import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine
import SparkLM

/// Training through the real, frozen SmolLM2 on generated RGB scenes: gradients of the whole
/// model against central differences, and an interrupted-and-resumed run against an
/// uninterrupted one. Skipped with a message when the model file is absent.
@Suite(.serialized)
struct TrainingTests {
    static let root = PipelineTests.root
    static let modelPath = "models/SmolLM2-135M-Instruct.Q4_1.gguf"
    static let available: Bool = {
        FileManager.default.changeCurrentDirectoryPath(root.path)
        return FileManager.default.fileExists(atPath: modelPath)
    }()

    /// Six generated scenes (64 px, the tiny configuration's input size), made once.
    static let dataDirectory: String = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("allspark-train-\(UUID().uuidString)").path
        _ = try? RGBSceneGenerator(side: 64).generate(count: 6, seed: 21, directory: directory)
        return directory
    }()

    /// Two generated days of freeway speeds (207 sensors), made once.
    static let graphDataDirectory: String = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("allspark-train-graph-\(UUID().uuidString)").path
        _ = try? TrafficGenerator().generate(count: 2, seed: 21, directory: directory)
        return directory
    }()

    static func makeTrainer(_ modality: Modality = .rgb, options: TrainingOptions = TrainingOptions()) throws -> (ModalityTrainer, TrainingDataset) {
        FileManager.default.changeCurrentDirectoryPath(root.path)
        let model = try AllSparkModel(configuration: AllSparkConfiguration.load(path: "configs/allspark-tiny.json"))
        let trainer = try ModalityTrainer(model: model, modality: modality, decoder: DecoderTrainer(decoder: model.languageModel.decoder),
                                          options: options)
        let components = try model.components(modality)
        let data = try TrainingDataset.load(directory: modality == .graph ? graphDataDirectory : dataDirectory, modality: modality,
                                            encoder: components.encoder as! any TrainableEncoder, head: components.head.section, strict: true)
        return (trainer, data)
    }

    /// Central differences of the step's loss for the largest-gradient element of each named tensor.
    static func checkGradients(_ trainer: ModalityTrainer, _ batch: [TrainingExample], prompt: String, names: [String],
                               result: StepResult, step: Float = 5e-3) throws {
        let store = trainer.model.store
        for name in names {
            let gradient = try #require(result.gradients[name], "no gradient for \(name)")
            let index = gradient.scalars.indices.max { abs(gradient.scalars[$0]) < abs(gradient.scalars[$1]) }!
            let original = store.parameters[name]!
            let h: Float = step * max(1, abs(original.scalars[index]))
            func loss(_ delta: Float) throws -> Double {
                var moved = original
                moved.scalars[index] += delta
                try store.update(from: [name: moved])
                try trainer.model.rebuildComponents()
                return Double(try trainer.step(batch, prompt: prompt, gradients: false).loss)
            }
            let numeric = (try loss(h) - loss(-h)) / Double(2 * h)
            try store.update(from: [name: original])
            try trainer.model.rebuildComponents()
            let analytic = Double(gradient.scalars[index])
            let error = abs(numeric - analytic) / max(abs(numeric), abs(analytic), 1e-3)
            #expect(error < 0.03, "\(name)[\(index)]: analytic \(analytic), numeric \(numeric), relative error \(error)")
        }
    }

    /// d(loss)/d(parameter) of the assembled model (head + answer loss, through 30 layers) against
    /// central differences in Float32, for the largest-gradient element of a head, bridge and
    /// encoder tensor. Tolerance 3 %: the loss passes through ~30 layers of Float32 sums, whose
    /// rounding (~1e-6 of the loss) divided by 2h limits a difference quotient's accuracy.
    @Test(.enabled(if: available)) func gradientsMatchCentralDifferences() throws {
        let (trainer, data) = try Self.makeTrainer()
        let batch = Array(data.examples.prefix(2))
        let prompt = try trainer.model.prompts(.rgb).prompts[0].text
        let result = try trainer.step(batch, prompt: prompt)
        #expect(result.headLoss > 0 && result.languageLoss > 0)
        try Self.checkGradients(trainer, batch, prompt: prompt,
                                names: ["heads.rgb.bias", "bridges.rgb.queries", "bridges.rgb.layers.0.attn.v.weight", "encoders.rgb.cls_token"],
                                result: result)
    }

    /// The same for the graph: a masked regression loss (no answer sentence) through the bridge
    /// into the STAEformer embedding's tables (embedding-row gradients) and its input projection.
    @Test(.enabled(if: available)) func graphGradientsMatchCentralDifferences() throws {
        let (trainer, data) = try Self.makeTrainer(.graph)
        let batch = Array(data.examples.prefix(2))
        let prompt = try trainer.model.prompts(.graph).prompts[0].text
        let result = try trainer.step(batch, prompt: prompt)
        #expect(result.headLoss > 0 && result.languageLoss == 0)
        // The embedding tables' and bridge's largest gradients here are ~1e-3 of the loss's, below
        // what a difference quotient through 30 Float32 layers resolves (the loss's rounding,
        // ~1e-5, over 2h); the bridge over 2484 tokens is checked alone in TapeForwardTests. The
        // input projection multiplies day-of-week values up to 6, hence its smaller step.
        try Self.checkGradients(trainer, batch, prompt: prompt,
                                names: ["heads.graph.bias", "heads.graph.weight", "bridges.graph.queries", "encoders.graph.tod_embedding.weight"],
                                result: result)
        try Self.checkGradients(trainer, batch, prompt: prompt, names: ["encoders.graph.input_proj.weight"], result: result, step: 1e-3)
    }

    /// Text trains its head on the frozen language model's reading of the text's own tokens. Texts
    /// of different lengths share a batch, each padded at its end; each one's head output must be
    /// what it gives alone (padding reaches no earlier row), nothing but the head gets a gradient
    /// (no answer loss: nothing before the language model learns), and the head's gradient matches
    /// central differences.
    @Test(.enabled(if: available)) func textHeadTrainsOnTextsOfDifferentLengths() throws {
        let texts = [("I love this, best day ever", "positive"), ("awful", "negative"),
                     ("the train was late again and nobody told us why, so we waited two hours in the rain", "negative")]
        let (directory, model, trainer, data) = try Self.textClassifier("train-text", files: texts)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(Set(data.examples.map(\.input.count)).count == 3)
        let prompt = try model.prompts(.text).prompts[0].text
        let result = try trainer.step(data.examples, prompt: prompt)
        #expect(result.languageLoss == 0)
        #expect(Set(result.gradients.keys) == ["heads.text.weight", "heads.text.bias"])
        for (b, example) in data.examples.enumerated() {
            let alone = try trainer.step([example], prompt: prompt, gradients: false).headOutputs.scalars
            let batched = result.headOutputs.slice(rows: b..<(b + 1)).scalars
            for (x, y) in zip(alone, batched) { #expect(abs(x - y) <= 1e-4 * max(1, abs(x)), "text \(b): alone \(alone), in the batch \(batched)") }
        }
        try Self.checkGradients(trainer, data.examples, prompt: prompt, names: ["heads.text.weight", "heads.text.bias"], result: result)
    }

    /// Four steps in one go, and the same four steps stopped after one and resumed from the saved
    /// state, give the same losses bit for bit (the log's text is compared).
    @Test(.enabled(if: available)) func interruptedAndResumedRunGivesTheSameLosses() throws {
        var schedule = TrainingSchedule(learningRate: 1e-3, epochs: 2, warmupEpochs: 1)
        schedule.batchSize = 2
        func run(_ directory: String, stopAfter: Int?, resume: Bool) throws {
            let (trainer, data) = try Self.makeTrainer()
            var training = data, validation = data
            training.examples = Array(data.examples.prefix(4))
            validation.examples = Array(data.examples.suffix(2))
            let prompts = try trainer.model.prompts(.rgb).prompts.map(\.text)
            let run = try TrainingRun(trainer: trainer, schedule: schedule, training: training, validation: validation,
                                      prompts: prompts, directory: directory)
            run.report = { _ in }
            if resume { try run.resume() }
            var steps = 0
            run.stopRequested = { steps += 1; return stopAfter.map { steps >= $0 } ?? false }
            _ = try run.run()
        }
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("allspark-resume-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        try run(base + "/straight", stopAfter: nil, resume: false)
        try run(base + "/resumed", stopAfter: 1, resume: false)
        try run(base + "/resumed", stopAfter: nil, resume: true)
        func losses(_ directory: String) throws -> [String] {
            try String(contentsOfFile: directory + "/log.csv", encoding: .utf8).split(separator: "\n").dropFirst()
                .map { $0.split(separator: ",").prefix(5).joined(separator: ",") }
        }
        let straight = try losses(base + "/straight"), resumed = try losses(base + "/resumed")
        #expect(straight.count == 4)
        #expect(straight == resumed)
        // gradients.csv: one row per step in both runs, the same rows, and per step the module
        // norms' root sum of squares is log.csv's global norm (printed to 4 significant digits).
        func rows(_ directory: String, _ file: String) throws -> [[Substring]] {
            try String(contentsOfFile: directory + "/" + file, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        }
        let moduleRows = try rows(base + "/straight", "gradients.csv")
        #expect(moduleRows.count == 4)
        #expect(moduleRows == (try rows(base + "/resumed", "gradients.csv")))
        for (modules, step) in zip(moduleRows, try rows(base + "/straight", "log.csv")) {
            let combined = modules.dropFirst().map { Double($0)! }.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(modules.first == step.first)
            #expect(abs(combined - Double(step[7])!) <= 1e-3 * combined)
        }
        #expect(FileManager.default.fileExists(atPath: base + "/straight/best.safetensors"))
        #expect(FileManager.default.fileExists(atPath: base + "/straight/loss.png"))
    }

    /// log.csv names its columns, the lens term's included; a run resumed over a log with an
    /// earlier version's columns moves that log aside instead of mixing two layouts in one file.
    @Test(.enabled(if: available)) func logNamesItsColumnsAndKeepsAnOlderLogApart() throws {
        var schedule = TrainingSchedule(learningRate: 1e-3, epochs: 1, warmupEpochs: 0)
        schedule.batchSize = 2
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("allspark-log-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func run(stopAfter: Int?, resume: Bool) throws {
            let (trainer, data) = try Self.makeTrainer()
            var training = data
            training.examples = Array(data.examples.prefix(4))
            let run = try TrainingRun(trainer: trainer, schedule: schedule, training: training, validation: training,
                                      prompts: try trainer.model.prompts(.rgb).prompts.map(\.text), directory: directory)
            run.report = { _ in }
            if resume { try run.resume() }
            var steps = 0
            run.stopRequested = { steps += 1; return stopAfter.map { steps >= $0 } ?? false }
            _ = try run.run()
        }
        try run(stopAfter: 1, resume: false)
        let log = directory + "/log.csv"
        let first = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(first.first.map(String.init) == TrainingRun.logHeader)
        #expect(first.dropFirst().allSatisfy { $0.split(separator: ",").count == TrainingRun.logHeader.split(separator: ",").count })
        let older = "step,epoch,loss,head_loss,language_loss,learning_rate,gradient_norm,seconds\n1,0,1,1,0,0.001,1,1\n"
        try older.write(toFile: log, atomically: true, encoding: .utf8)
        try run(stopAfter: nil, resume: true)
        #expect(try String(contentsOfFile: directory + "/log-columns-before.csv", encoding: .utf8) == older)
        let rows = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(rows.first.map(String.init) == TrainingRun.logHeader)
        #expect(rows.count == 2, "the header and step 2's row: \(rows)")
    }
}

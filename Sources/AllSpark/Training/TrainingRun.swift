import AllSparkData
import Foundation
import SparkEngine
import SparkFormats

/// One training run of one modality, nanoGPT's loop in one place: shuffled batches, a random prompt
/// per step, AdamW with warm-up and cosine decay, clipping, a CSV line per step, validation and the
/// best checkpoint every epoch, the resumable state every `saveEvery` steps, at each epoch's end and
/// when asked to stop.
public final class TrainingRun {
    public let trainer: ModalityTrainer
    public let schedule: TrainingSchedule
    public let training: TrainingDataset
    public let validation: TrainingDataset
    public let prompts: [String]
    public let directory: String
    /// Called after every step with a progress line; and with validation reports.
    public var report: (String) -> Void = { print($0) }
    /// Polled between steps: true saves the state and returns.
    public var stopRequested: () -> Bool = { false }

    private var optimiser: AdamW
    private var bestValidationLoss: Float?
    private var step = 0
    private var losses: [(step: Int, train: Float)] = []
    private var validationLosses: [(step: Int, loss: Float)] = []

    public enum Outcome: Equatable { case finished, interrupted(step: Int) }

    public init(trainer: ModalityTrainer, schedule: TrainingSchedule, training: TrainingDataset, validation: TrainingDataset,
                prompts: [String], directory: String) throws {
        guard !training.examples.isEmpty else { throw TrainingError("\(training.directory): no usable training samples") }
        guard !prompts.isEmpty else { throw TrainingError("no prompts for \(trainer.modality.rawValue)") }
        self.trainer = trainer; self.schedule = schedule; self.training = training; self.validation = validation
        self.prompts = prompts; self.directory = directory
        optimiser = AdamW(weightDecay: schedule.weightDecay)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    public var stepsPerEpoch: Int { schedule.stepsPerEpoch(examples: training.examples.count) }
    public var totalSteps: Int { stepsPerEpoch * schedule.epochs }
    var logPath: String { (directory as NSString).appendingPathComponent("log.csv") }

    /// Continues from `directory`'s saved state.
    public func resume() throws {
        let state = try TrainingState.load(directory: directory)
        try trainer.model.store.update(from: state.weights)
        try trainer.model.rebuildComponents()
        optimiser.restore(step: state.step, firstMoments: state.firstMoments, secondMoments: state.secondMoments)
        step = state.step
        bestValidationLoss = state.bestValidationLoss
        report("resumed at step \(step) of \(totalSteps)")
    }

    public func run() throws -> Outcome {
        let examples = training.examples
        let lrSchedule = LearningRateSchedule(peak: schedule.learningRate, warmupSteps: stepsPerEpoch * schedule.warmupEpochs,
                                              totalSteps: totalSteps)
        try startLog()
        try startGradientLog()
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        defer { try? log.close() }
        log.seekToEndOfFile()
        let started = Date()
        let startStep = step
        while step < totalSteps {
            let epoch = step / stepsPerEpoch, index = step % stepsPerEpoch
            let order = epochOrder(count: examples.count, seed: schedule.seed, epoch: epoch)
            let batch = order[(index * schedule.batchSize)..<min(order.count, (index + 1) * schedule.batchSize)].map { examples[$0] }
            let prompt = prompts[promptIndex(count: prompts.count, seed: schedule.seed, step: step)]
            let stepStart = Date()
            var result = try trainer.step(Array(batch), prompt: prompt)
            guard result.loss.isFinite else {
                throw TrainingError("step \(step): the loss is \(result.loss); stopped. The last good state is in \(directory) (step \(optimiser.step)).")
            }
            let measured = ModuleGradientNorms(result.gradients, modules: trainer.trainedModules)
            try appendModuleNorms(measured)
            let norm = clipGlobalNorm(&result.gradients, maximum: schedule.clipNorm, norm: measured.global)
            let rate = lrSchedule.rate(at: step)
            var parameters = trainer.model.store.parameters.filter { result.gradients[$0.key] != nil }
            optimiser.update(&parameters, gradients: result.gradients, learningRate: rate)
            try trainer.model.store.update(from: parameters)
            try trainer.model.rebuildComponents()
            step += 1
            let seconds = Date().timeIntervalSince(stepStart)
            losses.append((step, result.loss))
            log.write(Data(String(format: "%d,%d,%.6f,%.6f,%.6f,%.6f,%.4g,%.4g,%.3f\n", step, epoch, result.loss, result.headLoss,
                                  result.languageLoss, result.lensLoss, rate, norm, seconds).utf8))
            let elapsed = Date().timeIntervalSince(started)
            let rateSamples = Double((step - startStep) * schedule.batchSize) / max(elapsed, 1e-9)
            let eta = Double(totalSteps - step) * elapsed / Double(max(1, step - startStep))
            let lens = trainer.options.lensWeight > 0 ? String(format: ", lens %.4f", result.lensLoss) : ""
            report(String(format: "epoch %d/%d  step %d/%d  loss %.4f (head %.4f, answer %.4f%@)  lr %.2e  |g| %.3g  %.1f samples/s  ETA %@",
                          epoch + 1, schedule.epochs, step, totalSteps, result.loss, result.headLoss, result.languageLoss, lens,
                          rate, norm, rateSamples, Self.duration(eta)))
            if step % stepsPerEpoch == 0 { try validate(epoch: epoch) }
            if step % schedule.saveEvery == 0 || step % stepsPerEpoch == 0 { try saveState() }
            if stopRequested() {
                try saveState()
                report("stopped at step \(step); state saved in \(directory) (continue with --resume \(directory))")
                return .interrupted(step: step)
            }
        }
        try saveState()
        try saveCheckpoint(name: "last.safetensors", metrics: [:])
        return .finished
    }

    /// log.csv's columns. `lens_loss` is the lens-alignment term before its weight (0 without it).
    static let logHeader = "step,epoch,loss,head_loss,language_loss,lens_loss,learning_rate,gradient_norm,seconds"

    /// Starts log.csv with its header, or, resuming, keeps appending to it. A log begun by an
    /// earlier version with other columns moves to log-columns-before.csv first, so that one file
    /// never mixes two layouts.
    func startLog() throws {
        if step > 0, let existing = try? String(contentsOfFile: logPath, encoding: .utf8) {
            if existing.prefix(while: { $0 != "\n" }) == Self.logHeader { return }
            let kept = (directory as NSString).appendingPathComponent("log-columns-before.csv")
            try? FileManager.default.removeItem(atPath: kept)
            try FileManager.default.moveItem(atPath: logPath, toPath: kept)
            report("log.csv had the columns of an earlier version: moved to \(kept); new rows start a new log.csv")
        }
        try (Self.logHeader + "\n").write(toFile: logPath, atomically: true, encoding: .utf8)
    }

    var gradientsPath: String { (directory as NSString).appendingPathComponent("gradients.csv") }

    /// Starts gradients.csv with one column per trained module, or, resuming, keeps appending to
    /// it; one with other columns (another configuration's modules) moves to gradients-before.csv.
    func startGradientLog() throws {
        let header = ModuleGradientNorms.header(modules: trainer.trainedModules)
        if step > 0, let existing = try? String(contentsOfFile: gradientsPath, encoding: .utf8) {
            if existing.prefix(while: { $0 != "\n" }) == header { return }
            let kept = (directory as NSString).appendingPathComponent("gradients-before.csv")
            try? FileManager.default.removeItem(atPath: kept)
            try FileManager.default.moveItem(atPath: gradientsPath, toPath: kept)
        }
        try (header + "\n").write(toFile: gradientsPath, atomically: true, encoding: .utf8)
    }

    /// Appends this step's per-module gradient norms (before clipping) to gradients.csv.
    private func appendModuleNorms(_ norms: ModuleGradientNorms) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: gradientsPath))
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        handle.write(Data((norms.row(step: step + 1) + "\n").utf8))
    }

    /// Validation loss and metric with prompt 1; the best checkpoint by validation loss is kept.
    func validate(epoch: Int) throws {
        guard !validation.examples.isEmpty else { return }
        let evaluation = try trainer.evaluate(validation.examples, training: training.examples, prompt: prompts[0],
                                              batchSize: schedule.batchSize, data: validation.provenance, checkpoint: directory)
        let loss = Float(evaluation.extra["loss"] ?? .nan)
        validationLosses.append((step, loss))
        var line = String(format: "validation after epoch %d: loss %.4f, %@ %.4f (baseline %@: %.4f)", epoch + 1, loss,
                          evaluation.metric, evaluation.model, evaluation.baselineName, evaluation.baseline)
        // A stronger baseline when the evaluation fitted one (trajectories: linear regression).
        for (name, value) in evaluation.extra.sorted(by: { $0.key < $1.key })
        where name.hasPrefix("linear regression") && name.hasSuffix(evaluation.metric) {
            line = String(line.dropLast()) + String(format: "; %@: %.4f)", name, value)
        }
        if bestValidationLoss.map({ loss < $0 }) ?? true {
            bestValidationLoss = loss
            try saveCheckpoint(name: "best.safetensors", metrics: ["val.loss": Double(loss), "val.\(evaluation.metric)": evaluation.model])
            line += "  → best.safetensors"
        }
        report(line)
        try "step,validation_loss\n".appending(validationLosses.map { "\($0.step),\($0.loss)" }.joined(separator: "\n") + "\n")
            .write(toFile: (directory as NSString).appendingPathComponent("validation.csv"), atomically: true, encoding: .utf8)
        try LossPlot.write(training: losses, validation: validationLosses,
                           to: (directory as NSString).appendingPathComponent("loss.png"))
    }

    func saveState() throws {
        let names = trainer.trainableNames()
        let weights = trainer.model.store.parameters.filter { names.contains($0.key) }
        try TrainingState(step: step, bestValidationLoss: bestValidationLoss, weights: weights,
                          firstMoments: optimiser.firstMoments, secondMoments: optimiser.secondMoments)
            .save(directory: directory, metadata: ["allspark.modality": trainer.modality.rawValue])
    }

    func saveCheckpoint(name: String, metrics: [String: Double]) throws {
        try trainer.model.store.save(
            to: (directory as NSString).appendingPathComponent(name), modules: trainer.trainedModules, dtype: .F32,
            metadata: CheckpointMetadata(configuration: trainer.model.configuration.name, modality: trainer.modality.rawValue,
                                         step: step, data: training.provenance, metrics: metrics))
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds)
        return s >= 3600 ? String(format: "%dh%02dm", s / 3600, s % 3600 / 60) : String(format: "%dm%02ds", s / 60, s % 60)
    }
}

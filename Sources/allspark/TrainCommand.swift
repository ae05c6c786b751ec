import AllSpark
import AllSparkData
import ArgumentParser
import Dispatch
import Foundation
import SparkLM

/// `allspark train`: teach one modality's encoder, bridge and head (and optionally the Lynx
/// adapters) through the frozen language model.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train one modality's encoder, bridge and head through the frozen language model.",
        discussion: """
            The data is a folder with an index.json (as `allspark synth MODALITY --out DIR` or \
            scripts/fetch-data writes), split into training and validation by --validation. Each step \
            runs a batch with a prompt drawn from the modality's prompts; the loss is the head's (cross-\
            entropy, or mean squared error in the head's scaled units) plus the language-model loss on \
            an answer sentence ("A forest.") for classification. AdamW with linear warm-up and cosine \
            decay, defaults from the paper's Table 3. Writes into --out: log.csv (every step), \
            gradients.csv (each module's gradient norm per step, before clipping), validation.csv and loss.png (every epoch), best.safetensors (lowest validation loss), \
            last.safetensors, and state.safetensors, the resumable state (saved every --save-every \
            steps, at each epoch's end and on Ctrl-C or SIGTERM). --resume continues exactly where \
            the state left off.
            """)

    @Option(help: "The modality to train (every one with a trainable encoder: rgb, msi, hsi, table, trajectory, sar, graph, oblique, video, pointcloud).")
    var modality: String

    @Option(help: "The folder of training samples (index.json).")
    var data: String

    @Option(help: "A separate folder of validation samples (default: the last --validation share of --data).")
    var validationData: String?

    @Option(help: "Share of --data held out for validation when --validation-data is not given.")
    var validation: Double = 0.2

    @OptionGroup var configuration: ConfigurationOption

    @Option(help: "Epochs (default: the paper's Table 3).") var epochs: Int?
    @Option(help: "Peak learning rate (default: the paper's Table 3).") var lr: Float?
    @Option(help: "Warm-up epochs (default: the paper's Table 3).") var warmup: Int?
    @Option(help: "Samples per step.") var batch: Int = 8
    @Option(help: "Seed of the data order and the prompt of each step.") var seed: UInt64 = 1
    @Option(help: "Output folder.") var out: String
    @Option(help: "Continue the run saved in this folder (same options).") var resume: String?
    @Option(help: "Save the resumable state every N steps.") var saveEvery: Int = 50
    @Option(help: "Stop after this many steps in this invocation (state saved; for tests and budgets).") var maxSteps: Int?
    @Option(help: "Use at most this many samples of --data.") var limit: Int?
    @Option(help: "Use at most this many samples of --validation-data (validation runs every epoch).") var validationLimit: Int?
    @Option(help: "Weight of the language-model (answer) loss.") var answerWeight: Float = 1
    @Flag(help: "Keep the encoder frozen (train the bridge and head only).") var freezeEncoder = false
    @Flag(help: "Train the Lynx adapters too: the modality's own set when its section says \"ownAdapters\": true, else the set every modality shares.")
    var trainAdapters = false
    @Flag(help: "Stop at the first unusable sample instead of skipping it.") var strict = false
    @Flag(help: "Start from the configuration's checkpoint of this modality (fine-tuning) instead of the seeded initialisation.")
    var fromCheckpoint = false
    @Option(help: "Start from this checkpoint file's modules (e.g. an earlier stage's best.safetensors) instead of the seeded initialisation.")
    var initFrom: String?
    @Flag(help: "Infrared with \"querySequence\": \"alone\": rank each sample's gallery on the encoder's own tokens, without the bridge and the language model (a cheap pretraining stage; continue with --init-from).")
    var encoderOnly = false
    @Flag(help: "Infrared gallery ranking's second stage: each image's head embedding learns a fixed random projection of the encoder's tokens (start from an --encoder-only checkpoint with --init-from and --freeze-encoder).")
    var distilEncoder = false
    @Option(help: "Weight of the lens-alignment term: each bridge token of a classified sample learns to lie nearer a word of its class than any other token (the language lens then shows that word). 0: off.")
    var lensWeight: Float = 0

    func validate() throws {
        guard Modality(rawValue: modality) != nil else { throw ValidationError("unknown modality '\(modality)'") }
        if batch <= 0 { throw ValidationError("--batch must be positive") }
        if let epochs, epochs <= 0 { throw ValidationError("--epochs must be positive") }
        if let lr, !(lr > 0 && lr < 1) { throw ValidationError("--lr must be in (0, 1)") }
        if !(validation >= 0 && validation < 1) { throw ValidationError("--validation must be in [0, 1)") }
        if saveEvery <= 0 { throw ValidationError("--save-every must be positive") }
        if !(lensWeight >= 0 && lensWeight.isFinite) { throw ValidationError("--lens-weight must be 0 or more") }
    }

    func run() throws {
        setvbuf(stdout, nil, _IOLBF, 0)  // progress lines reach a log file as they happen
        try reportingErrors("train") {
            let modality = Modality(rawValue: self.modality)!
            var loaded = try configuration.load()
            if !fromCheckpoint {
                // A run starts from the seed, so `make train` reproduces a checkpoint rather than
                // continuing the committed one: checkpoints of this modality's modules stay unloaded.
                let own = Set(["encoders", "bridges", "heads"].map { "\($0).\(modality.rawValue)" })
                let (kept, dropped) = try loaded.checkpoints.reduce(into: ([String](), [String]())) { split, path in
                    // A listed file that does not exist yet is the one this first run makes.
                    guard FileManager.default.fileExists(atPath: path) else { split.1.append(path + " (not made yet)"); return }
                    if try CheckpointSource(path: path).modules.isDisjoint(with: own) { split.0.append(path) } else { split.1.append(path) }
                }
                if !dropped.isEmpty {
                    print("starting \(modality.rawValue) from the seeded initialisation; not loaded: \(dropped.joined(separator: ", ")) (--from-checkpoint loads it)")
                }
                loaded.checkpoints = kept
            }
            if let initFrom {
                guard FileManager.default.fileExists(atPath: initFrom) else { throw ValidationError("--init-from \(initFrom): no such file") }
                loaded.checkpoints.append(initFrom)
                print("starting \(modality.rawValue) from \(initFrom)")
            }
            let model = try AllSparkModel(configuration: loaded)
            try ModalityTrainer.checkTrainable(model: model, modality: modality, trainAdapters: trainAdapters)
            print("language model: \(model.languageModel.displayName) (frozen); its dense Float32 copy for gradients is made on first use")
            let decoder = DecoderTrainer(decoder: model.languageModel.decoder)
            print(decoder.description)
            let trainer = try ModalityTrainer(model: model, modality: modality, decoder: decoder,
                                              options: TrainingOptions(languageLossWeight: answerWeight, trainAdapters: trainAdapters,
                                                                       trainEncoder: !freezeEncoder, encoderOnly: encoderOnly, distilEncoder: distilEncoder,
                                                                       lensWeight: lensWeight))
            if encoderOnly, try !model.components(modality).head.section.ranksGallery {
                throw ValidationError("--encoder-only trains a gallery ranking: infrared with \"querySequence\": \"alone\" in its head section")
            }
            let components = try model.components(modality)
            let inputs = try model.trainingInputs(modality)
            var all = try TrainingDataset.load(directory: data, modality: modality, inputs: inputs, head: components.head.section,
                                               strict: strict, limit: limit)
            var held: TrainingDataset
            if let validationData {
                held = try TrainingDataset.load(directory: validationData, modality: modality, inputs: inputs,
                                                head: components.head.section, strict: strict, limit: validationLimit)
            } else {
                let cut = all.examples.count - Int(Double(all.examples.count) * validation)
                held = all
                held.examples = Array(all.examples[cut...])
                all.examples = Array(all.examples[..<cut])
            }
            for (file, problem) in all.skipped + held.skipped { print("skipped \(file): \(problem)") }
            let inputCount = all.examples.count == all.sampleCount ? "" : " (\(all.examples.count) training inputs)"
            print("data: \(all.sampleCount) training, \(held.sampleCount) validation samples\(inputCount) (\(all.provenance))"
                  + (all.skipped.isEmpty ? "" : "; \(all.skipped.count + held.skipped.count) skipped"))
            var schedule = TrainingSchedule.paper(modality)
            if let epochs { schedule.epochs = epochs }
            if let lr { schedule.learningRate = lr }
            if let warmup { schedule.warmupEpochs = warmup }
            schedule.batchSize = batch; schedule.seed = seed; schedule.saveEvery = saveEvery
            let prompts = try model.prompts(modality).prompts.map(\.text)
            let run = try TrainingRun(trainer: trainer, schedule: schedule, training: all, validation: held, prompts: prompts,
                                      directory: resume ?? out)
            if resume != nil {
                try run.resume()
            } else if !fromCheckpoint, initFrom == nil, let calibrated = try trainer.calibrateBatchNorm(all.examples) {
                print(calibrated)
            }
            if resume == nil, !encoderOnly, let head = try model.components(modality).head.linear, head.bias?.scalars.allSatisfy({ $0 == 0 }) == true,
               try model.components(modality).head.section.ranksGallery {
                print(try trainer.calibrateRankingProjection(all.examples, prompt: prompts[0]))
            }
            _ = try trainer.step([all.examples[0]], prompt: prompts[0], gradients: false)  // binds every parameter
            for row in model.store.counts() where row.trainableScalars > 0 {
                print("  trains \(row.module): \(row.trainableScalars) of \(row.scalars) parameters")
            }
            print(String(format: "schedule: %d epochs × %d steps, batch %d, peak lr %.2e, %d warm-up epochs, seed %d",
                         schedule.epochs, run.stepsPerEpoch, schedule.batchSize, schedule.learningRate, schedule.warmupEpochs, schedule.seed))
            let stop = StopSignals()
            var stepsThisRun = 0
            run.stopRequested = {
                stepsThisRun += 1
                return stop.requested || (maxSteps.map { stepsThisRun >= $0 } ?? false)
            }
            switch try run.run() {
            case .finished: print("done; checkpoints in \(resume ?? out)")
            case .interrupted(let step): print("interrupted at step \(step)")
            }
        }
    }
}

/// Ctrl-C and SIGTERM ask a training run to stop at the end of its step (it saves its state
/// first); a second Ctrl-C ends the program at once.
final class StopSignals: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    private var sources: [DispatchSourceSignal] = []

    init() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.received(number) }
            source.resume()
            sources.append(source)
        }
    }

    private func received(_ number: Int32) {
        lock.lock(); defer { lock.unlock() }
        if flag && number == SIGINT { exit(130) }
        flag = true
        FileHandle.standardError.write(Data("\n[stopping after this step and saving the state; Ctrl-C again to quit now]\n".utf8))
    }

    var requested: Bool { lock.lock(); defer { lock.unlock() }; return flag }
}

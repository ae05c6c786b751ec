import AllSpark
import AllSparkData
import Foundation
import SparkFormats
import SparkLM

/// Loading the model and running the pipeline, each in a background job: the interface keeps
/// drawing and reading keys, and results arrive through the main queue.
extension TUIController {
    /// Reads the configuration, shows the modality's default prompt, and starts loading the model.
    public func startPipeline(_ factory: PipelineFactory) {
        do {
            var configuration = try factory.loadConfiguration()
            // The one place the user's prompt directory is decided: the configuration carries it
            // to the session the driver opens, so both see the same prompts.
            if let promptUserDirectory { configuration.promptUserDirectory = promptUserDirectory }
            model.configuration = configuration
        } catch {
            model.configurationProblem = "\(readableError(error))"
            model.loadState = .failed("the configuration cannot be read: \(readableError(error))")
            model.message = .init("Cannot read the model configuration: \(readableError(error))", kind: .error)
            return
        }
        model.prompt = defaultPrompt(for: model.modality)
        let configuration = model.configuration!
        let modality = model.modality
        model.loadState = .loading
        // The load cannot stop midway: a Ctrl-c during it still keeps the model once it is there.
        let loaded = LoadedDriver()
        do {
            try jobs.start("loading the model", work: { context in
                context.report("loading the language model")
                let driver = try factory.makeDriver(configuration, modality)
                loaded.value = (DriverBox(driver), driver.snapshot())
                return true
            }) { [weak self] outcome in
                guard let self else { return }
                if let (box, snapshot) = loaded.value {
                    self.driver = box
                    self.model.snapshot = snapshot
                    self.model.loadState = .ready
                    if self.model.message == nil || self.jobsMessageIsStale {
                        self.model.message = .init("Model loaded. Press n to run the next stage, r to run them all, ? for every key.")
                    }
                } else {
                    let why: String
                    if case .failed(let error) = outcome { why = "\(readableError(error))" } else { why = "the load was stopped" }
                    self.model.loadState = .failed(why)
                    self.model.message = .init("The model did not load: \(why)", kind: .error)
                }
                self.startPendingRun()
            }
        } catch {
            model.loadState = .failed("\(readableError(error))")
        }
    }

    /// True when the message on screen is the "Stopping …" one of a Ctrl-c during the load.
    var jobsMessageIsStale: Bool { model.message?.text.hasPrefix("Stopping") == true }

    /// The first prompt of `modality`'s library, reading it from the configuration when needed.
    func defaultPrompt(for modality: Modality) -> String {
        promptLibrary(for: modality)?.defaultPrompt.text ?? ""
    }

    func promptLibrary(for modality: Modality) -> PromptLibrary? {
        if modality == model.modality, let library = model.prompts { return library }
        if let library = model.promptLibraries[modality] { return library }
        guard let configuration = model.configuration else { return nil }
        do {
            let library = try configuration.prompts(modality)
            model.promptLibraries[modality] = library
            return library
        } catch {
            model.promptProblems[modality] = "\(readableError(error))"
            return nil
        }
    }

    // MARK: Running stages

    /// Why nothing can run now, or nil when a run can start.
    var runBlocker: String? {
        switch model.loadState {
        case .notStarted: return "The model is not loaded."
        case .loading: return "The model is still loading; a moment."
        case .failed(let why): return "The model is not loaded: \(why)"
        case .ready: break
        }
        if let configuration = model.configuration, configuration.modalities[model.modality] == nil {
            return "\(model.modality.rawValue) is not in the configuration \(configuration.name) (\(configuration.path)); it has "
                + configuration.modalities.keys.sorted().map(\.rawValue).joined(separator: ", ") + ". Start with --config naming one that has it."
        }
        if model.selectedSample == nil {
            return model.folder.items.isEmpty ? "No \(model.modality.rawValue) samples in \(model.folder.directory)."
                                              : "No sample selected: choose one in the Samples pane."
        }
        return nil
    }

    /// Starts `request` in a background job; says why when it cannot start.
    public func run(_ request: RunRequest) {
        if let blocker = runBlocker { model.message = .init(blocker, kind: .error); return }
        if let running = jobs.running {
            model.message = .init("'\(running.title)' is still running (Ctrl-c stops it).", kind: .error)
            return
        }
        guard let box = driver else { return }
        let selection = model.selection
        if model.trace.records.count == PipelineStage.allCases.count, request != .fromPrompt {
            model.message = .init("Every stage is done. R runs again from the prompt; another sample or prompt starts over.")
            return
        }
        let queue = jobs.mainQueue
        let flag = CancellationFlag()
        model.failure = nil
        model.run = RunProgress()
        let title: String
        switch request {
        case .next: title = "running \(PipelineStage.allCases.first { !model.trace.isDone($0) }?.title ?? "the next stage")"
        case .all: title = "running the pipeline"
        case .fromPrompt: title = "running from the prompt"
        case .through(let stage): title = "running through \(stage.title)"
        }
        do {
            try jobs.start(title, work: { context in
                context.token.onCancel { flag.cancel() }
                let driver = box.driver
                do { try driver.apply(selection) } catch {
                    throw PipelineError(.sample, "\(readableError(error))")
                }
                if request == .fromPrompt { driver.invalidate(from: .prompt) }
                let doneBefore = Set(driver.snapshot().trace.records.keys)
                let planned = PipelineStage.allCases.filter { !doneBefore.contains($0) && Self.includes(request, $0) }
                let started = Date()
                var count = 0
                let observer = StageRunObserver(
                    willRun: { stage in
                        count += 1
                        context.report("\(stage.title) (\(count)/\(max(planned.count, count)))",
                                       fraction: Double(count - 1) / Double(max(1, planned.count)))
                        queue.post { [weak self] in self?.stageStarted(stage) }
                    },
                    text: { piece in queue.post { [weak self] in self?.streamed(piece) } },
                    didRun: { _ in
                        let snapshot = driver.snapshot()
                        queue.post { [weak self] in self?.model.snapshot = snapshot }
                    },
                    failed: { _, _ in
                        let snapshot = driver.snapshot()
                        queue.post { [weak self] in self?.model.snapshot = snapshot }
                    })
                let outcome = try driver.run(through: Self.lastStage(of: request), limit: request == .next ? 1 : .max,
                                             cancel: flag, observer: observer)
                let ran = outcome.ran
                let kept = PipelineStage.allCases.filter { doneBefore.contains($0) }
                return RunReport(ran: ran, kept: kept, seconds: Date().timeIntervalSince(started))
            }) { [weak self] outcome in
                self?.runEnded(outcome, selection: selection)
            }
        } catch {
            model.run = nil
            model.message = .init("\(readableError(error))", kind: .error)
        }
    }

    /// The last stage `request` may compute.
    static func lastStage(of request: RunRequest) -> PipelineStage {
        if case .through(let last) = request { return last }
        return .generation
    }

    /// Whether `request` runs `stage` (when it is not done yet).
    static func includes(_ request: RunRequest, _ stage: PipelineStage) -> Bool { stage <= lastStage(of: request) }

    func stageStarted(_ stage: PipelineStage) {
        model.run?.stage = stage
        if stage == .generation {
            model.run?.generationStarted = Date()
            model.run?.streamedText = ""
            model.run?.streamedTokens = 0
        }
        // The detail pane follows the run, so each stage's result is in view as it arrives.
        showStage(stage)
    }

    func streamed(_ piece: String) {
        model.run?.streamedText += piece
        model.run?.streamedTokens += 1
    }

    func runEnded(_ outcome: JobRunner.Outcome<RunReport>, selection: PipelineSelection) {
        let stage = model.run?.stage
        model.run = nil
        switch outcome {
        case .finished(let report):
            model.lastRun = report
            model.message = .init(report.summary + (report.ran.last == .generation || report.ran.isEmpty ? "" : nextHint))
        case .cancelled:
            let generated = model.trace.generation.map { " after \($0.tokens.count) tokens" } ?? ""
            model.message = .init(stage == .generation ? "Generation stopped\(generated)." : "Stopped after \(stage?.title ?? "the stage").")
        case .failed(let error):
            let failed = (error as? PipelineError)
            model.failure = StageFailure(stage: failed?.stage ?? stage ?? .sample, message: failed?.message ?? "\(readableError(error))", selection: selection)
            if let failedStage = model.failure?.stage { showStage(failedStage) }
            model.message = .init("\(failed.map { "\($0.stage.title.capitalized) failed: \($0.message)" } ?? "\(readableError(error))")", kind: .error)
        }
        startPendingRun()
    }

    /// " n runs the language model next." after a partial run.
    var nextHint: String {
        guard let next = PipelineStage.allCases.first(where: { !model.trace.isDone($0) }) else { return "" }
        return " n runs \(next.title) next."
    }

    func startPendingRun() {
        guard let request = pendingRun, !jobs.isRunning else { return }
        pendingRun = nil
        run(request)
    }

    // MARK: Prompts

    /// The prompt was kept (Enter) or chosen: results up to the bridge stay; what was shown after
    /// them runs again with the new prompt.
    func promptChanged(to text: String) {
        guard text != model.prompt else { model.promptDraft = nil; return }
        let furthest = model.trace.records.keys.max()
        model.prompt = text
        model.promptDraft = nil
        guard let furthest, furthest >= .prompt else {
            model.message = .init("Prompt kept; the stages from the prompt on will use it.")
            return
        }
        if jobs.isRunning {
            pendingRun = .through(furthest)
            model.message = .init("Prompt kept; the stages after the bridge run again when the running job ends.")
        } else if runBlocker == nil {
            run(.through(furthest))
        }
    }

    /// `S`: saves the prompt line as a user prompt of the modality (in the user's prompt folder).
    func savePrompt() {
        if let blocker = runBlocker { model.message = .init(blocker, kind: .error); return }
        guard let box = driver else { return }
        let text = model.shownPrompt
        if model.promptDraft != nil { model.prompt = text; model.promptDraft = nil }
        if let library = model.prompts, let index = library.prompts.firstIndex(where: { $0.text == text }) {
            model.message = .init("This is already prompt \(index + 1) (\(library.prompts[index].origin.rawValue)); nothing to save.")
            return
        }
        let selection = model.selection
        do {
            try jobs.start("saving the prompt", work: { _ in
                try box.driver.apply(selection)
                try box.driver.savePrompt()
                return box.driver.snapshot()
            }) { [weak self] outcome in
                guard let self else { return }
                switch outcome {
                case .finished(let snapshot):
                    self.model.snapshot = snapshot
                    let library = snapshot.prompts
                    let number = library?.prompts.firstIndex { $0.text == text }.map { $0 + 1 }
                    self.model.message = .init("Saved as prompt \(number.map(String.init) ?? "?") of \(selection.modality.rawValue) in \(library?.userFile ?? "the user's prompt file").")
                case .cancelled: self.model.message = .init("Saving was cancelled.")
                case .failed(let error): self.model.message = .init("The prompt was not saved: \(readableError(error))", kind: .error)
                }
                self.startPendingRun()
            }
        } catch {
            model.message = .init("\(readableError(error))", kind: .error)
        }
    }

    // MARK: Comparing

    func startComparison(_ request: ComparisonRequest) {
        if let blocker = runBlocker { model.message = .init(blocker, kind: .error); return }
        guard let box = driver else { return }
        let selection = model.selection
        let flag = CancellationFlag()
        do {
            try jobs.start("comparing", work: { context in
                context.token.onCancel { flag.cancel() }
                context.report("running both sides")
                try box.driver.apply(selection)
                let result = try box.driver.compare(request, cancel: flag)
                return (result, box.driver.snapshot())
            }) { [weak self] (outcome: JobRunner.Outcome<(RunComparison, PipelineSnapshot)>) in
                guard let self else { return }
                switch outcome {
                case .finished(let (result, snapshot)):
                    self.model.snapshot = snapshot
                    self.model.comparison = result
                    self.model.comparisonOffset = 0
                    self.model.showingComparison = true
                case .cancelled: self.model.message = .init("The comparison was stopped.")
                case .failed(let error): self.model.message = .init("The comparison failed: \(readableError(error))", kind: .error)
                }
                self.startPendingRun()
            }
        } catch {
            model.message = .init("\(readableError(error))", kind: .error)
        }
    }

    // MARK: Sample previews

    /// Loads the selected sample in the background for the sample pane's preview (once per sample;
    /// after the sample stage has run, the pipeline's own copy is shown instead).
    func loadPreviewIfNeeded() {
        guard !previewJobs.isRunning, let item = model.selectedSample, item.exists else { return }
        let key = item.reference.text
        guard model.previewSamples[key] == nil, model.trace.sample == nil else { return }
        let modality = model.modality, reference = item.reference
        do {
            try previewJobs.start("loading \(item.name)", work: { _ -> Result<Sample, PreviewLoadError> in
                do { return .success(try SampleLoaders.load(modality, reference)) } catch { return .failure(PreviewLoadError("\(readableError(error))")) }
            }) { [weak self] outcome in
                guard let self else { return }
                switch outcome {
                case .finished(let result): self.model.rememberPreviewSample(result, for: key)
                case .failed(let error): self.model.rememberPreviewSample(.failure(PreviewLoadError("\(readableError(error))")), for: key)
                case .cancelled: break
                }
            }
        } catch {}
    }
}

/// The driver made by the load job, kept even when the job was cancelled (the load cannot stop).
private final class LoadedDriver: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (DriverBox, PipelineSnapshot)?
    var value: (DriverBox, PipelineSnapshot)? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

extension TUIModel {
    /// Keeps a few loaded samples for previews (they can be large: video frames, point clouds).
    func rememberPreviewSample(_ result: Result<Sample, PreviewLoadError>, for key: String) {
        if previewSamples.count >= 6, let oldest = previewSamples.keys.first(where: { $0 != key }) {
            previewSamples[oldest] = nil
        }
        previewSamples[key] = result
    }
}

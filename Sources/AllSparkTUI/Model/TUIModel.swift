import AllSpark
import AllSparkData
import SparkLM

/// Everything the main screen shows, in one place: `TUIController` changes it in response to keys
/// and job results, `MainScreen` draws it. No ncurses here, so all of it is testable.
public final class TUIModel {
    public struct Message: Equatable, Sendable {
        public enum Kind: Sendable { case info, error }
        public var text: String
        public var kind: Kind
        public init(_ text: String, kind: Kind = .info) { self.text = text; self.kind = kind }
    }

    public var focus: PaneID = .modalities
    public var modality: Modality = .text
    /// Where `samples/<modality>/` folders are looked for.
    public let samplesRoot: String
    private var folders: [Modality: SampleFolder] = [:]

    /// Index into `visibleSamples`.
    public var sampleSelection: Int?
    public var filter: String = ""
    public var stageSelection: Int = 0
    /// Scroll offsets of lists and documents, by pane. Views clamp them when drawing.
    public var scroll: [PaneID: Int] = [:]

    /// The prompt as last kept (Enter, or chosen from the modality's prompts), and an edited
    /// version not yet kept.
    public var prompt: String = ""
    public var promptDraft: String?
    public var histories: [LineKind: LineHistory] = [:]
    /// The line being edited, if any, and the text it had before (Esc puts it back).
    public var editing: LineKind?
    public var textBeforeEditing: String = ""

    // MARK: The pipeline

    /// The model configuration (read at start); nil with `configurationProblem` when it cannot be read.
    public var configuration: AllSparkConfiguration?
    public var configurationProblem: String?
    public var loadState: ModelLoadState = .notStarted
    /// The pipeline's results as last copied from the session.
    public var snapshot: PipelineSnapshot?
    /// The run in progress, if any.
    public var run: RunProgress?
    public var failure: StageFailure?
    public var lastRun: RunReport?
    /// How many tokens the generation stage produces, and how it samples them.
    public var maxNewTokens = 48
    public var samplingSettings = SamplingSettings.greedy
    /// Prompt libraries read from the configuration's prompt files (the snapshot's, with the
    /// user's saved prompts, takes over once the session has the modality).
    public var promptLibraries: [Modality: PromptLibrary] = [:]
    /// Why the modality's prompts could not be read.
    public var promptProblems: [Modality: String] = [:]

    // MARK: Views and overlays

    /// The bridge view's chosen query and layer (`[` `]` and `{` `}`).
    public var bridgeQuery = 0
    public var bridgeLayer: Int?
    /// `z`: the detail pane takes the whole middle of the screen.
    public var detailZoomed = false
    /// The pane that had the focus before `z`; it gets it back when the detail pane shrinks again,
    /// so `k` after `z z` still chooses stages.
    public var focusBeforeZoom: PaneID?
    public var dialog: Dialog?
    public var comparison: RunComparison?
    public var showingComparison = false
    public var comparisonOffset = 0
    /// `:widgets`: the detail pane shows the widget gallery until another stage is chosen.
    public var showingWidgetGallery = false
    /// The last REPL command typed on the `:` line and what it printed; the detail pane shows it
    /// until another stage is chosen.
    public var transcript: CommandTranscript?
    public var showingHelp = false
    public var helpOffset = 0
    public var message: Message?
    public var quitRequested = false
    /// The program's exit status once it quits: 0 for q and :quit, 128 + the signal number when
    /// a signal or Ctrl-C (130, as if by SIGINT) ended it.
    public var exitStatus: Int32 = 0
    /// Text previews by path, read once.
    public var textPreviews: [String: Preview?] = [:]
    /// Loaded samples for the sample pane's preview before the pipeline has run, by reference text.
    public var previewSamples: [String: Result<Sample, PreviewLoadError>] = [:]
    /// Previews drawn at a size, so a frame does not redraw a picture that did not change.
    public var renderedPreviews: [String: Preview] = [:]

    public init(samplesRoot: String) {
        self.samplesRoot = samplesRoot
    }

    public var folder: SampleFolder { folder(for: modality) }

    public func folder(for modality: Modality) -> SampleFolder {
        if let cached = folders[modality] { return cached }
        let scanned = SampleBrowser.scan(root: samplesRoot, modality: modality)
        folders[modality] = scanned
        return scanned
    }

    /// Forgets listed folders, so they are read again (`:rescan`).
    public func forgetFolders() { folders = [:] }

    public var visibleSamples: [SampleItem] { SampleBrowser.filter(folder.items, by: filter) }

    public var selectedSample: SampleItem? {
        let items = visibleSamples
        return sampleSelection.flatMap { items.indices.contains($0) ? items[$0] : nil }
    }

    /// The prompt as shown: the draft when there is one.
    public var shownPrompt: String { promptDraft ?? prompt }

    public func history(_ kind: LineKind) -> LineHistory { histories[kind] ?? LineHistory() }

    // MARK: Derived pipeline state

    /// What the pipeline should run on now.
    public var selection: PipelineSelection {
        PipelineSelection(modality: modality, sample: selectedSample?.reference, prompt: prompt,
                          maxNewTokens: maxNewTokens, settings: samplingSettings)
    }

    /// The modality's prompts: the session's (with saved user prompts) when it has this modality.
    public var prompts: PromptLibrary? {
        if let snapshot, snapshot.selection.modality == modality, let library = snapshot.prompts { return library }
        return promptLibraries[modality]
    }

    /// The results that still hold for the current selection: all of the snapshot when nothing
    /// changed, up to the bridge after a prompt edit, nothing after another sample or modality.
    public var trace: Trace {
        guard let snapshot else { return Trace(modality: modality) }
        guard let changed = snapshot.selection.firstStageChanged(comparedWith: selection) else { return snapshot.trace }
        if changed == .sample { return Trace(modality: modality) }
        var kept = snapshot.trace
        kept.clear(from: changed)
        return kept
    }

    /// The failure, while it still applies to the selection.
    public var visibleFailure: StageFailure? {
        guard let failure else { return nil }
        guard let changed = failure.selection.firstStageChanged(comparedWith: selection) else { return failure }
        return changed > failure.stage ? failure : nil
    }

    /// The pipeline pane's rows: done stages with their shape and time, the running one, a failed one.
    public var stages: [StageRow] {
        let trace = self.trace
        let failure = visibleFailure
        return PipelineStage.allCases.map { stage in
            if let record = trace.records[stage] {
                return StageRow(stage: stage, state: .done, shape: record.outputShape, seconds: record.seconds)
            }
            if run?.stage == stage { return StageRow(stage: stage, state: .current) }
            if failure?.stage == stage { return StageRow(stage: stage, state: .failed) }
            return StageRow(stage: stage)
        }
    }

    public var selectedStage: PipelineStage {
        PipelineStage.allCases[min(max(0, stageSelection), PipelineStage.allCases.count - 1)]
    }

    public var isModelReady: Bool { loadState == .ready }

    /// The status line: the session's configuration and provenance once the model is there, else
    /// what is happening to it.
    public var status: StatusInfo {
        var info = snapshot?.status ?? StatusInfo(configuration: configuration?.name)
        switch loadState {
        case .notStarted: info.note = "model not loaded"
        case .loading: info.note = "loading the model"
        case .failed: info.note = "model not loaded"
        case .ready: break
        }
        return info
    }
}

extension SampleItem {
    /// The reference the pipeline loads this item by.
    public var reference: SampleReference { SampleReference(path: path, options: options) }
}

/// Why a sample could not be loaded for its preview.
public struct PreviewLoadError: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

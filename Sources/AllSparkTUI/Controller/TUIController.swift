import AllSpark
import AllSparkData
import Foundation

/// Turns keys, mouse events, Ctrl-C and job results into changes of the model. Owns the line
/// editor (readline), the job runners and the pipeline driver. Has no ncurses in it: the app's loop
/// feeds it decoded keys and the current layout, so its behaviour is tested by feeding it keys.
public final class TUIController {
    public let model: TUIModel
    /// Runs the model load, the pipeline's stages, saving and comparisons: one at a time.
    public let jobs: JobRunner
    /// Loads samples for the preview while the pipeline may be busy.
    public let previewJobs: JobRunner
    let editor = LineEditor()
    /// The pipeline, once the model has loaded. Used only inside jobs of `jobs`.
    var driver: DriverBox?
    /// Where user prompts are read and saved (nil: the configuration's choice, else the standard
    /// place). Set before `startPipeline`, which puts it into the configuration everyone reads.
    public var promptUserDirectory: String?
    /// A run to start when the running job ends (a prompt kept while a stage was running).
    var pendingRun: RunRequest?
    /// Set by Ctrl-l; the app repaints the whole terminal and clears it.
    public var fullRedrawRequested = false
    /// Set by Ctrl-z; the app hands the terminal back to the shell and stops until resumed.
    public var suspendRequested = false
    /// The layout of the last frame drawn: for mouse hit-testing, h/l neighbours and page sizes.
    public var layout: ScreenLayout?

    public init(model: TUIModel, jobs: JobRunner, previewJobs: JobRunner? = nil) {
        self.model = model
        self.jobs = jobs
        self.previewJobs = previewJobs ?? JobRunner(mainQueue: jobs.mainQueue)
        selectFirstSample()
    }

    /// The line being edited, for drawing; nil when none is.
    public var editorDisplay: LineEditor.Display? { model.editing == nil ? nil : editor.display }

    /// Which part of the key table applies now.
    public var scope: KeyBinding.Scope {
        if model.editing != nil { return .editing }
        if model.showingHelp { return .help }
        if model.dialog != nil { return .dialog }
        if model.showingComparison { return .comparison }
        return .panes
    }

    // MARK: Keys

    public func handle(_ key: Key) {
        if key == .resize { return }  // the app recomputes the layout; nothing else changes
        let scope = self.scope
        if scope == .panes, model.message != nil, !(key == .escape) { model.message = nil }
        let action = KeyBindings.action(for: key, in: scope)
        if scope == .editing {
            handleWhileEditing(key, action: action)
        } else if let action {
            perform(action, key: key)
        }
    }

    /// Ctrl-C (SIGINT): stops the running job, or quits (see `InterruptPolicy`).
    public func interrupt() {
        switch InterruptPolicy.decide(jobRunning: jobs.isRunning, jobAlreadyCancelling: jobs.running?.isCancelling ?? false) {
        case .cancelJob:
            jobs.cancelRunning()
            pendingRun = nil
            model.message = .init("Stopping \(jobs.running?.title ?? "the job") (Ctrl-c again quits)")
        case .quit:
            quit(status: 128 + SIGINT)
        }
    }

    public func quit(status: Int32 = 0) {
        model.exitStatus = status
        if model.editing != nil { leaveEditing() }
        jobs.cancelRunning()
        previewJobs.cancelRunning()
        model.quitRequested = true
    }

    /// Work between keys: starts loading the selected sample's preview when it is not loaded yet.
    public func tick() {
        loadPreviewIfNeeded()
    }

    func perform(_ action: Action, key: Key) {
        switch action {
        case .focusNextPane: model.focus = model.focus.cycled(by: 1)
        case .focusPreviousPane: model.focus = model.focus.cycled(by: -1)
        case .focusPaneLeft: focusNeighbour(.left)
        case .focusPaneRight: focusNeighbour(.right)
        case .moveUp: move(by: -1)
        case .moveDown: move(by: 1)
        case .moveToTop: move(by: Int.min / 2)
        case .moveToBottom: move(by: Int.max / 2)
        case .halfPageUp: move(by: -halfPage)
        case .halfPageDown: move(by: halfPage)
        case .activate: activate()
        case .clickAt:
            if case .mouse(let event) = key { if model.dialog != nil { clickInDialog(event) } else { click(event) } }
        case .wheelUp, .wheelDown:
            if case .mouse(let event) = key, let pane = layout?.pane(atX: event.x, y: event.y) {
                model.focus = pane
                move(by: action == .wheelUp ? -3 : 3)
            }
        case .runNextStage: run(.next)
        case .runAllStages: run(.all)
        case .rerunFromPrompt: run(.fromPrompt)
        case .choosePrompt: openPromptDialog()
        case .savePrompt: savePrompt()
        case .compare: openCompareDialog()
        case .previousQuery, .nextQuery: stepBridgeQuery(by: action == .nextQuery ? 1 : -1)
        case .previousLayer, .nextLayer: stepBridgeLayer(by: action == .nextLayer ? 1 : -1)
        case .toggleZoom: if model.detailZoomed { leaveZoom() } else { enterZoom() }
        case .editPrompt: beginEditing(.prompt)
        case .openFilter: beginEditing(.filter)
        case .openCommandLine: beginEditing(.command)
        case .toggleHelp:
            model.showingHelp.toggle()
            model.helpOffset = 0
        case .back:
            if model.detailZoomed { leaveZoom() } else if !model.filter.isEmpty { setFilter("") } else { model.message = nil }
        case .quit: quit()
        case .interrupt: interrupt()
        case .redraw: fullRedrawRequested = true
        case .suspend: suspendRequested = true
        case .choose: chooseInDialog()
        case .closeOverlay:
            if model.dialog != nil { model.dialog = nil } else { model.showingComparison = false }
        case .commitEdit, .cancelEdit, .editorKey: break  // only bound while editing
        }
    }

    // MARK: Moving

    func enterZoom() {
        model.focusBeforeZoom = model.focus
        model.detailZoomed = true
        model.focus = .detail
    }

    func leaveZoom() {
        model.detailZoomed = false
        if let pane = model.focusBeforeZoom { model.focus = pane }
        model.focusBeforeZoom = nil
    }

    /// Rows of half the focused pane's inside (at least 1).
    var halfPage: Int {
        let overlay = model.showingHelp || model.showingComparison
        let pane = overlay ? (layout.map { $0.height - 6 } ?? 20) : (layout?[model.focus].height ?? 12) - 2
        return max(1, pane / 2)
    }

    func focusNeighbour(_ direction: ScreenLayout.Direction) {
        if let next = layout?.neighbour(of: model.focus, direction) { model.focus = next }
    }

    /// Moves the selection (lists) or the scroll position (documents, help) of the focused pane.
    func move(by steps: Int) {
        if model.showingHelp { model.helpOffset = max(0, model.helpOffset.addingClamped(steps)); return }
        if model.dialog != nil { model.dialog?.move(by: steps); return }
        if model.showingComparison { model.comparisonOffset = max(0, model.comparisonOffset.addingClamped(steps)); return }
        switch model.focus {
        case .modalities:
            let rows = ModalityList.rows(sampleCounts: [:])
            if let row = ListView.move(from: ModalityList.row(of: model.modality), by: steps, in: rows),
               let modality = ModalityList.modality(atRow: row) {
                select(modality)
            }
        case .samples:
            let count = model.visibleSamples.count
            guard count > 0 else { return }
            selectSample(at: min(count - 1, max(0, (model.sampleSelection ?? 0).addingClamped(steps))))
        case .stages:
            selectStage(min(PipelineStage.allCases.count - 1, max(0, model.stageSelection.addingClamped(steps))))
        case .sample, .detail:
            model.scroll[model.focus] = max(0, (model.scroll[model.focus] ?? 0).addingClamped(steps))
        case .prompt:
            break
        }
    }

    public func select(_ modality: Modality) {
        guard modality != model.modality else { return }
        model.modality = modality
        model.filter = ""
        model.scroll[.samples] = 0
        model.promptDraft = nil
        model.prompt = defaultPrompt(for: modality)
        model.bridgeQuery = 0
        model.bridgeLayer = nil
        selectFirstSample()
    }

    func selectFirstSample() {
        model.sampleSelection = model.visibleSamples.isEmpty ? nil : 0
        model.scroll[.sample] = 0
    }

    func selectSample(at index: Int) {
        model.sampleSelection = index
        model.scroll[.sample] = 0
    }

    func selectStage(_ index: Int) {
        guard index != model.stageSelection || model.showingWidgetGallery || model.transcript != nil else { return }
        model.stageSelection = index
        model.scroll[.detail] = 0
        model.showingWidgetGallery = false
        model.transcript = nil
    }

    func activate() {
        switch model.focus {
        case .modalities: model.focus = .samples
        case .samples: if model.selectedSample != nil { model.focus = .sample }
        case .stages: model.focus = .detail
        case .prompt: beginEditing(.prompt)
        case .sample, .detail: break
        }
    }

    func click(_ event: MouseEvent) {
        guard let layout, let pane = layout.pane(atX: event.x, y: event.y) else { return }
        model.focus = pane
        let rect = layout[pane]
        // Lists draw inside a one-cell frame, scrolled by the offset the view last used.
        let row = event.y - rect.y - 1 + (model.scroll[pane] ?? 0)
        switch pane {
        case .modalities: if let modality = ModalityList.modality(atRow: row) { select(modality) }
        case .samples: if model.visibleSamples.indices.contains(row) { selectSample(at: row) }
        case .stages: if PipelineStage.allCases.indices.contains(row) { selectStage(row) }
        case .prompt: beginEditing(.prompt)
        case .sample, .detail: break
        }
    }

    // MARK: The bridge view's query and layer

    func stepBridgeQuery(by step: Int) {
        guard let bridge = model.trace.bridge, bridge.tokens.shape.first ?? 0 > 0 else {
            model.message = .init("[ and ] choose a query token once the bridge stage has run.")
            return
        }
        let count = bridge.tokens.shape[0]
        model.bridgeQuery = ((model.bridgeQuery + step) % count + count) % count
        showStage(.bridge)
    }

    func stepBridgeLayer(by step: Int) {
        guard let bridge = model.trace.bridge, !bridge.attention.isEmpty else {
            model.message = .init("{ and } choose a bridge layer once the bridge stage has run.")
            return
        }
        let count = bridge.attention.count
        let current = model.bridgeLayer ?? (count - 1)
        model.bridgeLayer = ((current + step) % count + count) % count
        showStage(.bridge)
    }

    /// Selects `stage` in the pipeline pane so the detail pane shows it.
    func showStage(_ stage: PipelineStage) {
        if model.stageSelection != stage.rawValue { selectStage(stage.rawValue) }
    }
}

extension Int {
    /// Addition that saturates instead of trapping (g/G move by very large steps).
    func addingClamped(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? Int.max : Int.min) : sum
    }
}

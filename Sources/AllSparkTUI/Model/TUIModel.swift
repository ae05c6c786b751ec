import AllSparkData

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
    public var stages: [StageRow] = StageRow.allPending
    public var stageSelection: Int = 0
    /// Scroll offsets of lists and documents, by pane. Views clamp them when drawing.
    public var scroll: [PaneID: Int] = [:]

    /// The prompt as last kept (Enter), and an edited version not yet kept.
    public var prompt: String = ""
    public var promptDraft: String?
    public var histories: [LineKind: LineHistory] = [:]
    /// The line being edited, if any, and the text it had before (Esc puts it back).
    public var editing: LineKind?
    public var textBeforeEditing: String = ""

    /// `:widgets`: the detail pane shows the widget gallery until another stage is chosen.
    public var showingWidgetGallery = false
    public var showingHelp = false
    public var helpOffset = 0
    public var message: Message?
    public var quitRequested = false
    /// The program's exit status once it quits: 0 for q and :quit, 128 + the signal number when
    /// a signal or Ctrl-C (130, as if by SIGINT) ended it.
    public var exitStatus: Int32 = 0
    public var status: StatusInfo = .notWired
    /// Text previews by path, read once.
    public var textPreviews: [String: Preview?] = [:]

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
}

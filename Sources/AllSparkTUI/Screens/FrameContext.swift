/// Everything one frame is drawn from.
public struct FrameContext {
    /// The running job as the status line shows it.
    public struct JobStatus: Equatable, Sendable {
        public var title: String
        public var elapsed: Double
        public var message: String
        public var fraction: Double?
        public var cancelling: Bool
    }

    public var model: TUIModel
    public var theme: Theme
    public var job: JobStatus?
    public var editor: LineEditor.Display?
    /// Which keys apply now (for the hint bar).
    public var scope: KeyBinding.Scope

    public init(model: TUIModel, theme: Theme, job: JobStatus? = nil, editor: LineEditor.Display? = nil, scope: KeyBinding.Scope = .panes) {
        self.model = model; self.theme = theme; self.job = job; self.editor = editor; self.scope = scope
    }

    public init(controller: TUIController, theme: Theme) {
        let job = controller.jobs.running.map { running -> JobStatus in
            let progress = running.context.progress.snapshot
            return JobStatus(title: running.title, elapsed: running.elapsed, message: progress.message,
                             fraction: progress.fraction, cancelling: running.isCancelling)
        }
        self.init(model: controller.model, theme: theme, job: job, editor: controller.editorDisplay, scope: controller.scope)
    }

    var glyphs: Glyphs { theme.looks.glyphs }
}

import Foundation

/// The full-screen interface's main loop: draw, wait up to 50 ms for a key, handle it; between
/// keys, take signals and results posted by background jobs. Everything that touches ncurses runs
/// here, on the main thread.
public enum TUIApp {
    /// Runs until the user quits; returns the exit status (0 for q and :quit, 128 + the signal
    /// number when a signal ended it). Throws `TUIUnavailable`, before any ncurses call when there is
    /// no terminal, when the interface cannot start.
    public static func run(_ options: TUIOptions) throws -> Int32 {
        if let problem = TerminalCheck.currentProblem() {
            throw TUIUnavailable(description: problem + "\n" + TerminalCheck.alternatives)
        }
        let session: TerminalSession
        do {
            session = try TerminalSession(
                colourAllowed: Looks.colourAllowed(environment: options.environment, noColorFlag: options.noColor),
                unicode: !options.ascii)
        } catch {
            throw TUIUnavailable(description: "allspark's full-screen interface cannot start: \(error)\n" + TerminalCheck.alternatives)
        }
        defer { session.close() }

        let model = TUIModel(samplesRoot: options.samplesDirectory)
        let jobs = JobRunner(mainQueue: MainQueue())
        let controller = TUIController(model: model, jobs: jobs)
        controller.promptUserDirectory = options.promptUserDirectory
        controller.startPipeline(.model(configurationPath: options.configurationPath))
        let canvas = CursesCanvas(looks: session.looks)
        let theme = Theme(looks: session.looks)
        var dirty = true, clearNext = true
        var lastSize = (width: -1, height: -1)

        while !model.quitRequested {
            for signal in SignalWatcher.takePending() {
                if signal == SIGINT { controller.interrupt() } else { controller.quit(status: 128 + signal) }
                dirty = true
            }
            if model.quitRequested { break }
            if jobs.mainQueue.drain() > 0 { dirty = true }
            controller.tick()

            let size = session.size
            if size != lastSize { lastSize = size; dirty = true }
            if dirty || jobs.isRunning || controller.previewJobs.isRunning {
                controller.layout = ScreenLayout.compute(width: size.width, height: size.height, detailZoomed: model.detailZoomed)
                let grid = CellGrid(width: size.width, height: size.height)
                let cursor = MainScreen.render(FrameContext(controller: controller, theme: theme), into: grid)
                canvas.draw(grid, cursor: cursor, clearFirst: clearNext || controller.fullRedrawRequested)
                dirty = false; clearNext = false; controller.fullRedrawRequested = false
            }

            if controller.suspendRequested {
                controller.suspendRequested = false
                session.suspend()
                clearNext = true
                dirty = true
            }

            // One key with a timeout, then whatever else is already waiting (a paste), before drawing.
            guard var key = CursesInput.read(timeoutMilliseconds: 50) else { continue }
            for _ in 0..<256 {
                if key == .resize { clearNext = true }
                controller.handle(key)
                dirty = true
                guard !model.quitRequested, !controller.suspendRequested, let next = CursesInput.read(timeoutMilliseconds: 0) else { break }
                key = next
            }
        }
        return model.exitStatus
    }
}

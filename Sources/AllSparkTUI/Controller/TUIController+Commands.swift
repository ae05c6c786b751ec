import Foundation
import SparkFormats

/// The `:` command line's commands.
extension TUIController {
    /// The TUI's own commands first (they change the panes directly); any other line in the REPL's
    /// language goes to the shared interpreter (`interpret`).
    func run(_ line: String) {
        switch LineCommand.parse(line) {
        case .failure(let error):
            let word = line.split(separator: " ").first.map(String.init) ?? ""
            if CommandCatalog.spec(named: word) != nil {
                interpret(line)
            } else if LineCommand.specs.contains(where: { $0.names.contains(word.lowercased()) }) {
                model.message = .init(error.description, kind: .error)
            } else {
                let own = LineCommand.specs.map { $0.names[0] }
                let names = own + CommandCatalog.names.filter { !own.contains($0) }
                model.message = .init("unknown command '\(word)'; commands: " + names.joined(separator: ", ")
                                      + " (:help says what each does)", kind: .error)
            }
        case .success(let command):
            switch command {
            case .quit: quit()
            case .help: model.showingHelp = true; model.helpOffset = 0
            case .modality(let modality): select(modality); model.focus = .samples
            case .filter(let text): setFilter(text)
            case .rescan:
                model.forgetFolders()
                setFilter(model.filter)
                model.message = .init("Read \(model.samplesRoot)/ again: \(model.folder.items.count) \(model.modality.rawValue) samples.")
            case .demoJob(let seconds): startDemoJob(seconds: seconds)
            case .tokens(let count):
                model.maxNewTokens = count
                model.message = .init(count == 0 ? "The generation stage will produce no tokens." : "The generation stage will produce up to \(count) tokens.")
            case .prompt(let number):
                guard let library = promptLibrary(for: model.modality) else {
                    model.message = .init("No prompts for \(model.modality.rawValue).", kind: .error); return
                }
                guard let prompt = try? library.prompt(number: number) else {
                    model.message = .init("There is no prompt \(number) for \(model.modality.rawValue); choose 1 to \(library.prompts.count).", kind: .error)
                    return
                }
                promptChanged(to: prompt.text)
            case .widgets:
                model.showingWidgetGallery = true
                model.scroll[.detail] = 0
                model.focus = .detail
            }
        }
    }

    /// A stand-in for a pipeline stage: sleeps in 50 steps, reporting progress and checking for
    /// cancellation between steps, as the real stages will.
    func startDemoJob(seconds: Double) {
        let steps = 50
        do {
            try jobs.start("demo job", work: { context in
                for step in 1...steps {
                    try context.checkCancellation()
                    context.report("step \(step)/\(steps)", fraction: Double(step) / Double(steps))
                    Thread.sleep(forTimeInterval: seconds / Double(steps))
                }
                return steps
            }) { [weak self] outcome in
                guard let self else { return }
                switch outcome {
                case .finished(let count): self.model.message = .init("Demo job finished (\(count) steps).")
                case .cancelled: self.model.message = .init("Demo job cancelled.")
                case .failed(let error): self.model.message = .init("Demo job failed: \(readableError(error))", kind: .error)
                }
            }
        } catch {
            model.message = .init("\(readableError(error))", kind: .error)
        }
    }
}

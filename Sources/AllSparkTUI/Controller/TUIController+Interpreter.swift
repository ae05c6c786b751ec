import AllSpark
import AllSparkData
import Foundation
import SparkFormats
import SparkLM

/// The `:` line's REPL commands (`CommandCatalog`: step, run, show, generate, compare, save,
/// export, …), carried out by the same interpreter as `allspark repl` on the TUI's own session,
/// in a background job. What they print goes to the detail pane; what they change (modality,
/// sample, prompt, sampling) is taken over by the panes, so both always show the same pipeline.
extension TUIController {
    func interpret(_ line: String) {
        guard let box = driver else {
            model.message = .init(runBlocker ?? "The model is not loaded yet.", kind: .error)
            return
        }
        if let running = jobs.running {
            model.message = .init("'\(running.title)' is still running (Ctrl-c stops it).", kind: .error)
            return
        }
        let selection = model.selection
        let samplesDirectory = model.samplesRoot
        let queue = jobs.mainQueue
        let flag = CancellationFlag()
        model.transcript = CommandTranscript(command: line)
        model.showingWidgetGallery = false
        model.scroll[.detail] = 0
        do {
            try jobs.start(":" + line, work: { context in
                context.token.onCancel { flag.cancel() }
                let driver = box.driver
                // The session first takes what the panes show, so the command works on that.
                try driver.apply(selection)
                do {
                    let output = try driver.interpret(line, samplesDirectory: samplesDirectory, cancel: flag) { piece in
                        queue.post { [weak self] in self?.model.transcript?.append(piece) }
                    }
                    return (output, driver.snapshot())
                } catch {
                    // What ran before the error (stages, a selection) still shows.
                    let snapshot = driver.snapshot()
                    queue.post { [weak self] in self?.adopt(snapshot) }
                    throw error
                }
            }) { [weak self] (outcome: JobRunner.Outcome<(CommandOutput, PipelineSnapshot)>) in
                guard let self else { return }
                self.model.transcript?.running = false
                switch outcome {
                case .finished(let (output, snapshot)):
                    self.adopt(snapshot)
                    if output.quit { self.quit(); return }
                    // A command that printed as it went already shows its text; others show their lines.
                    if self.model.transcript?.text.isEmpty == true {
                        self.model.transcript?.text = output.lines.map { $0 + "\n" }.joined()
                    }
                    self.model.message = .init(":\(line) done; the detail pane shows its output (choose a stage to leave it).")
                case .cancelled:
                    self.model.transcript?.append("\n[stopped]\n")
                    self.model.message = .init(":\(line) stopped.")
                case .failed(let error):
                    self.model.transcript?.append("\nerror: \(readableError(error))\n")
                    self.model.message = .init("\(readableError(error))", kind: .error)
                }
                self.startPendingRun()
            }
        } catch {
            model.transcript = nil
            model.message = .init("\(readableError(error))", kind: .error)
        }
    }

    /// Takes over what the session has now: its results, and the modality, sample, prompt and
    /// sampling settings a command chose, so the panes and the session agree again.
    func adopt(_ snapshot: PipelineSnapshot) {
        model.snapshot = snapshot
        let chosen = snapshot.selection
        if chosen.modality != model.modality { select(chosen.modality) }
        if let sample = chosen.sample, model.selectedSample?.reference != sample {
            if !model.filter.isEmpty, !model.visibleSamples.contains(where: { $0.reference == sample }) { setFilter("") }
            if let index = model.visibleSamples.firstIndex(where: { $0.reference == sample }) {
                selectSample(at: index)
            } else {
                model.message = .init("\(sample.text) is not in the Samples list, so the panes cannot show it; "
                                      + "the next n or r runs the listed sample again.", kind: .error)
            }
        }
        if chosen.prompt != model.prompt { model.prompt = chosen.prompt; model.promptDraft = nil }
        model.maxNewTokens = chosen.maxNewTokens
        model.samplingSettings = chosen.settings
    }
}

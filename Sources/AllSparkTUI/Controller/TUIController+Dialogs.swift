import AllSparkData

/// The prompt picker and the comparison's set-up, as dialogs over the screen.
extension TUIController {
    /// `p`: the modality's prompts, the one in use selected.
    func openPromptDialog() {
        guard let library = promptLibrary(for: model.modality) else {
            model.message = .init("No prompts for \(model.modality.rawValue): \(model.promptProblems[model.modality] ?? model.configurationProblem ?? "no configuration")", kind: .error)
            return
        }
        let choices = library.prompts.enumerated().map { index, prompt in
            Dialog.Choice("\(index + 1). \(prompt.text)", detail: prompt.origin.rawValue, value: .prompt(prompt.text))
        }
        let current = library.prompts.firstIndex { $0.text == model.prompt } ?? 0
        model.dialog = Dialog(purpose: .choosePrompt, title: "Prompts for \(model.modality.displayName)",
                              explanation: "Enter uses the prompt (the stages after the bridge run again); Esc backs out.",
                              choices: choices, selection: current)
    }

    /// `c`: first, what to compare.
    func openCompareDialog() {
        if let blocker = runBlocker { model.message = .init(blocker, kind: .error); return }
        var choices = [Dialog.Choice("Two prompts on this sample", detail: "\(promptChoices().count) prompts", value: .comparePrompts),
                       Dialog.Choice("Two samples with this prompt", detail: "\(model.folder.items.filter(\.exists).count) samples", value: .compareSamples)]
        if model.comparison != nil { choices.append(Dialog.Choice("Show the last comparison again", value: .showLastComparison)) }
        model.dialog = Dialog(purpose: .compareWhat, title: "Compare", explanation: "Runs both through the head (and the generation), then shows them side by side.",
                              choices: choices)
    }

    /// The prompts a comparison can use: the library's, and the prompt line when it is not one of them.
    func promptChoices() -> [Dialog.Choice] {
        var choices = (promptLibrary(for: model.modality)?.prompts ?? []).enumerated().map { index, prompt in
            Dialog.Choice("\(index + 1). \(prompt.text)", detail: prompt.origin.rawValue, value: .prompt(prompt.text))
        }
        let line = model.shownPrompt
        if !line.isEmpty, !choices.contains(where: { $0.value == .prompt(line) }) {
            choices.append(Dialog.Choice("the prompt line: \(line)", detail: "edited", value: .prompt(line)))
        }
        return choices
    }

    func sampleChoices() -> [Dialog.Choice] {
        model.folder.items.filter(\.exists).map { Dialog.Choice($0.displayName, detail: $0.name, value: .sample($0.reference)) }
    }

    func chooseInDialog() {
        guard let dialog = model.dialog, let choice = dialog.chosen else { model.dialog = nil; return }
        model.dialog = nil
        switch (dialog.purpose, choice.value) {
        case (.choosePrompt, .prompt(let text)):
            promptChanged(to: text)
        case (.compareWhat, .comparePrompts):
            let choices = promptChoices()
            guard choices.count >= 2 else {
                model.message = .init("Only one prompt to compare: edit the prompt line (e) first, then compare it with prompt 1.", kind: .error)
                return
            }
            let current = choices.firstIndex { $0.value == .prompt(model.shownPrompt) } ?? 0
            model.dialog = Dialog(purpose: .compareFirst, title: "Compare: the first prompt (A)", explanation: "Enter chooses A; Esc backs out.",
                                  choices: choices, selection: current)
        case (.compareWhat, .compareSamples):
            let choices = sampleChoices()
            guard choices.count >= 2 else {
                model.message = .init("Fewer than two \(model.modality.rawValue) samples to compare.", kind: .error)
                return
            }
            let current = model.selectedSample.flatMap { item in choices.firstIndex { $0.value == .sample(item.reference) } } ?? 0
            model.dialog = Dialog(purpose: .compareFirst, title: "Compare: the first sample (A)", explanation: "Enter chooses A; Esc backs out.",
                                  choices: choices, selection: current)
        case (.compareWhat, .showLastComparison):
            model.showingComparison = model.comparison != nil
        case (.compareFirst, let first):
            let all: [Dialog.Choice]
            if case .sample = first { all = sampleChoices() } else { all = promptChoices() }
            model.dialog = Dialog(purpose: .compareSecond(first: first), title: "Compare: the second (B), against A = \(choice.label)",
                                  explanation: "Enter runs the comparison (Ctrl-c stops it); Esc backs out.",
                                  choices: all.filter { $0.value != first })
        case (.compareSecond(let first), let second):
            switch (first, second) {
            case (.prompt(let a), .prompt(let b)): startComparison(.prompts(a, b))
            case (.sample(let a), .sample(let b)): startComparison(.samples(a, b))
            default: break
            }
        default:
            break
        }
    }

    /// A click on a dialog row chooses it; a click outside the dialog backs out.
    func clickInDialog(_ event: MouseEvent) {
        guard let layout, let dialog = model.dialog else { return }
        let box = DialogOverlayView.box(for: dialog, screenWidth: layout.width, screenHeight: layout.height)
        let rows = DialogOverlayView.listArea(in: box)
        guard rows.contains(x: event.x, y: event.y) else {
            if !box.contains(x: event.x, y: event.y) { model.dialog = nil }
            return
        }
        let index = event.y - rows.y + dialog.offset
        guard dialog.choices.indices.contains(index) else { return }
        model.dialog?.selection = index
        chooseInDialog()
    }
}

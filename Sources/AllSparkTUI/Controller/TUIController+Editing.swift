/// Editing the prompt, the `/` filter and the `:` command line with readline.
extension TUIController {
    func beginEditing(_ kind: LineKind) {
        model.showingHelp = false
        let text: String
        switch kind {
        case .prompt:
            model.focus = .prompt
            text = model.shownPrompt
            model.textBeforeEditing = model.prompt
        case .filter:
            model.focus = .samples
            text = model.filter
            model.textBeforeEditing = model.filter
        case .command:
            text = ""
            model.textBeforeEditing = ""
        }
        model.editing = kind
        editor.begin(text: text, history: model.history(kind).entries)
    }

    func handleWhileEditing(_ key: Key, action: Action?) {
        guard let kind = model.editing else { return }
        switch action {
        case .commitEdit:
            finishEditing(kind, editor.commit())
        case .cancelEdit:
            if editor.isSearching { editor.abortSearch() } else { cancelEditing(kind) }
        case .focusNextPane, .focusPreviousPane:
            leaveEditing()
            model.focus = model.focus.cycled(by: action == .focusNextPane ? 1 : -1)
        case .interrupt:
            interrupt()
        default:
            if case .mouse = key { leaveEditing(); handle(key); return }
            let event = editor.handle(key)
            if kind == .filter, event == .editing { applyLiveFilter(editor.display.text) }
            finishEditing(kind, event)
        }
    }

    func finishEditing(_ kind: LineKind, _ event: LineEditor.Event) {
        switch event {
        case .editing: return
        case .cancelled: cancelEditing(kind)
        case .committed(let text):
            model.editing = nil
            model.histories[kind, default: LineHistory()].add(text)
            switch kind {
            case .prompt: promptChanged(to: text)
            case .filter: setFilter(text)
            case .command: run(text)
            }
        }
    }

    /// Esc: the line goes back to what it was before this edit (for the prompt, to the prompt as
    /// last kept — a draft is dropped too).
    func cancelEditing(_ kind: LineKind) {
        editor.end()
        model.editing = nil
        switch kind {
        case .prompt: model.promptDraft = nil
        case .filter: setFilter(model.textBeforeEditing)
        case .command: break
        }
    }

    /// Leaving a line without Enter or Esc (Tab, a click elsewhere, quitting): the prompt keeps its
    /// draft, the filter keeps what was typed (it is applied as it is typed), a command is dropped.
    func leaveEditing() {
        guard let kind = model.editing else { return }
        let text = editor.end()
        model.editing = nil
        switch kind {
        case .prompt: model.promptDraft = text == model.prompt ? nil : text
        case .filter: setFilter(text)
        case .command: break
        }
    }

    func applyLiveFilter(_ text: String) {
        guard text != model.filter else { return }
        setFilter(text)
    }

    func setFilter(_ text: String) {
        let previous = model.selectedSample
        model.filter = text
        let items = model.visibleSamples
        // Keep the selected sample selected when it is still listed.
        model.sampleSelection = previous.flatMap { p in items.firstIndex { $0 == p } } ?? (items.isEmpty ? nil : 0)
        model.scroll[.samples] = 0
    }
}

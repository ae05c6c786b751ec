/// The bottom line: the `/` filter or `:` command being edited, else a message, else the main keys
/// of the current scope (from the key table's hints).
enum HintBarView {
    static func render(_ context: FrameContext, into painter: Painter, origin: Rect) -> (x: Int, y: Int)? {
        let model = context.model, theme = context.theme
        if let kind = model.editing, kind != .prompt, let display = context.editor {
            let x = painter.put(kind.leader, x: 0, y: 0, style: theme.key)
            let column = EditedLineView.render(display, into: painter, x: x, y: 0, style: theme.text, markStyle: theme.dim)
            return (origin.x + column, origin.y)
        }
        if let message = model.message {
            painter.put(message.text, x: 1, y: 0, maxWidth: painter.width - 2, ellipsis: context.glyphs.ellipsis,
                        style: message.kind == .error ? theme.error : theme.text)
            return nil
        }
        let scope = context.scope
        let hints = KeyBindings.bindings(in: scope).compactMap { binding -> (action: Action, label: String, hint: String)? in
            guard let hint = binding.hint, let key = binding.keys.first else { return nil }
            return (binding.action, key.label(unicode: theme.looks.unicode), hint)
        }
        // When not all fit, the most important are kept (help and quit first), shown in table order.
        let priority: [Action] = [.toggleHelp, .quit, .runNextStage, .runAllStages, .editPrompt, .compare, .choose, .closeOverlay,
                                  .commitEdit, .cancelEdit, .choosePrompt, .focusNextPane, .moveDown, .openFilter, .openCommandLine]
        var room = painter.width - 1
        var kept = Set<Action>()
        for hint in hints.sorted(by: { (priority.firstIndex(of: $0.action) ?? 99) < (priority.firstIndex(of: $1.action) ?? 99) }) {
            let width = DisplayWidth.of(hint.label) + 1 + DisplayWidth.of(hint.hint) + 2
            if width <= room { kept.insert(hint.action); room -= width }
        }
        var x = 1
        for hint in hints where kept.contains(hint.action) {
            x += painter.put(hint.label, x: x, y: 0, style: theme.key)
            x += painter.put(" \(hint.hint)  ", x: x, y: 0, style: theme.dim)
        }
        if scope == .editing && model.editing == .prompt && x + 40 < painter.width {
            painter.put("Tab leaves, draft kept", x: x, y: 0, style: theme.dim)
        }
        return nil
    }
}

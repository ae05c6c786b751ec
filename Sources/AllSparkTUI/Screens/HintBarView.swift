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
        let scope: KeyBinding.Scope = model.editing != nil ? .editing : (model.showingHelp ? .help : .panes)
        var x = 1
        for binding in KeyBindings.bindings(in: scope) {
            guard let hint = binding.hint, let key = binding.keys.first else { continue }
            let label = key.label(unicode: theme.looks.unicode)
            let width = DisplayWidth.of(label) + 1 + DisplayWidth.of(hint) + 2
            if x + width > painter.width { break }
            x += painter.put(label, x: x, y: 0, style: theme.key)
            x += painter.put(" \(hint)  ", x: x, y: 0, style: theme.dim)
        }
        if scope == .editing && model.editing == .prompt && x + 40 < painter.width {
            painter.put("Tab leaves, draft kept", x: x, y: 0, style: theme.dim)
        }
        return nil
    }
}

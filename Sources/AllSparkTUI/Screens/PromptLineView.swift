/// The prompt line: the modality's prompt, edited in place with readline. An edited prompt that
/// was not kept with Enter is marked as a draft.
enum PromptLineView {
    /// Returns the cursor position (screen coordinates) while the prompt is edited.
    static func render(_ context: FrameContext, into painter: Painter, origin: Rect) -> (x: Int, y: Int)? {
        let model = context.model, theme = context.theme
        let focused = model.focus == .prompt
        let label = " \(PaneID.prompt.title) \(context.glyphs.arrowRight) "
        let x = painter.put(label, x: 0, y: 0, style: focused ? theme.focusedTitle : theme.title)
        if model.editing == .prompt, let display = context.editor {
            let column = EditedLineView.render(display, into: painter, x: x, y: 0, style: theme.text, markStyle: theme.dim)
            return (origin.x + column, origin.y)
        }
        let tag = model.promptDraft != nil ? " [draft: Enter on it to edit, Enter again keeps it]" : ""
        let tagWidth = min(DisplayWidth.of(tag), max(0, painter.width - x - 10))
        let room = painter.width - x - tagWidth
        if model.shownPrompt.isEmpty {
            let why = model.promptProblems[model.modality].map { "(no prompts: \($0))" } ?? "(empty: press e to write a prompt)"
            painter.put(why, x: x, y: 0, maxWidth: room, ellipsis: context.glyphs.ellipsis, style: theme.dim)
        } else {
            painter.put(model.shownPrompt, x: x, y: 0, maxWidth: room, ellipsis: context.glyphs.ellipsis, style: theme.text)
        }
        if tagWidth > 0 {
            painter.put(tag, x: painter.width - tagWidth, y: 0, maxWidth: tagWidth, ellipsis: context.glyphs.ellipsis, style: theme.warning)
        }
        return nil
    }
}

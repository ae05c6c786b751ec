/// A dialog over the screen: a framed box with a title, one line saying what choosing does, and
/// the list of choices.
enum DialogOverlayView {
    /// The box for `dialog` on a screen of this size: as wide as its longest row allows (at most
    /// 100 columns, at least 40), as tall as its rows (at most the screen less 4 rows).
    static func box(for dialog: Dialog, screenWidth: Int, screenHeight: Int) -> Rect {
        let longest = dialog.choices.map { DisplayWidth.of($0.label) + DisplayWidth.of($0.detail) + 4 }.max() ?? 0
        let wanted = max(40, longest + 4, DisplayWidth.of(dialog.title) + 8, DisplayWidth.of(dialog.explanation) + 4)
        let width = min(screenWidth - 4, min(100, wanted))
        let height = min(screenHeight - 4, dialog.choices.count + 4)
        return Rect(x: (screenWidth - width) / 2, y: max(1, (screenHeight - height) / 2), width: width, height: height)
    }

    /// Where the rows are drawn inside `box` (screen coordinates): under the explanation line.
    static func listArea(in box: Rect) -> Rect {
        Rect(x: box.x + 1, y: box.y + 2, width: box.width - 2, height: box.height - 3)
    }

    static func render(_ context: FrameContext, into painter: Painter) {
        guard let dialog = context.model.dialog else { return }
        let theme = context.theme
        let box = Self.box(for: dialog, screenWidth: painter.width, screenHeight: painter.height)
        let area = painter.sub(box)
        area.fill(style: theme.overlay)
        let inside = PaneFrame.draw(area, title: dialog.title, focused: true, theme: theme, rightTitle: "Esc backs out")
        inside.put(dialog.explanation, x: 0, y: 0, maxWidth: inside.width, ellipsis: context.glyphs.ellipsis, style: theme.dim)
        let list = Self.listArea(in: box)
        let listPainter = painter.sub(list)
        let rows = dialog.choices.map { ListView.Row($0.label, detail: $0.detail) }
        let used = ListView.render(rows, selected: dialog.selection, offset: dialog.offset, focused: true, into: listPainter, theme: theme)
        context.model.dialog?.offset = used
        PaneFrame.drawScrollThumb(area, first: used, visible: list.height, total: rows.count, theme: theme)
    }
}

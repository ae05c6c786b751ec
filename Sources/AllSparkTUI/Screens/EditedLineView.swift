/// Draws a line being edited (readline's buffer) into one row, scrolled sideways so the cursor is
/// always visible, and returns the cursor's column in the painter.
enum EditedLineView {
    static func render(_ display: LineEditor.Display, into painter: Painter, x: Int, y: Int, style: CellStyle, markStyle: CellStyle) -> Int {
        let start = x + painter.put(display.prompt, x: x, y: y, style: markStyle)
        let room = painter.width - start
        guard room >= 3 else { return min(start, painter.width - 1) }
        let cursor = display.cursorColumn
        if cursor < room {
            painter.put(display.text, x: start, y: y, style: style)
            return start + cursor
        }
        // Too long: a "<" marks the hidden start, and the text is shifted so the cursor lands on
        // the row's last cell, skipping whole characters.
        let wanted = cursor - (room - 2)
        var skipped = 0
        var text = Substring(display.text)
        while skipped < wanted, let first = text.first {
            skipped += DisplayWidth.of(first)
            text = text.dropFirst()
        }
        painter.put("<", x: start, y: y, style: markStyle)
        painter.put(String(text), x: start + 1, y: y, style: style)
        return start + 1 + cursor - skipped
    }
}

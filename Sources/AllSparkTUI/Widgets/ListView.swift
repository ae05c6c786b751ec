/// A vertical list with one selected row, scrolled so the selection stays in view.
/// Rows that cannot be selected (group headings) are skipped by movement.
public struct ListView {
    public struct Row: Equatable, Sendable {
        public var text: String
        /// Shown right-aligned, dimmed (a size, a count, a shape).
        public var detail: String
        public var selectable: Bool
        public var style: CellStyle?
        public init(_ text: String, detail: String = "", selectable: Bool = true, style: CellStyle? = nil) {
            self.text = text; self.detail = detail; self.selectable = selectable; self.style = style
        }
    }

    /// The first row shown such that `selected` is visible, moving `offset` as little as possible.
    public static func scrollOffset(selected: Int?, offset: Int, visibleRows: Int, count: Int) -> Int {
        guard visibleRows > 0, count > visibleRows else { return 0 }
        var first = min(max(0, offset), count - visibleRows)
        if let selected {
            if selected < first { first = selected }
            if selected >= first + visibleRows { first = selected - visibleRows + 1 }
        }
        return first
    }

    /// The selectable row `steps` selectable rows away from `current` (negative: upwards),
    /// stopping at the ends; the first selectable row when nothing is selected.
    public static func move(from current: Int?, by steps: Int, in rows: [Row]) -> Int? {
        let selectable = rows.indices.filter { rows[$0].selectable }
        guard !selectable.isEmpty else { return nil }
        guard let current, let position = selectable.firstIndex(where: { $0 >= current }) else {
            return steps < 0 ? selectable.last : selectable.first
        }
        // A current row that is not selectable counts as sitting just before the next selectable one.
        let start = selectable[position] == current ? position : (steps > 0 ? position - 1 : position)
        return selectable[min(selectable.count - 1, max(0, start + steps))]
    }

    public static func first(in rows: [Row]) -> Int? { rows.indices.first { rows[$0].selectable } }
    public static func last(in rows: [Row]) -> Int? { rows.indices.last { rows[$0].selectable } }

    /// Draws rows from `offset`; the selected row gets the selection style (dimmer when the list
    /// has no focus) and a marker. Returns the offset used (after keeping the selection in view).
    @discardableResult
    public static func render(_ rows: [Row], selected: Int?, offset: Int, focused: Bool, into painter: Painter, theme: Theme) -> Int {
        let first = scrollOffset(selected: selected, offset: offset, visibleRows: painter.height, count: rows.count)
        let glyphs = theme.looks.glyphs
        for y in 0..<painter.height {
            let index = first + y
            guard index < rows.count else { break }
            let row = rows[index]
            let isSelected = index == selected
            let style = isSelected ? (focused ? theme.selection : theme.inactiveSelection) : (row.style ?? theme.text)
            if isSelected { painter.fill(Rect(x: 0, y: y, width: painter.width, height: 1), style: style) }
            let marker: String = isSelected ? String(glyphs.selectionMarker) : " "
            var detailWidth = DisplayWidth.of(row.detail)
            if detailWidth > painter.width / 2 { detailWidth = 0 }
            let textRoom = painter.width - 1 - (detailWidth > 0 ? detailWidth + 1 : 0)
            painter.put(row.selectable ? marker : "", x: 0, y: y, style: style)
            painter.put(row.text, x: row.selectable ? 1 : 0, y: y, maxWidth: textRoom + (row.selectable ? 0 : 1), ellipsis: glyphs.ellipsis, style: style)
            if detailWidth > 0 {
                painter.put(row.detail, x: painter.width - detailWidth, y: y, style: isSelected ? style : theme.dim)
            }
        }
        return first
    }
}

/// A pane's border with its title. The focused pane gets a heavy border and an inverted title,
/// so focus shows in monochrome and ASCII too.
public enum PaneFrame {
    /// Draws the frame around the painter's whole area and returns a painter for the inside.
    @discardableResult
    public static func draw(_ painter: Painter, title: String, focused: Bool, theme: Theme, rightTitle: String = "") -> Painter {
        let g = theme.looks.glyphs
        let w = painter.width, h = painter.height
        guard w >= 2, h >= 2 else { return painter.sub(.zero) }
        let style = focused ? theme.focusedBorder : theme.border
        let (hz, vt) = focused ? (g.heavyHorizontal, g.heavyVertical) : (g.horizontal, g.vertical)
        let corners = focused ? (g.heavyTopLeft, g.heavyTopRight, g.heavyBottomLeft, g.heavyBottomRight)
                              : (g.topLeft, g.topRight, g.bottomLeft, g.bottomRight)
        for x in 1..<(w - 1) {
            painter.set(x: x, y: 0, hz, style: style)
            painter.set(x: x, y: h - 1, hz, style: style)
        }
        for y in 1..<(h - 1) {
            painter.set(x: 0, y: y, vt, style: style)
            painter.set(x: w - 1, y: y, vt, style: style)
        }
        painter.set(x: 0, y: 0, corners.0, style: style)
        painter.set(x: w - 1, y: 0, corners.1, style: style)
        painter.set(x: 0, y: h - 1, corners.2, style: style)
        painter.set(x: w - 1, y: h - 1, corners.3, style: style)

        let room = w - 4
        var used = 0
        if room > 0, !title.isEmpty {
            used = painter.put(" \(title) ", x: 1, y: 0, maxWidth: room + 2, ellipsis: g.ellipsis,
                               style: focused ? theme.focusedTitle : theme.title)
        }
        let rightRoom = w - 3 - used - 1
        if !rightTitle.isEmpty, rightRoom >= 3 {
            let shown = " \(rightTitle) "
            let width = min(DisplayWidth.of(shown), rightRoom)
            painter.put(shown, x: w - 1 - width, y: 0, maxWidth: width, ellipsis: g.ellipsis, style: theme.dim)
        }
        return painter.sub(Rect(x: 1, y: 1, width: w - 2, height: h - 2))
    }

    /// When `total` rows do not fit in the frame's `visible` inside rows, marks on the right
    /// border where rows `first ..< first + visible` lie.
    public static func drawScrollThumb(_ painter: Painter, first: Int, visible: Int, total: Int, theme: Theme) {
        let track = painter.height - 2
        guard total > visible, visible > 0, track > 0, painter.width >= 2 else { return }
        let length = max(1, track * visible / total)
        let start = min(track - length, (track - length) * first / max(1, total - visible))
        for y in start..<(start + length) {
            painter.set(x: painter.width - 1, y: 1 + y, theme.looks.glyphs.scrollThumb, style: theme.dim)
        }
    }
}

import CNcursesw

/// Copies a `CellGrid` onto the ncurses screen: the only code that draws with ncurses.
/// ncurses compares with what the terminal shows and sends only the differences, so the whole
/// grid is written every frame.
final class CursesCanvas {
    let looks: Looks
    /// ncurses attributes and colour pair for each style seen.
    private var resolved: [CellStyle: (attributes: attr_t, pair: Int32)] = [:]

    init(looks: Looks) { self.looks = looks }

    func draw(_ grid: CellGrid, cursor: (x: Int, y: Int)?, clearFirst: Bool) {
        if clearFirst { clearok(allspark_stdscr(), true) }
        var text = [wchar_t](repeating: 0, count: 6)
        for y in 0..<grid.height {
            for x in 0..<grid.width {
                let cell = grid[x, y]
                if cell.isContinuation { continue }
                let scalars = Array(cell.character.unicodeScalars.prefix(5))
                for (i, scalar) in scalars.enumerated() { text[i] = wchar_t(bitPattern: scalar.value) }
                text[scalars.count] = 0
                let (attributes, pair) = resolve(cell.style)
                allspark_put_cell(Int32(y), Int32(x), text, attributes, pair)
            }
        }
        if let cursor {
            wmove(allspark_stdscr(), Int32(cursor.y), Int32(cursor.x))
            curs_set(1)
        } else {
            curs_set(0)
        }
        wrefresh(allspark_stdscr())
    }

    private func resolve(_ style: CellStyle) -> (attr_t, Int32) {
        if let known = resolved[style] { return known }
        var attributes = attr_t(allspark_a_normal())
        var extra = style.attributes
        var foreground = Int32(-1), background = Int32(-1)
        if looks.colour != .monochrome {
            if let fg = style.foreground {
                if looks.colour == .basic8, case .ansi(let n) = fg, n >= 8 {
                    // Bright colours on 8-colour terminals: bold brightens; "bright black" would be
                    // black on black, so it becomes dim default text.
                    if n == 8 { extra.insert(.dim) } else { foreground = Int32(n - 8); extra.insert(.bold) }
                } else if let index = ColourApproximation.paletteIndex(fg, level: looks.colour) {
                    foreground = Int32(index)
                }
            }
            if let bg = style.background {
                if looks.colour == .basic8, case .ansi(8) = bg {
                    extra.insert(.underline)
                } else if let index = ColourApproximation.paletteIndex(bg, level: looks.colour) {
                    background = Int32(index)
                }
            }
        }
        if extra.contains(.bold) { attributes |= attr_t(allspark_a_bold()) }
        if extra.contains(.dim) { attributes |= attr_t(allspark_a_dim()) }
        if extra.contains(.reverse) { attributes |= attr_t(allspark_a_reverse()) }
        if extra.contains(.underline) { attributes |= attr_t(allspark_a_underline()) }
        var pair: Int32 = 0
        if foreground != -1 || background != -1 {
            // alloc_pair reuses the least recently allocated pair when all are taken.
            let allocated = alloc_pair(foreground, background)
            pair = allocated > 0 ? allocated : 0
        }
        resolved[style] = (attributes, pair)
        return (attributes, pair)
    }
}

/// One screen cell: a character and its style. The right half of a two-column character is a
/// continuation cell, so the grid's columns always match the terminal's.
public struct Cell: Equatable, Sendable {
    public var character: Character
    public var style: CellStyle
    public var isContinuation: Bool

    public init(_ character: Character = " ", style: CellStyle = .plain, isContinuation: Bool = false) {
        self.character = character; self.style = style; self.isContinuation = isContinuation
    }
}

/// An off-screen screen: every view draws into one of these, and only `CursesCanvas` copies it to
/// the terminal. Tests render into a grid and read its text back.
public final class CellGrid {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width); self.height = max(0, height)
        cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        precondition(x >= 0 && x < width && y >= 0 && y < height, "cell (\(x),\(y)) outside \(width)×\(height)")
        return cells[y * width + x]
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// Writes one character; out-of-grid writes are ignored. Control characters become `?`.
    /// A wide character that does not fit before the right edge becomes a space; overwriting
    /// either half of a wide character blanks its other half.
    public func set(x: Int, y: Int, _ character: Character, style: CellStyle) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        let shown: Character = DisplayWidth.isControl(character) ? "?" : character
        let columns = DisplayWidth.of(shown)
        breakWideCharacter(at: x, y: y)
        if columns == 2 {
            guard x + 1 < width else { cells[y * width + x] = Cell(" ", style: style); return }
            breakWideCharacter(at: x + 1, y: y)
            cells[y * width + x] = Cell(shown, style: style)
            cells[y * width + x + 1] = Cell(" ", style: style, isContinuation: true)
        } else {
            cells[y * width + x] = Cell(shown, style: style)
        }
    }

    /// Blanks the other half of a wide character that a write at (x, y) is about to split.
    private func breakWideCharacter(at x: Int, y: Int) {
        let index = y * width + x
        if cells[index].isContinuation, x > 0 {
            cells[index - 1] = Cell(" ", style: cells[index - 1].style)
            cells[index] = Cell(" ", style: cells[index].style)
        } else if DisplayWidth.of(cells[index].character) == 2, x + 1 < width, cells[index + 1].isContinuation {
            cells[index + 1] = Cell(" ", style: cells[index + 1].style)
        }
    }

    /// Row `y` as text (continuation cells left out), trailing spaces kept.
    public func line(_ y: Int) -> String {
        var text = ""
        for x in 0..<width where !cells[y * width + x].isContinuation { text.append(cells[y * width + x].character) }
        return text
    }

    /// The whole grid as text, one line per row, trailing spaces removed.
    public var text: String {
        (0..<height).map { line($0).replacingTrailingSpaces() }.joined(separator: "\n")
    }
}

extension String {
    func replacingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}

/// Draws into a rectangle of a grid, in coordinates local to that rectangle, clipping everything
/// to it. Widgets and panes take a painter, so none of them can draw outside its place.
public struct Painter {
    public let grid: CellGrid
    /// The rectangle this painter may draw in, in grid coordinates.
    public let frame: Rect

    public init(grid: CellGrid, frame: Rect? = nil) {
        self.grid = grid
        self.frame = (frame ?? grid.bounds).intersection(grid.bounds)
    }

    public var width: Int { frame.width }
    public var height: Int { frame.height }
    public var bounds: Rect { Rect(x: 0, y: 0, width: frame.width, height: frame.height) }

    /// A painter for `local` (in this painter's coordinates), clipped to this painter.
    public func sub(_ local: Rect) -> Painter {
        let absolute = Rect(x: frame.x + local.x, y: frame.y + local.y, width: local.width, height: local.height)
        return Painter(grid: grid, frame: absolute.intersection(frame))
    }

    public func set(x: Int, y: Int, _ character: Character, style: CellStyle = .plain) {
        guard x >= 0, y >= 0, x < frame.width, y < frame.height else { return }
        if DisplayWidth.of(character) == 2, x + 1 >= frame.width {
            grid.set(x: frame.x + x, y: frame.y + y, " ", style: style); return
        }
        grid.set(x: frame.x + x, y: frame.y + y, character, style: style)
    }

    /// Writes `text` from (x, y), clipped at the right edge; returns the columns written.
    @discardableResult
    public func put(_ text: String, x: Int, y: Int, style: CellStyle = .plain) -> Int {
        guard y >= 0, y < frame.height else { return 0 }
        var column = x
        for character in text {
            if column >= frame.width { break }
            let w = DisplayWidth.of(character)
            if column >= 0 { set(x: column, y: y, character, style: style) }
            column += w
        }
        return max(0, min(column, frame.width) - max(x, 0))
    }

    /// Writes `text` truncated to `columns` with an ellipsis when it does not fit.
    @discardableResult
    public func put(_ text: String, x: Int, y: Int, maxWidth columns: Int, ellipsis: String, style: CellStyle = .plain) -> Int {
        guard columns > 0 else { return 0 }
        if DisplayWidth.of(text) <= columns { return put(text, x: x, y: y, style: style) }
        let room = max(0, columns - DisplayWidth.of(ellipsis))
        let head = DisplayWidth.prefix(of: text, fitting: room).text
        return put(String(head) + ellipsis, x: x, y: y, style: style)
    }

    /// Fills `local` (default: everything) with a character.
    public func fill(_ local: Rect? = nil, with character: Character = " ", style: CellStyle = .plain) {
        let area = (local ?? bounds).intersection(bounds)
        guard !area.isEmpty else { return }
        for row in area.y..<area.maxY {
            for column in area.x..<area.maxX { set(x: column, y: row, character, style: style) }
        }
    }
}

/// Token pieces shown as they are cut: each piece on an alternating background (reverse/plain
/// without colour), spaces, tabs and newlines made visible, wrapped at the painter's width.
public struct TokenPieces: Sendable {
    public struct Piece: Sendable, Equatable {
        public var text: String
        /// Marks a piece to stand out (the modality tokens' place, a chosen token).
        public var highlighted: Bool
        /// Shown after the piece on the same background, dimmed (its token id).
        public var annotation: String?
        /// Shown as it is, spaces included: a label standing for tokens, not a token's text.
        public var literal: Bool
        public init(_ text: String, highlighted: Bool = false, annotation: String? = nil, literal: Bool = false) {
            self.text = text; self.highlighted = highlighted; self.annotation = annotation; self.literal = literal
        }

        func shown(_ glyphs: Glyphs) -> String { literal ? text : TokenPieces.visible(text, glyphs: glyphs) }
    }

    public var pieces: [Piece]
    public init(_ pieces: [Piece]) { self.pieces = pieces }
    public init(_ texts: [String]) { self.pieces = texts.map { Piece($0) } }

    /// The piece with whitespace replaced by visible marks; an empty piece shows as the ellipsis.
    static func visible(_ text: String, glyphs: Glyphs) -> String {
        if text.isEmpty { return glyphs.ellipsis }
        return String(text.map { c -> Character in
            switch c {
            case " ": return glyphs.visibleSpace
            case "\n", "\r\n": return glyphs.visibleNewline
            case "\t": return glyphs.visibleTab
            default: return DisplayWidth.isControl(c) ? "?" : c
            }
        })
    }

    private func style(index: Int, piece: Piece, theme: Theme) -> CellStyle {
        if piece.highlighted { return theme.warning.with(.reverse) }
        if theme.looks.hasColour {
            return CellStyle(foreground: .black, background: index % 2 == 0 ? .cyan : .ansi(3))
        }
        return index % 2 == 0 ? CellStyle(attributes: .reverse) : .plain
    }

    /// Where each piece goes: (row, column) of its first cell, with its visible text. Pieces wrap
    /// to the next row when they do not fit; a piece wider than the whole row is cut.
    func placements(width: Int, glyphs: Glyphs) -> [(row: Int, column: Int, text: String)] {
        var row = 0, column = 0
        return pieces.map { piece in
            let text = piece.shown(glyphs) + (piece.annotation.map { " " + $0 } ?? "")
            let w = DisplayWidth.of(text)
            if column > 0 && column + w > width { row += 1; column = 0 }
            defer { column += min(w, width) }
            return (row, column, text)
        }
    }

    /// Rows needed at `width`.
    public func height(width: Int, glyphs: Glyphs) -> Int {
        (placements(width: width, glyphs: glyphs).last?.row ?? -1) + 1
    }

    @discardableResult
    public func render(into painter: Painter, theme: Theme) -> Int {
        let placed = placements(width: painter.width, glyphs: theme.looks.glyphs)
        for (index, (place, piece)) in zip(placed, pieces).enumerated() where place.row < painter.height {
            let style = self.style(index: index, piece: piece, theme: theme)
            let shown = piece.shown(theme.looks.glyphs)
            let used = painter.put(String(place.text.prefix(shown.count)), x: place.column, y: place.row, style: style)
            if place.text.count > shown.count {
                painter.put(String(place.text.dropFirst(shown.count)), x: place.column + used, y: place.row, style: style.with(.dim))
            }
        }
        return min(painter.height, (placed.last?.row ?? -1) + 1)
    }
}

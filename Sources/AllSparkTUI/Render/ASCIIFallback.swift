import AllSparkData

/// `--ascii` for text the interface does not write itself: notes from the pipeline ("32 queries ×
/// 3 layers"), sample files, token pieces. After a frame is drawn, every non-ASCII character left in
/// the grid becomes an ASCII look-alike, so the promise "ASCII only" holds whatever the data says.
enum ASCIIFallback {
    static let typography: [Character: Character] = [
        "×": "x", "…": "~", "—": "-", "–": "-", "−": "-", "→": ">", "←": "<", "↵": "$", "⇥": ">",
        "·": ".", "•": "*", "μ": "u", "σ": "s", "∈": ":", "≈": "~", "≤": "<", "≥": ">", "°": "o",
        "“": "\"", "”": "\"", "‘": "'", "’": "'", "«": "<", "»": ">", "✓": "x", "✗": "!", "▶": ">",
    ]

    static func character(_ c: Character) -> Character {
        if c.isASCII { return c }
        if let mapped = typography[c] { return mapped }
        return PreviewRenderer.asciiLookalike(c, cell: Preview.Cell(c), glyphs: .ascii)
    }

    /// Replaces every non-ASCII cell of `grid` (a wide character's two cells become one look-alike
    /// and a space).
    static func apply(to grid: CellGrid) {
        for y in 0..<grid.height {
            for x in 0..<grid.width {
                let cell = grid[x, y]
                if cell.isContinuation || cell.character.isASCII { continue }
                let wide = DisplayWidth.of(cell.character) == 2
                grid.set(x: x, y: y, character(cell.character), style: cell.style)
                if wide && x + 1 < grid.width { grid.set(x: x + 1, y: y, " ", style: cell.style) }
            }
        }
    }
}

/// A bar split into named parts in proportion to their lengths, with a legend giving each length:
///
///     ████████▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▓▓▓▓░░
///     system 20 │ modality 32 │ prompt 14 │ assistant 3
///
/// Every part gets at least one cell, so a one-token part stays visible. Colours alternate through
/// the palette; without colour, parts alternate between shades so neighbours differ.
public struct SegmentBar: Sendable {
    public struct Part: Sendable, Equatable {
        public var name: String
        public var length: Int
        public var highlighted: Bool
        public init(_ name: String, _ length: Int, highlighted: Bool = false) {
            self.name = name; self.length = length; self.highlighted = highlighted
        }
    }

    public var parts: [Part]
    public init(_ parts: [Part]) { self.parts = parts.filter { $0.length > 0 } }

    /// Cells of each part in a bar `width` cells wide: proportional (largest remainders), at least
    /// one each; empty when there are more parts than cells.
    static func widths(_ lengths: [Int], width: Int) -> [Int] {
        let total = lengths.reduce(0, +)
        guard total > 0, width >= lengths.count else { return lengths.map { _ in 0 } }
        let spare = width - lengths.count
        let exact = lengths.map { Double($0) * Double(spare) / Double(total) }
        var cells = exact.map { Int($0) }
        // Largest remainder first; equal remainders go to the earlier part.
        let order = exact.indices.sorted {
            let (a, b) = (exact[$0] - Double(cells[$0]), exact[$1] - Double(cells[$1]))
            return a != b ? a > b : $0 < $1
        }
        for index in order.prefix(spare - cells.reduce(0, +)) { cells[index] += 1 }
        return cells.map { $0 + 1 }
    }

    static let palette: [TerminalColour] = [.blue, .green, .magenta, .yellow, .cyan, .red]

    func style(_ index: Int, theme: Theme) -> (Character, CellStyle) {
        let part = parts[index]
        if theme.looks.hasColour {
            let colour: TerminalColour = part.highlighted ? .yellow : Self.palette[index % Self.palette.count]
            return (theme.looks.glyphs.horizontalEighths[8], CellStyle(foreground: colour))
        }
        let shades = theme.looks.glyphs.shades
        return (part.highlighted ? shades[shades.count - 1] : shades[1 + index % 2 * (shades.count / 2 - 1)], theme.text)
    }

    /// The legend's lines at `width`: "name length" entries separated by the separator, wrapped.
    func legend(width: Int, theme: Theme) -> [StyledLine] {
        var spans: [StyledSpan] = []
        for (index, part) in parts.enumerated() {
            if index > 0 { spans.append(StyledSpan(" \(theme.looks.glyphs.separator) ", style: theme.dim)) }
            let (mark, style) = self.style(index, theme: theme)
            spans.append(StyledSpan("\(mark) ", style: style))
            spans.append(StyledSpan("\(part.name) \(part.length)", style: part.highlighted ? theme.heading : theme.text))
        }
        return StyledLine(spans).wrapped(to: max(1, width))
    }

    public func height(width: Int, theme: Theme) -> Int { 1 + legend(width: width, theme: theme).count }

    @discardableResult
    public func render(into painter: Painter, theme: Theme) -> Int {
        var x = 0
        for (index, cells) in Self.widths(parts.map(\.length), width: painter.width).enumerated() {
            let (character, style) = self.style(index, theme: theme)
            for _ in 0..<cells { painter.set(x: x, y: 0, character, style: style); x += 1 }
        }
        let lines = legend(width: painter.width, theme: theme)
        for (i, line) in lines.enumerated() { line.draw(painter, y: 1 + i) }
        return 1 + lines.count
    }
}

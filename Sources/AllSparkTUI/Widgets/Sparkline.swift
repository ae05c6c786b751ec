/// A one-row chart of a series: each column one of eight heights, lowest value lowest.
/// Longer series are averaged into as many bins as there are columns.
public struct Sparkline: Sendable {
    public var values: [Double]
    public var colour: TerminalColour?

    public init(_ values: [Double], colour: TerminalColour? = nil) {
        self.values = values; self.colour = colour
    }

    /// Bin averages when the series is longer than `columns` (bin i holds indices ⌊i·n/c⌋ ..< ⌊(i+1)·n/c⌋);
    /// the series itself otherwise. NaNs are left out of averages; an all-NaN bin is NaN.
    static func binned(_ values: [Double], columns: Int) -> [Double] {
        let n = values.count
        guard columns > 0, n > columns else { return values }
        return (0..<columns).map { i in
            let finite = values[(i * n / columns)..<((i + 1) * n / columns)].filter { !$0.isNaN }
            return finite.isEmpty ? .nan : finite.reduce(0, +) / Double(finite.count)
        }
    }

    /// Level 0…7 of each value over the finite range: ⌊(v − min)/(max − min) · 8⌋ capped at 7;
    /// a constant series sits at level 3; non-finite values have no level.
    static func levels(_ values: [Double]) -> [Int?] {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return values.map { _ in nil } }
        return values.map { v in
            guard v.isFinite else { return nil }
            if high == low { return 3 }
            return min(7, Int((v - low) / (high - low) * 8))
        }
    }

    /// Draws on the painter's first row; returns the columns used.
    @discardableResult
    public func render(into painter: Painter, theme: Theme, x: Int = 0, y: Int = 0) -> Int {
        let shown = Self.binned(values, columns: painter.width - x)
        let style = theme.looks.hasColour ? CellStyle(foreground: colour ?? .green) : theme.text
        for (i, level) in Self.levels(shown).enumerated() {
            painter.set(x: x + i, y: y, level.map { theme.looks.glyphs.verticalLevels[$0] } ?? " ", style: style)
        }
        return min(shown.count, max(0, painter.width - x))
    }
}

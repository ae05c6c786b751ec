/// Horizontal bars with a label on the left and the value on the right, one bar per row:
///
///     cat     ████████████▌   0.62
///     dog     ███▏            0.17
///
/// Lengths are proportional to the value over the range [min(0, smallest), max(0, largest)].
/// When every value is ≥ 0 the bars grow from the left edge in eighths of a cell (whole cells in
/// ASCII); when some are negative a zero axis is drawn and bars grow left or right of it in whole cells.
/// Non-finite values get no bar and their value is printed as `nan`/`inf`.
public struct BarChart: Sendable {
    public struct Bar: Sendable, Equatable {
        public var label: String
        public var value: Double
        /// The bar's colour; the chart's default when nil.
        public var colour: TerminalColour?
        public init(_ label: String, _ value: Double, colour: TerminalColour? = nil) {
            self.label = label; self.value = value; self.colour = colour
        }
    }

    public var bars: [Bar]
    public var format: @Sendable (Double) -> String

    public init(_ bars: [Bar], format: @escaping @Sendable (Double) -> String = { NumberFormat.compact($0) }) {
        self.bars = bars; self.format = format
    }

    public var height: Int { bars.count }

    /// The length of each bar in eighths of a cell, and the zero axis position (in eighths),
    /// for a bar area `columns` wide. Exposed for tests.
    func geometry(columns: Int, eighths: Bool) -> (lengths: [(start: Int, end: Int)?], zero: Int, hasNegative: Bool) {
        let finite = bars.map(\.value).filter(\.isFinite)
        let low = min(0, finite.min() ?? 0), high = max(0, finite.max() ?? 0)
        let span = high > low ? high - low : 1
        let hasNegative = low < 0
        // Whole cells when bars must grow leftwards (no left-growing eighth blocks exist) or in ASCII.
        let unit = (eighths && !hasNegative) ? 8 : 1
        let total = columns * unit
        func position(_ v: Double) -> Int { Int(((v - low) / span * Double(total)).rounded()) }
        let zero = position(0)
        let lengths: [(start: Int, end: Int)?] = bars.map { bar in
            guard bar.value.isFinite else { return nil }
            let end = position(bar.value)
            return bar.value >= 0 ? (zero * (8 / unit), end * (8 / unit)) : (end * (8 / unit), zero * (8 / unit))
        }
        return (lengths, zero * (8 / unit), hasNegative)
    }

    /// Draws one row per bar; returns the rows used.
    @discardableResult
    public func render(into painter: Painter, theme: Theme) -> Int {
        let g = theme.looks.glyphs
        let values = bars.map { format($0.value) }
        let labelWidth = min(bars.map { DisplayWidth.of($0.label) }.max() ?? 0, max(1, painter.width / 3))
        let valueWidth = values.map { DisplayWidth.of($0) }.max() ?? 0
        let area = painter.width - labelWidth - valueWidth - 2
        guard area > 0 else { return 0 }
        let layout = geometry(columns: area, eighths: theme.looks.unicode)
        let defaultColour = TerminalColour.cyan
        for (row, bar) in bars.enumerated() where row < painter.height {
            painter.put(bar.label, x: 0, y: row, maxWidth: labelWidth, ellipsis: g.ellipsis, style: theme.text)
            let x0 = labelWidth + 1
            if layout.hasNegative {
                let axis = layout.zero / 8
                painter.set(x: x0 + min(axis, area - 1), y: row, g.vertical, style: theme.dim)
            }
            if let span = layout.lengths[row] {
                let style = theme.looks.hasColour ? CellStyle(foreground: bar.colour ?? defaultColour) : theme.text
                drawSpan(painter, x0: x0, y: row, startEighths: span.start, endEighths: span.end, glyphs: g, style: style)
            }
            let value = values[row]
            painter.put(value, x: painter.width - DisplayWidth.of(value), y: row, style: theme.dim)
        }
        return min(bars.count, painter.height)
    }

    private func drawSpan(_ painter: Painter, x0: Int, y: Int, startEighths: Int, endEighths: Int, glyphs g: Glyphs, style: CellStyle) {
        guard endEighths > startEighths else { return }
        let full = g.horizontalEighths[8]
        var cell = startEighths / 8
        // A span starting mid-cell only happens for whole-cell layouts, so starts are cell-aligned.
        while (cell + 1) * 8 <= endEighths {
            painter.set(x: x0 + cell, y: y, full, style: style)
            cell += 1
        }
        let remainder = endEighths - cell * 8
        if remainder > 0 { painter.set(x: x0 + cell, y: y, g.horizontalEighths[remainder], style: style) }
    }
}

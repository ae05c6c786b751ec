/// Series of (x, y) points on shared axes, each joined by straight lines (or left as dots), with
/// the ranges labelled:
///
///     y 4.31 ⠀⠀⢀⠤⠒⠉⠉⠑⠢⡀⠀
///     y -1.2 ⠔⠊⠀⠀⠀⠀⠀⠀⠀⠈⠢
///            x -3.1 … 7.4
///
/// For trajectories (observed, predicted, ground truth) and point-cloud group centres. In Unicode
/// each cell is a 2 × 4 grid of braille dots; in ASCII each cell is one point, drawn with the
/// series' mark. x and y use the same scale when `equalAspect` is set (a map should not stretch).
public struct XYPlot: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public var colour: TerminalColour
        /// Drawn in ASCII and in the legend.
        public var mark: Character
        public var joined: Bool
        public init(_ name: String, _ points: [(x: Double, y: Double)], colour: TerminalColour, mark: Character, joined: Bool = true) {
            self.name = name; self.points = points; self.colour = colour; self.mark = mark; self.joined = joined
        }
    }

    public var series: [Series]
    public var equalAspect: Bool

    public init(_ series: [Series], equalAspect: Bool = false) { self.series = series; self.equalAspect = equalAspect }

    /// The finite x and y ranges over every series, widened so a single point still has extent.
    func bounds() -> (x: ClosedRange<Double>, y: ClosedRange<Double>)? {
        let all = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        guard let minX = all.map(\.x).min(), let maxX = all.map(\.x).max(),
              let minY = all.map(\.y).min(), let maxY = all.map(\.y).max() else { return nil }
        func widened(_ low: Double, _ high: Double) -> ClosedRange<Double> { high > low ? low...high : (low - 0.5)...(high + 0.5) }
        return (widened(minX, maxX), widened(minY, maxY))
    }

    /// Pixel of (x, y) in a `width × height` pixel area over `bounds` (y grows upwards on screen).
    static func pixel(_ p: (x: Double, y: Double), bounds: (x: ClosedRange<Double>, y: ClosedRange<Double>), width: Int, height: Int) -> (x: Int, y: Int) {
        let tx = (p.x - bounds.x.lowerBound) / (bounds.x.upperBound - bounds.x.lowerBound)
        let ty = (p.y - bounds.y.lowerBound) / (bounds.y.upperBound - bounds.y.lowerBound)
        return (Int((tx * Double(width - 1)).rounded()), height - 1 - Int((ty * Double(height - 1)).rounded()))
    }

    /// Widens the shorter range so one unit of x and of y cover the same distance on screen
    /// (a cell is about twice as tall as wide; a braille dot is about square).
    static func equalised(_ b: (x: ClosedRange<Double>, y: ClosedRange<Double>), pixelWidth: Int, pixelHeight: Int, dotAspect: Double)
        -> (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        let spanX = b.x.upperBound - b.x.lowerBound, spanY = b.y.upperBound - b.y.lowerBound
        let unitsPerPixelX = spanX / Double(max(1, pixelWidth)), unitsPerPixelY = spanY / (Double(max(1, pixelHeight)) * dotAspect)
        if unitsPerPixelX > unitsPerPixelY {
            let wantedY = unitsPerPixelX * Double(pixelHeight) * dotAspect, mid = (b.y.lowerBound + b.y.upperBound) / 2
            return (b.x, (mid - wantedY / 2)...(mid + wantedY / 2))
        }
        let wantedX = unitsPerPixelY * Double(pixelWidth), mid = (b.x.lowerBound + b.x.upperBound) / 2
        return ((mid - wantedX / 2)...(mid + wantedX / 2), b.y)
    }

    /// Draws the plot with a legend line and an x-range line under it; returns the rows used.
    @discardableResult
    public func render(into painter: Painter, theme: Theme) -> Int {
        guard var b = bounds(), painter.height >= 3 else { return 0 }
        let rows = painter.height - 2
        let top = NumberFormat.compact(b.y.upperBound), bottom = NumberFormat.compact(b.y.lowerBound)
        let labelWidth = max(DisplayWidth.of(top), DisplayWidth.of(bottom))
        let plotX = labelWidth + 1, plotWidth = painter.width - plotX
        guard plotWidth > 1 else { return 0 }
        let braille = theme.looks.glyphs.usesBraille
        let (xScale, yScale) = braille ? (2, 4) : (1, 1)
        let pixelWidth = plotWidth * xScale, pixelHeight = rows * yScale
        if equalAspect { b = Self.equalised(b, pixelWidth: pixelWidth, pixelHeight: pixelHeight, dotAspect: braille ? 1 : 2) }
        let shownTop = NumberFormat.compact(b.y.upperBound), shownBottom = NumberFormat.compact(b.y.lowerBound)
        painter.put(String(repeating: " ", count: max(0, labelWidth - DisplayWidth.of(shownTop))) + shownTop, x: 0, y: 0, maxWidth: labelWidth, ellipsis: "", style: theme.dim)
        painter.put(String(repeating: " ", count: max(0, labelWidth - DisplayWidth.of(shownBottom))) + shownBottom, x: 0, y: rows - 1, maxWidth: labelWidth, ellipsis: "", style: theme.dim)
        var bits = Array(repeating: UInt32(0), count: plotWidth * rows)
        var marks = Array(repeating: Character?.none, count: plotWidth * rows)
        var colours = Array(repeating: TerminalColour?.none, count: plotWidth * rows)
        for s in series {
            var previous: (x: Int, y: Int)? = nil
            for point in s.points {
                guard point.x.isFinite, point.y.isFinite else { previous = nil; continue }
                let p = Self.pixel(point, bounds: b, width: pixelWidth, height: pixelHeight)
                let path = (s.joined ? previous.map { LinePlot.segment(from: $0, to: p) } : nil) ?? [p]
                for q in path where q.x >= 0 && q.x < pixelWidth && q.y >= 0 && q.y < pixelHeight {
                    let cell = (q.y / yScale) * plotWidth + q.x / xScale
                    if braille { bits[cell] |= LinePlot.brailleBit(column: q.x % 2, row: q.y % 4) } else { marks[cell] = s.mark }
                    colours[cell] = s.colour
                }
                previous = p
            }
        }
        for row in 0..<rows {
            for column in 0..<plotWidth {
                let index = row * plotWidth + column
                let style = theme.looks.hasColour ? CellStyle(foreground: colours[index]) : theme.text
                let character: Character = braille ? Character(Unicode.Scalar(0x2800 + bits[index])!) : (marks[index] ?? " ")
                painter.set(x: plotX + column, y: row, character, style: style)
            }
        }
        // x range, then the legend: each series' name in its colour (and its mark).
        let xLine = "x \(NumberFormat.compact(b.x.lowerBound)) \(theme.looks.glyphs.ellipsis) \(NumberFormat.compact(b.x.upperBound))"
        painter.put(xLine, x: plotX, y: rows, maxWidth: plotWidth, ellipsis: theme.looks.glyphs.ellipsis, style: theme.dim)
        var x = plotX
        for s in series {
            let style = theme.looks.hasColour ? CellStyle(foreground: s.colour, attributes: .bold) : theme.text
            x += painter.put("\(s.mark) \(s.name)", x: x, y: rows + 1, style: style) + 2
        }
        return rows + 2
    }
}

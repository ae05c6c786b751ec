/// A line plot of one or more series over their index, with the y range labelled on the left:
///
///      1.25 ⡇⠀⢀⠔⠊⠉⠑⢄
///     -0.50 ⣇⠔⠁⠀⠀⠀⠀⠀⠑⠤
///
/// In Unicode each cell is a 2 × 4 grid of braille dots; in ASCII each cell is one point, drawn `*`.
/// Consecutive points are joined with straight lines, so a series reads as a curve at any width.
public struct LinePlot: Sendable {
    public struct Series: Sendable {
        public var values: [Double]
        public var colour: TerminalColour
        public init(_ values: [Double], colour: TerminalColour = .green) { self.values = values; self.colour = colour }
    }

    public var series: [Series]
    public init(_ series: [Series]) { self.series = series }
    public init(_ values: [Double]) { self.series = [Series(values)] }

    /// The dot bit of braille cell position (column 0…1, row 0…3), per Unicode's braille pattern layout.
    static func brailleBit(column: Int, row: Int) -> UInt32 {
        let left: [UInt32] = [0x01, 0x02, 0x04, 0x40], right: [UInt32] = [0x08, 0x10, 0x20, 0x80]
        return column == 0 ? left[row] : right[row]
    }

    /// Pixel coordinates (x from the left, y from the top) of each finite point in a `width × height`
    /// pixel area: x = round(i·(w−1)/(n−1)), y = h−1 − round((v−min)/(max−min)·(h−1)).
    static func pixels(_ values: [Double], low: Double, high: Double, width: Int, height: Int) -> [(x: Int, y: Int)?] {
        let n = values.count
        return values.enumerated().map { i, v in
            guard v.isFinite else { return nil }
            let x = n > 1 ? Int((Double(i) * Double(width - 1) / Double(n - 1)).rounded()) : 0
            let t = high > low ? (v - low) / (high - low) : 0.5
            return (x, height - 1 - Int((t * Double(height - 1)).rounded()))
        }
    }

    /// Integer points on the segment from a to b (Bresenham), both ends included.
    static func segment(from a: (x: Int, y: Int), to b: (x: Int, y: Int)) -> [(x: Int, y: Int)] {
        var points: [(x: Int, y: Int)] = []
        var x = a.x, y = a.y
        let dx = abs(b.x - a.x), dy = -abs(b.y - a.y)
        let sx = a.x < b.x ? 1 : -1, sy = a.y < b.y ? 1 : -1
        var error = dx + dy
        while true {
            points.append((x, y))
            if x == b.x && y == b.y { break }
            let doubled = 2 * error
            if doubled >= dy { error += dy; x += sx }
            if doubled <= dx { error += dx; y += sy }
        }
        return points
    }

    /// Draws the plot filling the painter; returns the rows used.
    @discardableResult
    public func render(into painter: Painter, theme: Theme) -> Int {
        let finite = series.flatMap(\.values).filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max(), painter.height > 0 else { return 0 }
        let top = NumberFormat.compact(high), bottom = NumberFormat.compact(low)
        let labelWidth = max(DisplayWidth.of(top), DisplayWidth.of(bottom))
        let plotX = labelWidth + 1
        let plotWidth = painter.width - plotX
        guard plotWidth > 0 else { return 0 }
        let rows = painter.height
        painter.put(String(repeating: " ", count: labelWidth - DisplayWidth.of(top)) + top, x: 0, y: 0, style: theme.dim)
        if rows > 1 {
            painter.put(String(repeating: " ", count: labelWidth - DisplayWidth.of(bottom)) + bottom, x: 0, y: rows - 1, style: theme.dim)
        }
        let braille = theme.looks.glyphs.usesBraille
        let (xScale, yScale) = braille ? (2, 4) : (1, 1)
        let pixelWidth = plotWidth * xScale, pixelHeight = rows * yScale
        // One bit mask (braille) or mark (ASCII) per cell, with the colour of the last series drawn there.
        var bits = Array(repeating: UInt32(0), count: plotWidth * rows)
        var colours = Array(repeating: TerminalColour?.none, count: plotWidth * rows)
        for s in series {
            let points = Self.pixels(s.values, low: low, high: high, width: pixelWidth, height: pixelHeight)
            var previous: (x: Int, y: Int)? = nil
            for point in points {
                guard let point else { previous = nil; continue }
                for p in previous.map({ Self.segment(from: $0, to: point) }) ?? [point] {
                    let cell = (p.y / yScale) * plotWidth + p.x / xScale
                    bits[cell] |= braille ? Self.brailleBit(column: p.x % 2, row: p.y % 4) : 1
                    colours[cell] = s.colour
                }
                previous = point
            }
        }
        for row in 0..<rows {
            for column in 0..<plotWidth {
                let mask = bits[row * plotWidth + column]
                let style = theme.looks.hasColour ? CellStyle(foreground: colours[row * plotWidth + column]) : theme.text
                let character: Character = braille
                    ? Character(Unicode.Scalar(0x2800 + mask)!)
                    : (mask != 0 ? "*" : " ")
                painter.set(x: plotX + column, y: row, character, style: style)
            }
        }
        return rows
    }
}

/// A 2-D array of numbers drawn as colours (or shades, without colour), with a legend line:
///
///     ▀▀▀▀▀▀▀▀▀▀▀▀        (each cell two rows of the array: top in the foreground, bottom in the background)
///     -0.41 ███████ 2.3
///
/// The array is resampled to the space available: block averages when it is larger, repeated
/// cells when it is smaller (see `sourceRange`). With Unicode and colour each cell shows two
/// values with an upper half block; otherwise one value per cell.
public struct HeatMap: Sendable {
    public var rows: Int
    public var columns: Int
    /// Row-major, `rows × columns`.
    public var values: [Float]
    public var ramp: ColourRamp
    /// The value range mapped to the ends of the ramp; the finite minimum and maximum when nil.
    public var range: ClosedRange<Double>?

    public init(rows: Int, columns: Int, values: [Float], ramp: ColourRamp = .viridis, range: ClosedRange<Double>? = nil) {
        precondition(rows >= 0 && columns >= 0 && values.count == rows * columns, "heat map needs rows × columns values")
        self.rows = rows; self.columns = columns; self.values = values; self.ramp = ramp; self.range = range
    }

    /// The source indices averaged into output index `i` of `output` when resampling `source` entries:
    /// ⌊i·s/o⌋ ..< max(⌊i·s/o⌋ + 1, ⌊(i+1)·s/o⌋).
    static func sourceRange(_ i: Int, output: Int, source: Int) -> Range<Int> {
        let low = i * source / output
        return low..<max(low + 1, (i + 1) * source / output)
    }

    /// The output size along one axis: the source repeated a whole number of times when it fits,
    /// else the space available.
    static func outputSize(source: Int, space: Int) -> Int {
        guard source > 0, space > 0 else { return 0 }
        return source <= space ? source * (space / source) : space
    }

    /// The array resampled to `outRows × outColumns`, NaNs left out of averages.
    func resampled(outRows: Int, outColumns: Int) -> [[Double]] {
        (0..<outRows).map { r in
            let rowRange = Self.sourceRange(r, output: outRows, source: rows)
            return (0..<outColumns).map { c in
                let columnRange = Self.sourceRange(c, output: outColumns, source: columns)
                var sum = 0.0, count = 0
                for sr in rowRange { for sc in columnRange {
                    let v = Double(values[sr * columns + sc])
                    if !v.isNaN { sum += v; count += 1 }
                } }
                return count > 0 ? sum / Double(count) : .nan
            }
        }
    }

    var valueRange: ClosedRange<Double> {
        if let range { return range }
        let finite = values.lazy.map(Double.init).filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return 0...1 }
        return low...high
    }

    private func normalised(_ v: Double) -> Double {
        let r = valueRange
        return r.upperBound > r.lowerBound ? (v - r.lowerBound) / (r.upperBound - r.lowerBound) : 0.5
    }

    private func shade(_ v: Double, glyphs: Glyphs) -> Character {
        guard v.isFinite else { return "?" }
        let levels = glyphs.shades.count
        return glyphs.shades[min(levels - 1, Int(normalised(v) * Double(levels)))]
    }

    /// Draws the map and a legend under it; returns the rows used.
    @discardableResult
    public func render(into painter: Painter, theme: Theme) -> Int {
        guard rows > 0, columns > 0, painter.width > 0, painter.height > 1 else { return 0 }
        let looks = theme.looks
        let halfBlocks = looks.hasColour && looks.glyphs.upperHalfBlock != nil
        let cellRows = painter.height - 1
        let outColumns = Self.outputSize(source: columns, space: painter.width)
        let outRows = Self.outputSize(source: rows, space: halfBlocks ? cellRows * 2 : cellRows)
        let grid = resampled(outRows: outRows, outColumns: outColumns)
        let missing = CellStyle(foreground: .ansi(1))
        var usedRows = 0
        if halfBlocks, let half = looks.glyphs.upperHalfBlock {
            for cellRow in 0..<((outRows + 1) / 2) {
                for c in 0..<outColumns {
                    let top = grid[2 * cellRow][c]
                    let bottom = 2 * cellRow + 1 < outRows ? grid[2 * cellRow + 1][c] : nil
                    let style = CellStyle(foreground: top.isFinite ? ramp.colour(at: normalised(top)) : nil,
                                          background: bottom.flatMap { $0.isFinite ? ramp.colour(at: normalised($0)) : nil })
                    painter.set(x: c, y: cellRow, top.isFinite ? half : "?", style: top.isFinite ? style : missing)
                }
                usedRows = cellRow + 1
            }
        } else {
            for r in 0..<outRows {
                for c in 0..<outColumns {
                    let v = grid[r][c]
                    if looks.hasColour && v.isFinite {
                        painter.set(x: c, y: r, " ", style: CellStyle(background: ramp.colour(at: normalised(v))))
                    } else {
                        painter.set(x: c, y: r, shade(v, glyphs: looks.glyphs), style: theme.text)
                    }
                }
            }
            usedRows = outRows
        }
        renderLegend(painter, y: usedRows, theme: theme)
        return usedRows + 1
    }

    /// "min ▕ramp▏ max", the ramp as wide as the space allows (at most 24 cells).
    private func renderLegend(_ painter: Painter, y: Int, theme: Theme) {
        let low = NumberFormat.compact(valueRange.lowerBound), high = NumberFormat.compact(valueRange.upperBound)
        let rampWidth = min(24, painter.width - DisplayWidth.of(low) - DisplayWidth.of(high) - 2)
        var x = painter.put(low, x: 0, y: y, style: theme.dim) + 1
        if rampWidth > 0 {
            for i in 0..<rampWidth {
                let t = rampWidth > 1 ? Double(i) / Double(rampWidth - 1) : 0.5
                if theme.looks.hasColour {
                    painter.set(x: x + i, y: y, " ", style: CellStyle(background: ramp.colour(at: t)))
                } else {
                    let shades = theme.looks.glyphs.shades
                    painter.set(x: x + i, y: y, shades[min(shades.count - 1, Int(t * Double(shades.count)))], style: theme.text)
                }
            }
            x += rampWidth + 1
        }
        painter.put(high, x: x, y: y, style: theme.dim)
    }
}

import SparkEngine

/// A line chart of one spectrum: value against band. With Unicode the curve is drawn in braille
/// dots (2 × 4 per cell); without, with '*'. With colour, each column takes the colour of its
/// wavelength when it is visible light (gray outside 380–750 nm or when wavelengths are unknown).
public enum SpectrumPreview {
    public static func rows(values: [Float], wavelengths: [Float], options: Preview.Options) -> [[Preview.Cell]] {
        guard values.count >= 1 else { return [] }
        let finite = values.filter(\.isFinite)
        let low = min(0, finite.min() ?? 0), high = max(finite.max() ?? 1, low + 1e-6)
        let dotsX = options.unicode ? 2 : 1, dotsY = options.unicode ? 4 : 1
        let columns = options.width, rowsCount = options.height
        let width = columns * dotsX, height = rowsCount * dotsY
        // The y (in dots, 0 at top) of the curve at each horizontal dot.
        var curve: [Int] = []
        for x in 0..<width {
            let position = width == 1 ? 0 : Double(x) * Double(values.count - 1) / Double(width - 1)
            let i0 = Int(position), i1 = min(i0 + 1, values.count - 1)
            let w = Float(position - Double(i0))
            let a = values[i0].isFinite ? values[i0] : low, b = values[i1].isFinite ? values[i1] : low
            let v = a + (b - a) * w
            curve.append(min(height - 1, max(0, Int(((high - v) / (high - low) * Float(height - 1)).rounded()))))
        }
        var dots = Array(repeating: Array(repeating: false, count: width), count: height)
        for x in 0..<width {
            // Join to the previous point so steep slopes stay connected.
            let from = x > 0 ? curve[x - 1] : curve[x]
            for y in min(from, curve[x])...max(from, curve[x]) { dots[y][x] = true }
        }
        var rows: [[Preview.Cell]] = []
        for r in 0..<rowsCount {
            var row: [Preview.Cell] = []
            for c in 0..<columns {
                let foreground = options.colour ? colour(column: c, columns: columns, values: values, wavelengths: wavelengths) : nil
                if options.unicode {
                    // Braille: dot bits 1,2,3,7 in the left column (top to bottom), 4,5,6,8 on the right.
                    let bits: [[UInt32]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]
                    var pattern: UInt32 = 0
                    for dy in 0..<4 { for dx in 0..<2 where dots[r * 4 + dy][c * 2 + dx] { pattern |= bits[dy][dx] } }
                    let character = pattern == 0 ? " " : Character(Unicode.Scalar(0x2800 + pattern)!)
                    row.append(Preview.Cell(character, foreground: pattern == 0 ? nil : foreground))
                } else {
                    row.append(dots[r][c] ? Preview.Cell("*", foreground: foreground) : .blank)
                }
            }
            rows.append(row)
        }
        return rows
    }

    static func colour(column: Int, columns: Int, values: [Float], wavelengths: [Float]) -> Preview.Colour {
        guard wavelengths.count == values.count, let first = wavelengths.first, let last = wavelengths.last else {
            return Preview.Colour(r: 200, g: 200, b: 200)
        }
        let nm = first + (last - first) * Float(column) / Float(max(columns - 1, 1))
        return visibleColour(nanometres: nm)
    }

    /// An approximate sRGB colour of monochromatic light (piecewise linear), gray outside the
    /// visible range — enough to tell blue, green, red and near-infrared parts of a plot apart.
    static func visibleColour(nanometres nm: Float) -> Preview.Colour {
        let (r, g, b): (Float, Float, Float)
        switch nm {
        case 380..<440: (r, g, b) = ((440 - nm) / 60, 0, 1)
        case 440..<490: (r, g, b) = (0, (nm - 440) / 50, 1)
        case 490..<510: (r, g, b) = (0, 1, (510 - nm) / 20)
        case 510..<580: (r, g, b) = ((nm - 510) / 70, 1, 0)
        case 580..<645: (r, g, b) = (1, (645 - nm) / 65, 0)
        case 645...750: (r, g, b) = (1, 0, 0)
        default: return Preview.Colour(r: 170, g: 170, b: 170)
        }
        return RasterPreview.colour(0.3 + 0.7 * r, 0.3 + 0.7 * g, 0.3 + 0.7 * b)
    }
}

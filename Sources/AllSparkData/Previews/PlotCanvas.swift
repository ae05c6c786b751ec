/// A grid of dots drawn into preview cells: with Unicode, braille characters (2 × 4 dots per
/// cell, so a 40 × 12 preview is an 80 × 48 plot); without, one dot per cell, drawn with a symbol
/// or a density character. Each cell takes the colour (and ASCII symbol) of its highest-priority dot.
struct PlotCanvas {
    let width: Int, height: Int
    let unicode: Bool
    var dotWidth: Int { unicode ? width * 2 : width }
    var dotHeight: Int { unicode ? height * 4 : height }
    /// A dot's height over its width on a terminal whose cells are twice as tall as wide:
    /// braille dots are about square, an ASCII cell is a dot twice as tall as wide.
    var dotAspect: Double { unicode ? 1 : 2 }

    private var bits: [UInt8]
    private var hits: [Int]
    private var colours: [Preview.Colour?]
    private var symbols: [Character?]
    private var priorities: [Double]

    init(width: Int, height: Int, unicode: Bool) {
        self.width = max(1, width); self.height = max(1, height); self.unicode = unicode
        let cells = self.width * self.height
        bits = [UInt8](repeating: 0, count: cells); hits = [Int](repeating: 0, count: cells)
        colours = [Preview.Colour?](repeating: nil, count: cells); symbols = [Character?](repeating: nil, count: cells)
        priorities = [Double](repeating: -.infinity, count: cells)
    }

    /// Braille dot numbering: bit for column c (0, 1) and row r (0…3) inside a cell.
    private static let brailleBits: [[UInt8]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]

    mutating func plot(_ x: Int, _ y: Int, colour: Preview.Colour, priority: Double = 0, symbol: Character? = nil) {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
        let cell = unicode ? (y / 4) * width + x / 2 : y * width + x
        if unicode { bits[cell] |= Self.brailleBits[y % 4][x % 2] }
        hits[cell] += 1
        if priority >= priorities[cell] {
            priorities[cell] = priority; colours[cell] = colour
            if let symbol { symbols[cell] = symbol }
        }
    }

    /// A straight line of dots (Bresenham).
    mutating func line(from a: (Int, Int), to b: (Int, Int), colour: Preview.Colour, priority: Double = 0, symbol: Character? = nil) {
        var (x, y) = a
        let dx = abs(b.0 - a.0), dy = -abs(b.1 - a.1)
        let sx = a.0 < b.0 ? 1 : -1, sy = a.1 < b.1 ? 1 : -1
        var error = dx + dy
        var steps = 0
        while steps <= 4 * (dotWidth + dotHeight) {   // bounded even for far-off ends
            plot(x, y, colour: colour, priority: priority, symbol: symbol)
            if x == b.0 && y == b.1 { break }
            let e2 = 2 * error
            if e2 >= dy { error += dy; x += sx }
            if e2 <= dx { error += dx; y += sy }
            steps += 1
        }
    }

    /// The cells, colours passed through `colourFor` (for the grey fallback).
    func rows(colourFor: (Preview.Colour?) -> Preview.Colour?) -> [[Preview.Cell]] {
        let maxHits = max(1, hits.max() ?? 1)
        return (0..<height).map { row in
            (0..<width).map { column in
                let cell = row * width + column
                guard hits[cell] > 0 else { return Preview.Cell.blank }
                let character: Character
                if unicode {
                    character = Character(Unicode.Scalar(0x2800 + UInt32(bits[cell]))!)
                } else if let symbol = symbols[cell] {
                    character = symbol
                } else {
                    // Density: more points in the cell, denser character (never blank when hit).
                    let ramp = PreviewStyle.asciiRamp
                    let level = 1 + (ramp.count - 2) * (hits[cell] - 1) / max(1, maxHits - 1)
                    character = ramp[min(ramp.count - 1, level)]
                }
                return Preview.Cell(character, foreground: colourFor(colours[cell]))
            }
        }
    }
}

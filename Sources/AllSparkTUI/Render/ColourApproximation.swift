/// Turns the screen model's colours into palette indices the terminal has.
///
/// Entries 0–15 of any palette are the user's own colours and unknown to a program, so RGB colours
/// are matched only against the fixed part of xterm's 256-colour palette (the 6×6×6 cube, 16–231,
/// and the grey ramp, 232–255), or, on an 8-colour terminal, against xterm's default values for the
/// eight basic colours. "Nearest" is the smallest squared distance in RGB; ties go to the lower index.
public enum ColourApproximation {
    /// The six levels of each axis of xterm's colour cube.
    static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// The RGB value of palette entry 16…255.
    public static func xterm256(_ index: Int) -> (r: Int, g: Int, b: Int) {
        precondition(index >= 16 && index <= 255, "only entries 16…255 have fixed values")
        if index >= 232 {
            let v = 8 + 10 * (index - 232)
            return (v, v, v)
        }
        let i = index - 16
        return (cubeLevels[i / 36], cubeLevels[(i / 6) % 6], cubeLevels[i % 6])
    }

    /// xterm's default values for colours 0–7.
    static let basic8: [(r: Int, g: Int, b: Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0),
        (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
    ]

    private static let palette256: [(r: Int, g: Int, b: Int)] = (16...255).map { xterm256($0) }

    /// The nearest entry of 16…255.
    public static func nearest256(r: UInt8, g: UInt8, b: UInt8) -> Int {
        16 + nearest(in: palette256, r: Int(r), g: Int(g), b: Int(b))
    }

    /// The nearest of the eight basic colours, 0…7.
    public static func nearest8(r: UInt8, g: UInt8, b: UInt8) -> Int {
        nearest(in: basic8, r: Int(r), g: Int(g), b: Int(b))
    }

    private static func nearest(in palette: [(r: Int, g: Int, b: Int)], r: Int, g: Int, b: Int) -> Int {
        var best = 0
        var bestDistance = Int.max
        for (index, entry) in palette.enumerated() {
            let dr = entry.r - r, dg = entry.g - g, db = entry.b - b
            let distance = dr * dr + dg * dg + db * db
            if distance < bestDistance { bestDistance = distance; best = index }
        }
        return best
    }

    /// The palette index for `colour` at `level`, or nil when colours are off.
    /// On an 8-colour terminal, bright ANSI colours (8–15) map to their plain counterparts.
    public static func paletteIndex(_ colour: TerminalColour, level: Looks.ColourLevel) -> Int? {
        switch (level, colour) {
        case (.monochrome, _): return nil
        case (.basic8, .ansi(let n)): return Int(n % 8)
        case (.indexed256, .ansi(let n)): return Int(n % 16)
        case (.basic8, .rgb(let r, let g, let b)): return nearest8(r: r, g: g, b: b)
        case (.indexed256, .rgb(let r, let g, let b)): return nearest256(r: r, g: g, b: b)
        }
    }

    /// Rec. 601 luma of a colour, 0…255, for shading without colour. ANSI colours use xterm's defaults.
    public static func luma(_ colour: TerminalColour) -> Int {
        switch colour {
        case .rgb(let r, let g, let b): return (299 * Int(r) + 587 * Int(g) + 114 * Int(b)) / 1000
        case .ansi(let n):
            let base = basic8[Int(n % 8)]
            let value = (299 * base.r + 587 * base.g + 114 * base.b) / 1000
            return n >= 8 ? min(255, value + 50) : value
        }
    }
}

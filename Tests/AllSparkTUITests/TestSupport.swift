@testable import AllSparkTUI

/// Renders with `draw` into a fresh grid and returns its lines (trailing spaces kept).
func renderLines(width: Int, height: Int, _ draw: (Painter) -> Void) -> [String] {
    let grid = CellGrid(width: width, height: height)
    draw(Painter(grid: grid))
    return (0..<height).map { grid.line($0) }
}

let fullTheme = Theme(looks: .full)
let asciiMonoTheme = Theme(looks: .plainASCII)
let unicodeMonoTheme = Theme(looks: Looks(colour: .monochrome, unicode: true))

func spaces(_ n: Int) -> String { String(repeating: " ", count: n) }

import Testing
import Foundation
@testable import AllSparkTUI

@Suite struct BarChartTests {
    // Area = 20 − label 2 − value 1 − 2 gaps = 15 cells = 120 eighths; 4 is the maximum, so
    // 4 → 120/8 = 15 full, 2 → 60/8 = 7 full + ▌ (4/8), 1 → 30/8 = 3 full + ▊ (6/8). Worked by hand.
    @Test func eighthsOfACell() {
        let chart = BarChart([.init("a", 1), .init("bb", 2), .init("c", 4)])
        let lines = renderLines(width: 20, height: 3) { chart.render(into: $0, theme: fullTheme) }
        #expect(lines == [
            "a  ███▊" + spaces(12) + "1",
            "bb ███████▌" + spaces(8) + "2",
            "c  ███████████████ 4",
        ])
    }

    // ASCII: whole cells, round(v/4·15): 4 → 15, 2 → 7.5 → 8, 1 → 3.75 → 4.
    @Test func wholeCellsInASCII() {
        let chart = BarChart([.init("a", 1), .init("bb", 2), .init("c", 4)])
        let lines = renderLines(width: 20, height: 3) { chart.render(into: $0, theme: asciiMonoTheme) }
        #expect(lines == [
            "a  ####" + spaces(12) + "1",
            "bb ########" + spaces(8) + "2",
            "c  ############### 4",
        ])
    }

    // Range −1…3 over 15 cells: zero at round(1/4·15) = 4; −1 fills cells 0–3, 3 fills cells 4–14.
    @Test func negativeValuesGrowLeftOfAZeroAxis() {
        let chart = BarChart([.init("n", -1), .init("p", 3)])
        let lines = renderLines(width: 20, height: 2) { chart.render(into: $0, theme: fullTheme) }
        #expect(lines[0] == "n ████│           -1")
        #expect(lines[1] == "p     ███████████  3")
    }

    @Test func nonFiniteValuesGetNoBar() {
        let chart = BarChart([.init("x", .nan), .init("y", 2)])
        let lines = renderLines(width: 12, height: 2) { chart.render(into: $0, theme: fullTheme) }
        #expect(lines[0] == "x        nan")
        #expect(chart.geometry(columns: 5, eighths: true).lengths[0] == nil)
    }
}

@Suite struct SparklineTests {
    // Levels and bin means from scripts/reference/tui_widgets.py (numpy floor((v−min)/(max−min)·8), capped at 7).
    @Test func levels() {
        let values: [Double] = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]
        #expect(Sparkline.levels(values) == [2, 0, 3, 0, 4, 7, 1, 5, 4, 2, 4])
        let lines = renderLines(width: 11, height: 1) { Sparkline(values).render(into: $0, theme: fullTheme) }
        #expect(lines[0] == "▃▁▄▁▅█▂▆▅▃▅")
    }

    @Test func binsLongSeries() {
        let values: [Double] = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]
        let bins = Sparkline.binned(values, columns: 4)
        let expected = [2.0, 3.3333333333333335, 5.666666666666667, 4.333333333333333]
        #expect(zip(bins, expected).allSatisfy { abs($0 - $1) < 1e-12 })
        let lines = renderLines(width: 4, height: 1) { Sparkline(values).render(into: $0, theme: asciiMonoTheme) }
        #expect(lines[0] == "_,#+")  // levels 0, 2, 7, 5 in the ASCII ramp "_.,-=+*#"
    }

    @Test func constantAndMissing() {
        #expect(Sparkline.levels([2, 2, .nan]) == [3, 3, nil])
        #expect(Sparkline.levels([.nan]) == [nil])
    }
}

@Suite struct HeatMapTests {
    // Block means from scripts/reference/tui_widgets.py (numpy reshape/mean; uneven bins by slicing).
    @Test func averagesBlocksWhenShrinking() {
        let values = (0..<24).map { Float(pow(Double($0), 1.5)) }
        let map = HeatMap(rows: 4, columns: 6, values: values)
        let out = map.resampled(outRows: 2, outColumns: 3)
        let expected = [[8.554299, 14.412999, 21.821497], [61.907, 74.038691, 86.896517]]
        for r in 0..<2 { for c in 0..<3 { #expect(abs(out[r][c] - expected[r][c]) < 1e-4) } }
    }

    @Test func unevenBins() {
        let map = HeatMap(rows: 5, columns: 7, values: (0..<35).map(Float.init))
        #expect(map.resampled(outRows: 2, outColumns: 3) == [[4, 6, 8.5], [21.5, 23.5, 26]])
    }

    @Test func repeatsCellsWhenGrowing() {
        #expect(HeatMap.outputSize(source: 2, space: 10) == 10)
        #expect(HeatMap.outputSize(source: 3, space: 10) == 9)
        #expect(HeatMap.outputSize(source: 30, space: 10) == 10)
        #expect(HeatMap.sourceRange(4, output: 10, source: 2) == 0..<1)
        #expect(HeatMap.sourceRange(5, output: 10, source: 2) == 1..<2)
    }

    // Normalised 0, 1/3, 2/3, 1 → ASCII shade index min(9, ⌊t·10⌋) = 0, 3, 6, 9 → " ", "-", "*", "@".
    @Test func shadesWithoutColour() {
        let map = HeatMap(rows: 2, columns: 2, values: [0, 1, 2, 3])
        let lines = renderLines(width: 10, height: 3) { map.render(into: $0, theme: asciiMonoTheme) }
        #expect(lines == ["     -----", "*****@@@@@", "0  :=*%@ 3"])
    }

    // Two rows per cell: top value in the foreground of ▀, bottom in the background.
    // Colours: viridis at 0, 1/3, 2/3, 1 (numpy interp, see ColourTests' source script).
    @Test func halfBlocksWithColour() {
        let map = HeatMap(rows: 2, columns: 2, values: [0, 1, 2, 3])
        let grid = CellGrid(width: 2, height: 2)
        map.render(into: Painter(grid: grid), theme: fullTheme)
        #expect(grid[0, 0].character == "▀")
        #expect(grid[0, 0].style.foreground == .rgb(68, 1, 84))
        #expect(grid[0, 0].style.background == .rgb(74, 182, 112))
        #expect(grid[1, 0].style.foreground == .rgb(50, 103, 139))
        #expect(grid[1, 0].style.background == .rgb(253, 231, 37))
    }

    // NaN cells show "?"; a single finite value sits mid-ramp: ASCII shade min(9, ⌊0.5·10⌋) = 5, "+".
    @Test func missingValuesAreMarked() {
        let map = HeatMap(rows: 1, columns: 2, values: [.nan, 1])
        let lines = renderLines(width: 2, height: 2) { map.render(into: $0, theme: asciiMonoTheme) }
        #expect(lines[0] == "?+")
    }
}

@Suite struct LinePlotTests {
    // From scripts/reference/tui_widgets.py: x = round(i·19/4), y = 7 − round((v+1)/3·7).
    @Test func pixelPositions() {
        let pixels = LinePlot.pixels([0, 1, 0.5, -1, 2], low: -1, high: 2, width: 20, height: 8)
        #expect(pixels.map { $0!.x } == [0, 5, 10, 14, 19])
        #expect(pixels.map { $0!.y } == [5, 2, 3, 7, 0])
    }

    @Test func segmentsAreConnected() {
        for (a, b) in [((0, 0), (7, 3)), ((5, 9), (0, 0)), ((2, 2), (2, 6)), ((4, 1), (4, 1))] {
            let points = LinePlot.segment(from: (a.0, a.1), to: (b.0, b.1))
            #expect(points.first! == (a.0, a.1))
            #expect(points.last! == (b.0, b.1))
            for (p, q) in zip(points, points.dropFirst()) { #expect(abs(p.x - q.x) <= 1 && abs(p.y - q.y) <= 1) }
        }
    }

    // A constant series sits mid-height: one 2×4-dot cell, dots at row round(1.5) = 2 from the
    // bottom (row 1 from the top) in both columns: bits 0x02 | 0x10 → U+2812.
    @Test func brailleDots() {
        let lines = renderLines(width: 3, height: 1) { LinePlot([5, 5, 5, 5]).render(into: $0, theme: fullTheme) }
        #expect(lines[0] == "5 ⠒")
    }

    @Test func asciiPoints() {
        let lines = renderLines(width: 5, height: 3) { LinePlot([0, 1, 2]).render(into: $0, theme: asciiMonoTheme) }
        #expect(lines == ["2   *", "   * ", "0 *  "])
    }
}

@Suite struct TokenPieceTests {
    @Test func wrapsWholePiecesAndShowsWhitespace() {
        let tokens = TokenPieces(["Hello", " world", "\n", "!"])
        #expect(tokens.height(width: 8, glyphs: .ascii) == 2)
        let lines = renderLines(width: 8, height: 2) { tokens.render(into: $0, theme: asciiMonoTheme) }
        #expect(lines == ["Hello   ", "_world$!"])
        let unicode = renderLines(width: 8, height: 2) { tokens.render(into: $0, theme: fullTheme) }
        #expect(unicode == ["Hello   ", "·world↵!"])
    }

    @Test func alternatingStylesWithoutColour() {
        let grid = CellGrid(width: 8, height: 1)
        TokenPieces(["ab", "cd"]).render(into: Painter(grid: grid), theme: asciiMonoTheme)
        #expect(grid[0, 0].style.attributes.contains(.reverse))
        #expect(!grid[2, 0].style.attributes.contains(.reverse))
    }
}

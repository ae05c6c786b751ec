import Testing
@testable import AllSparkTUI

@Suite struct PipelineWidgetTests {
    // Worked by hand: 18 positions over 23 spare cells give 6.39, 2.56, 3.83, 1.28, 2.56, 2.56, 3.83;
    // the floors take 19 cells, the 4 left go to the largest remainders (3.83, 3.83, 2.56, 2.56, the
    // earlier part first on ties), and every part gets its one cell.
    @Test func segmentWidthsAreProportionalWithAtLeastOneCell() {
        #expect(SegmentBar.widths([5, 2, 3, 1, 2, 2, 3], width: 30) == [7, 4, 5, 2, 4, 3, 5])
        #expect(SegmentBar.widths([1, 1000], width: 10) == [1, 9])
        #expect(SegmentBar.widths([1, 1, 1], width: 2) == [0, 0, 0])
        #expect(SegmentBar.widths([], width: 5) == [])
    }

    @Test func segmentBarDrawsItsLegend() {
        let grid = CellGrid(width: 40, height: 3)
        SegmentBar([.init("system", 20), .init("rgb tokens", 32, highlighted: true), .init("prompt", 0)])
            .render(into: Painter(grid: grid), theme: Theme(looks: .plainASCII))
        #expect(grid.line(1).contains("system 20 | @ rgb tokens 32"))
        #expect(!grid.text.contains("prompt"))  // empty parts are left out
    }

    // Worked by hand: over x 0…4 and y 0…2 in 9 × 5 pixels, (2, 1) is at x = round(0.5 · 8) = 4 and
    // y = 4 − round(0.5 · 4) = 2; the corners map to the corners, y growing downwards on screen.
    @Test func xyPlotPixels() {
        let bounds = (x: 0.0...4.0, y: 0.0...2.0)
        #expect(XYPlot.pixel((2, 1), bounds: bounds, width: 9, height: 5) == (4, 2))
        #expect(XYPlot.pixel((4, 2), bounds: bounds, width: 9, height: 5) == (8, 0))
        #expect(XYPlot.pixel((0, 0), bounds: bounds, width: 9, height: 5) == (0, 4))
    }

    // x spans 4 units over 8 pixels (0.5 a pixel), y 1 unit over 8: to keep the aspect, y widens to
    // 0.5 · 8 = 4 units around its middle 0.5.
    @Test func xyPlotKeepsTheAspectWhenAsked() {
        let b = XYPlot.equalised((x: 0.0...4.0, y: 0.0...1.0), pixelWidth: 8, pixelHeight: 8, dotAspect: 1)
        #expect(b.x == 0.0...4.0)
        #expect(b.y == -1.5...2.5)
    }

    @Test func xyPlotDrawsSeriesAndLegendInASCII() {
        let plot = XYPlot([.init("path", [(0, 0), (2, 2)], colour: .green, mark: "o"), .init("dot", [(2, 0)], colour: .red, mark: "*", joined: false)])
        let grid = CellGrid(width: 20, height: 7)
        #expect(plot.render(into: Painter(grid: grid), theme: Theme(looks: .plainASCII)) == 7)
        let text = grid.text
        #expect(text.contains("o path"))
        #expect(text.contains("* dot"))
        #expect(text.contains("x 0 ~ 2"))
        #expect(grid.line(0).hasPrefix("2 "))         // the y range's top
        #expect(grid.line(4).hasPrefix("0 o"))        // the path starts bottom left
    }

    @Test func asciiFallbackReplacesWhatDataBrings() {
        let grid = CellGrid(width: 20, height: 1)
        Painter(grid: grid).put("65 × 192 … é→漢", x: 0, y: 0)
        ASCIIFallback.apply(to: grid)
        #expect(grid.line(0).replacingTrailingSpaces() == "65 x 192 ~ ?>?")
        let allASCII = grid.text.unicodeScalars.allSatisfy { $0.isASCII }
        #expect(allASCII)
    }

    @Test func documentColumnsSitSideBySide() {
        let document = Document([.columns([Document(paragraphs: ["left"]), Document(paragraphs: ["right", "more"])], gap: 1)])
        let grid = document.renderFull(width: 21, theme: Theme(looks: .plainASCII))
        #expect(grid.height == 2)
        #expect(grid.line(0).replacingTrailingSpaces() == "left       right")
        #expect(grid.line(1).replacingTrailingSpaces() == "           more")
    }

    @Test func tokenPiecesShowTheirIdsDimmed() {
        let pieces = TokenPieces([.init("Hi", annotation: "12"), .init(" there", annotation: "345")])
        let grid = CellGrid(width: 30, height: 1)
        pieces.render(into: Painter(grid: grid), theme: Theme(looks: .plainASCII))
        #expect(grid.line(0).hasPrefix("Hi 12_there 345"))
        #expect(grid[3, 0].style.attributes.contains(.dim))
        #expect(!grid[0, 0].style.attributes.contains(.dim))
    }

    @Test func selectionChangesInvalidateFromTheRightStage() {
        let base = PipelineSelection(modality: .rgb, sample: nil, prompt: "a", maxNewTokens: 48, settings: .greedy)
        var other = base
        #expect(base.firstStageChanged(comparedWith: other) == nil)
        other.maxNewTokens = 8
        #expect(base.firstStageChanged(comparedWith: other) == .generation)
        other.prompt = "b"
        #expect(base.firstStageChanged(comparedWith: other) == .prompt)
        other.modality = .text
        #expect(base.firstStageChanged(comparedWith: other) == .sample)
    }

    @Test func runReportSummaries() {
        #expect(RunReport(ran: [.prompt, .sequence], kept: [.sample, .encoder, .bridge], seconds: 0.25).summary
                == "Ran 2 stages, prompt to sequence, in 250.0ms; kept sample, encoder, bridge from before.")
        #expect(RunReport(ran: [.sample], kept: [], seconds: 0.001).summary == "Ran sample in 1.0ms.")
    }
}

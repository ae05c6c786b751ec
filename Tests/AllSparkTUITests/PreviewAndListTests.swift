import Testing
import AllSparkData
@testable import AllSparkTUI

@Suite struct PreviewRendererTests {
    let grey = Preview.Colour(r: 200, g: 200, b: 200)  // luma 200

    @Test func coloursPassThroughWithColour() {
        let preview = Preview(rows: [[Preview.Cell(" ", background: grey), Preview.Cell("x", foreground: grey)]])
        let grid = CellGrid(width: 4, height: 1)
        PreviewRenderer.render(preview, into: Painter(grid: grid), theme: fullTheme)
        #expect(grid[0, 0].style.background == .rgb(200, 200, 200))
        #expect(grid[1, 0].character == "x")
        #expect(grid[1, 0].style.foreground == .rgb(200, 200, 200))
    }

    // Without colour a coloured space becomes a shade by luma: 200·5/256 → 3 ("▓") in Unicode,
    // 200·10/256 → 7 ("#") in ASCII. Plain characters stay.
    @Test func picturesStayVisibleWithoutColour() {
        let preview = Preview(rows: [[Preview.Cell(" ", background: grey), Preview.Cell("x", foreground: grey), Preview.Cell(" ")]])
        let unicode = renderLines(width: 3, height: 1) { PreviewRenderer.render(preview, into: $0, theme: unicodeMonoTheme) }
        #expect(unicode == ["▓x "])
        let ascii = renderLines(width: 3, height: 1) { PreviewRenderer.render(preview, into: $0, theme: asciiMonoTheme) }
        #expect(ascii == ["#x "])
    }

    @Test func asciiLookalikes() {
        let preview = Preview(lines: ["┌─┐", "│⠿│", "└→┘"])
        let lines = renderLines(width: 3, height: 3) { PreviewRenderer.render(preview, into: $0, theme: Theme(looks: Looks(colour: .indexed256, unicode: false))) }
        #expect(lines == ["+-+", "|.|", "+>+"])
    }

    @Test func captionAndCropping() {
        let preview = Preview(lines: ["abcdef", "ghijkl", "mnopqr"], caption: "3 lines")
        let lines = renderLines(width: 4, height: 3) { PreviewRenderer.render(preview, into: $0, theme: fullTheme) }
        #expect(lines == ["abcd", "ghij", "3 l…"])
    }
}

@Suite struct ListViewTests {
    let rows: [ListView.Row] = [
        .init("1D", selectable: false), .init("Text"), .init("Code"),
        .init("2D", selectable: false), .init("RGB"), .init("SAR"),
    ]

    @Test func movementSkipsHeadings() {
        #expect(ListView.move(from: 2, by: 1, in: rows) == 4)
        #expect(ListView.move(from: 4, by: -1, in: rows) == 2)
        #expect(ListView.move(from: 5, by: 10, in: rows) == 5)
        #expect(ListView.move(from: 1, by: -3, in: rows) == 1)
        #expect(ListView.move(from: nil, by: 1, in: rows) == 1)
        #expect(ListView.first(in: rows) == 1)
        #expect(ListView.last(in: rows) == 5)
        #expect(ListView.move(from: 0, by: 1, in: [ListView.Row("x", selectable: false)]) == nil)
    }

    @Test func scrollingKeepsTheSelectionInView() {
        #expect(ListView.scrollOffset(selected: 0, offset: 0, visibleRows: 3, count: 10) == 0)
        #expect(ListView.scrollOffset(selected: 5, offset: 0, visibleRows: 3, count: 10) == 3)
        #expect(ListView.scrollOffset(selected: 4, offset: 3, visibleRows: 3, count: 10) == 3)
        #expect(ListView.scrollOffset(selected: 1, offset: 3, visibleRows: 3, count: 10) == 1)
        #expect(ListView.scrollOffset(selected: nil, offset: 50, visibleRows: 3, count: 10) == 7)
        #expect(ListView.scrollOffset(selected: 2, offset: 5, visibleRows: 8, count: 4) == 0)
    }

    @Test func rendersHeadingsMarkerAndDetail() {
        let lines = renderLines(width: 12, height: 3) {
            ListView.render([.init("1D", selectable: false), .init("Text", detail: "3"), .init("Code")],
                            selected: 1, offset: 0, focused: true, into: $0, theme: asciiMonoTheme)
        }
        #expect(lines == ["1D          ", ">Text      3", " Code       "])
    }
}

@Suite struct DocumentTests {
    @Test func blocksStackAndScroll() {
        let doc = Document([
            .text([StyledLine("first line"), StyledLine("second")]),
            .spacer(1),
            .sparkline(label: "s", Sparkline([0, 1])),
        ])
        #expect(doc.height(width: 12, looks: .full) == 4)
        let top = renderLines(width: 12, height: 2) { doc.render(into: $0, offset: 0, theme: asciiMonoTheme) }
        #expect(top == ["first line  ", "second      "])
        let bottom = renderLines(width: 12, height: 2) { doc.render(into: $0, offset: 99, theme: asciiMonoTheme) }
        #expect(bottom == [spaces(12), "s _#        "])
    }
}

@Suite struct ScrollThumbTests {
    // Track 8 rows (frame 10 tall); 8 of 20 rows visible → thumb ⌊8·8/20⌋ = 3 rows, at the top for
    // the first page and at the bottom (start (8−3)·12/12 = 5) for the last.
    @Test func thumbLengthAndPosition() {
        func thumbRows(first: Int) -> [Int] {
            let grid = CellGrid(width: 4, height: 10)
            PaneFrame.drawScrollThumb(Painter(grid: grid), first: first, visible: 8, total: 20, theme: fullTheme)
            return (0..<10).filter { grid[3, $0].character == "█" }
        }
        #expect(thumbRows(first: 0) == [1, 2, 3])
        #expect(thumbRows(first: 12) == [6, 7, 8])
    }

    @Test func noThumbWhenEverythingFits() {
        let grid = CellGrid(width: 4, height: 10)
        PaneFrame.drawScrollThumb(Painter(grid: grid), first: 0, visible: 8, total: 8, theme: fullTheme)
        #expect(!grid.text.contains("█"))
    }
}

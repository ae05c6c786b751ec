import Testing
@testable import AllSparkTUI

@Suite struct CellGridTests {
    @Test func textIsClippedToThePainter() {
        let grid = CellGrid(width: 10, height: 3)
        let painter = Painter(grid: grid).sub(Rect(x: 2, y: 1, width: 5, height: 1))
        let used = painter.put("abcdefgh", x: 1, y: 0)
        #expect(used == 4)
        #expect(grid.line(1) == "   abcd   ")
        painter.put("zz", x: 0, y: 1)  // outside the sub-painter: ignored
        #expect(grid.line(2) == "          ")
    }

    @Test func wideCharactersTakeTwoCellsAndNeverHalfFit() {
        let grid = CellGrid(width: 5, height: 1)
        let painter = Painter(grid: grid)
        #expect(painter.put("日本", x: 0, y: 0) == 4)
        #expect(grid[1, 0].isContinuation)
        #expect(grid.line(0) == "日本 ")
        // A wide character at the last column does not fit: a space instead.
        painter.put("語", x: 4, y: 0)
        #expect(grid.line(0) == "日本 ")
        // Overwriting the right half of a wide character blanks its left half.
        painter.set(x: 1, y: 0, "x")
        #expect(grid.line(0) == " x本 ")
    }

    @Test func controlCharactersNeverReachTheScreen() {
        let grid = CellGrid(width: 4, height: 1)
        Painter(grid: grid).put("a\u{1b}b\n", x: 0, y: 0)
        #expect(grid.line(0) == "a?b?")
    }

    @Test func ellipsisWhenTooLong() {
        let grid = CellGrid(width: 12, height: 1)
        Painter(grid: grid).put("Oblique photography", x: 0, y: 0, maxWidth: 8, ellipsis: "…")
        #expect(grid.line(0).replacingTrailingSpaces() == "Oblique…")
    }

    @Test func displayWidths() {
        #expect(DisplayWidth.of("a") == 1)
        #expect(DisplayWidth.of("é") == 1)
        #expect(DisplayWidth.of("中") == 2)
        #expect(DisplayWidth.of("⠿") == 1)
        #expect(DisplayWidth.of("한글") == 4)
    }

    @Test func wrappingPrefersSpaces() {
        let line = StyledLine("the quick brown fox jumps")
        #expect(line.wrapped(to: 10).map(\.plainText) == ["the quick", "brown fox", "jumps"])
        #expect(StyledLine("abcdefghijkl").wrapped(to: 5).map(\.plainText) == ["abcde", "fghij", "kl"])
    }

    @Test func wrappingKeepsStyles() {
        let bold = CellStyle(attributes: .bold)
        let line = StyledLine([StyledSpan("aa "), StyledSpan("bbbb", style: bold)])
        let wrapped = line.wrapped(to: 4)
        #expect(wrapped.map(\.plainText) == ["aa", "bbbb"])
        #expect(wrapped[1].spans == [StyledSpan("bbbb", style: bold)])
    }

    @Test func numberFormats() {
        #expect(NumberFormat.compact(0.123456) == "0.1235")
        #expect(NumberFormat.compact(.nan) == "nan")
        #expect(NumberFormat.compact(-.infinity) == "-inf")
        #expect(NumberFormat.duration(0.0123) == "12.3ms")
        #expect(NumberFormat.duration(125) == "2m05s")
        #expect(NumberFormat.bytes(98_362_432) == "93.8 MiB")
    }
}

import Testing
@testable import AllSparkTUI

// Expected palette indices and ramp colours from scripts/reference/tui_widgets.py (numpy: argmin of
// squared RGB distance over xterm's fixed palette; np.interp over the five viridis stops).
@Suite struct ColourApproximationTests {
    @Test func paletteValuesFollowXterm() {
        #expect(ColourApproximation.xterm256(16) == (0, 0, 0))
        #expect(ColourApproximation.xterm256(231) == (255, 255, 255))
        #expect(ColourApproximation.xterm256(196) == (255, 0, 0))
        #expect(ColourApproximation.xterm256(67) == (95, 135, 175))  // 16 + 36·1 + 6·2 + 3
        #expect(ColourApproximation.xterm256(232) == (8, 8, 8))
        #expect(ColourApproximation.xterm256(255) == (238, 238, 238))
    }

    @Test(arguments: [
        ((0, 0, 0), 16), ((255, 255, 255), 231), ((128, 128, 128), 244), ((255, 0, 0), 196),
        ((100, 149, 237), 69), ((12, 200, 90), 41), ((250, 128, 114), 209), ((47, 79, 79), 238),
        ((240, 230, 140), 222), ((1, 2, 3), 16),
    ] as [((Int, Int, Int), Int)])
    func nearest256(_ rgb: (Int, Int, Int), _ expected: Int) {
        #expect(ColourApproximation.nearest256(r: UInt8(rgb.0), g: UInt8(rgb.1), b: UInt8(rgb.2)) == expected)
    }

    @Test(arguments: [
        ((0, 0, 0), 0), ((255, 255, 255), 7), ((128, 128, 128), 3), ((255, 0, 0), 1), ((100, 149, 237), 6),
        ((12, 200, 90), 2), ((250, 128, 114), 3), ((47, 79, 79), 0), ((240, 230, 140), 7), ((1, 2, 3), 0),
    ] as [((Int, Int, Int), Int)])
    func nearest8(_ rgb: (Int, Int, Int), _ expected: Int) {
        #expect(ColourApproximation.nearest8(r: UInt8(rgb.0), g: UInt8(rgb.1), b: UInt8(rgb.2)) == expected)
    }

    @Test func paletteIndexByLevel() {
        let salmon = TerminalColour.rgb(250, 128, 114)
        #expect(ColourApproximation.paletteIndex(salmon, level: .indexed256) == 209)
        #expect(ColourApproximation.paletteIndex(salmon, level: .basic8) == 3)
        #expect(ColourApproximation.paletteIndex(salmon, level: .monochrome) == nil)
        #expect(ColourApproximation.paletteIndex(.ansi(12), level: .indexed256) == 12)
        #expect(ColourApproximation.paletteIndex(.ansi(12), level: .basic8) == 4)
        #expect(ColourApproximation.paletteIndex(.cyan, level: .monochrome) == nil)
    }

    @Test(arguments: [
        (0.0, (68, 1, 84)), (0.1, (64, 33, 106)), (0.3, (54, 95, 139)), (0.6, (57, 167, 123)),
        (0.9, (189, 219, 61)), (1.0, (253, 231, 37)),
    ] as [(Double, (Int, Int, Int))])
    func viridisRamp(_ t: Double, _ rgb: (Int, Int, Int)) {
        #expect(ColourRamp.viridis.colour(at: t) == .rgb(UInt8(rgb.0), UInt8(rgb.1), UInt8(rgb.2)))
    }

    @Test func rampClampsAndTreatsNaNAsLow() {
        #expect(ColourRamp.viridis.colour(at: -3) == .rgb(68, 1, 84))
        #expect(ColourRamp.viridis.colour(at: 7) == .rgb(253, 231, 37))
        #expect(ColourRamp.viridis.colour(at: .nan) == .rgb(68, 1, 84))
    }

    @Test func noColorEnvironmentAndFlag() {
        #expect(Looks.colourAllowed(environment: [:], noColorFlag: false))
        #expect(!Looks.colourAllowed(environment: ["NO_COLOR": ""], noColorFlag: false))  // set to anything, even empty
        #expect(!Looks.colourAllowed(environment: ["NO_COLOR": "1"], noColorFlag: false))
        #expect(!Looks.colourAllowed(environment: [:], noColorFlag: true))
    }
}

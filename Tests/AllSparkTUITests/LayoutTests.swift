import Testing
@testable import AllSparkTUI

@Suite struct LayoutTests {
    @Test(arguments: [(79, 24), (80, 23), (40, 10), (0, 0)])
    func belowTheMinimumThereIsNoLayout(_ width: Int, _ height: Int) {
        #expect(ScreenLayout.compute(width: width, height: height) == nil)
    }

    // Worked by hand from the rules in ScreenLayout's comment.
    @Test func smallestTerminal() throws {
        let layout = try #require(ScreenLayout.compute(width: 80, height: 24))
        #expect(layout.statusLine == Rect(x: 0, y: 0, width: 80, height: 1))
        #expect(layout.hintBar == Rect(x: 0, y: 23, width: 80, height: 1))
        #expect(layout[.prompt] == Rect(x: 0, y: 22, width: 80, height: 1))
        #expect(layout[.modalities] == Rect(x: 0, y: 1, width: 26, height: 15))
        #expect(layout[.samples] == Rect(x: 0, y: 16, width: 26, height: 6))
        #expect(layout[.sample] == Rect(x: 26, y: 1, width: 20, height: 10))
        #expect(layout[.stages] == Rect(x: 46, y: 1, width: 34, height: 10))
        #expect(layout[.detail] == Rect(x: 26, y: 11, width: 54, height: 11))
    }

    @Test func mediumTerminalShowsTheWholeModalityList() throws {
        let layout = try #require(ScreenLayout.compute(width: 100, height: 30))
        #expect(layout[.modalities] == Rect(x: 0, y: 1, width: 26, height: 18))
        #expect(layout[.samples] == Rect(x: 0, y: 19, width: 26, height: 9))
        #expect(layout[.sample] == Rect(x: 26, y: 1, width: 37, height: 12))
        #expect(layout[.stages] == Rect(x: 63, y: 1, width: 37, height: 12))
        #expect(layout[.detail] == Rect(x: 26, y: 13, width: 74, height: 15))
    }

    @Test func wideTerminalUsesThreeColumns() throws {
        let layout = try #require(ScreenLayout.compute(width: 120, height: 40))
        #expect(layout[.modalities] == Rect(x: 0, y: 1, width: 28, height: 18))
        #expect(layout[.samples] == Rect(x: 0, y: 19, width: 28, height: 19))
        #expect(layout[.sample] == Rect(x: 28, y: 1, width: 36, height: 37))
        #expect(layout[.stages] == Rect(x: 64, y: 1, width: 56, height: 10))
        #expect(layout[.detail] == Rect(x: 64, y: 11, width: 56, height: 27))
    }

    /// At every size the panes tile the area between the status line and the prompt exactly, and
    /// every pane is big enough to show a frame and some content.
    @Test(arguments: [(80, 24), (81, 25), (99, 31), (100, 30), (119, 24), (120, 24), (160, 50), (250, 80), (400, 120)])
    func panesTileTheScreen(_ width: Int, _ height: Int) throws {
        let layout = try #require(ScreenLayout.compute(width: width, height: height))
        let middle = Rect(x: 0, y: 1, width: width, height: height - 3)
        let boxed: [PaneID] = [.modalities, .samples, .sample, .stages, .detail]
        var covered = 0
        for (i, a) in boxed.enumerated() {
            let r = layout[a]
            #expect(r.intersection(middle) == r, "\(a) \(r) outside \(middle)")
            #expect(r.width >= 20 && r.height >= 6, "\(a) \(r) too small")
            covered += r.width * r.height
            for b in boxed[(i + 1)...] { #expect(r.intersection(layout[b]).isEmpty, "\(a) overlaps \(b)") }
        }
        #expect(covered == middle.width * middle.height)
        #expect(layout[.stages].height >= ScreenLayout.stagePaneHeight)
    }

    @Test func hitTesting() throws {
        let layout = try #require(ScreenLayout.compute(width: 100, height: 30))
        #expect(layout.pane(atX: 3, y: 5) == .modalities)
        #expect(layout.pane(atX: 3, y: 20) == .samples)
        #expect(layout.pane(atX: 70, y: 20) == .detail)
        #expect(layout.pane(atX: 10, y: 28) == .prompt)
        #expect(layout.pane(atX: 10, y: 0) == nil)  // status line
    }

    @Test func spatialNeighbours() throws {
        let layout = try #require(ScreenLayout.compute(width: 100, height: 30))
        #expect(layout.neighbour(of: .modalities, .right) == .sample)
        #expect(layout.neighbour(of: .sample, .right) == .stages)
        #expect(layout.neighbour(of: .stages, .left) == .sample)
        #expect(layout.neighbour(of: .detail, .left) == .samples)
        #expect(layout.neighbour(of: .modalities, .left) == nil)
        #expect(layout.neighbour(of: .sample, .down) == .detail)
        #expect(layout.neighbour(of: .detail, .down) == .prompt)
    }

    @Test func focusOrderCycles() {
        #expect(PaneID.modalities.cycled(by: 1) == .samples)
        #expect(PaneID.prompt.cycled(by: 1) == .modalities)
        #expect(PaneID.modalities.cycled(by: -1) == .prompt)
    }

    @Test func tooSmallMessageNamesBothSizes() {
        let text = ScreenLayout.tooSmallMessage(width: 60, height: 20).joined(separator: " ")
        #expect(text.contains("60 × 20"))
        #expect(text.contains("80 × 24"))
    }
}

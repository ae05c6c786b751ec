import AllSparkData
import SparkEngine
@testable import AllSpark
import Testing
@testable import AllSparkTUI

func renderScreen(_ controller: TUIController, width: Int = 100, height: Int = 30, looks: Looks = .full) -> (grid: CellGrid, cursor: (x: Int, y: Int)?) {
    let grid = CellGrid(width: width, height: height)
    let cursor = MainScreen.render(FrameContext(controller: controller, theme: Theme(looks: looks)), into: grid)
    return (grid, cursor)
}

@Suite struct ScreenTests {
    @Test func statusLineNamesTheProgramAndVersion() throws {
        let c = makeController(try SampleFixture.make())
        let (grid, _) = renderScreen(c)
        #expect(grid.line(0).contains("\(AllSparkVersion.name) \(AllSparkVersion.version)"))
        #expect(grid.line(0).contains("model not loaded"))
    }

    @Test func everyModalityIsListedInItsGroup() throws {
        let c = makeController(try SampleFixture.make())
        let (grid, _) = renderScreen(c)
        let pane = try #require(c.layout?[.modalities])
        let lines = (pane.y..<pane.maxY).map { y in String((pane.x..<pane.maxX).map { grid[$0, y].character }) }
        for modality in Modality.allCases { #expect(lines.contains { $0.contains(modality.displayName) }) }
        let row = { (needle: String) in lines.firstIndex { $0.contains(needle) }! }
        #expect(row("1D") < row("Text"))
        #expect(row("2D") < row("RGB") && row("RGB") < row("3D") && row("3D") < row("Video"))
    }

    @Test func samplesAndTheirCatalogInformation() throws {
        let c = makeController(try SampleFixture.make())
        let text = renderScreen(c, width: 120, height: 40).grid.text
        #expect(text.contains("A review"))
        #expect(text.contains("zeta.txt"))
        #expect(text.contains("source: written for the tests"))
        #expect(text.contains("label: positive"))
        #expect(text.contains("A short review."))  // the text preview
        #expect(text.contains("Not run yet"))     // the stage placeholder
    }

    @Test func untrainedComponentsUseTheWarningStyle() throws {
        let c = makeController(try SampleFixture.make())
        let status = StatusInfo(configuration: "allspark-tiny", languageModel: "SmolLM2-135M",
                                components: [ComponentStatus("encoder rgb", .untrained), ComponentStatus("adapters", .untrained)])
        c.model.snapshot = PipelineSnapshot(selection: c.model.selection, trace: Trace(modality: .text), pieces: [:], status: status,
                                            prompts: nil, provenance: [])
        c.model.loadState = .ready
        for looks in [Looks.full, .plainASCII] {
            let (grid, _) = renderScreen(c, width: 140, looks: looks)
            let line = grid.line(0)
            let column = try #require(line.range(of: "untrained: encoder rgb, adapters").map { line.distance(from: line.startIndex, to: $0.lowerBound) })
            #expect(grid[column, 0].style == Theme(looks: looks).statusBarWarning)
            let lm = try #require(line.range(of: "LM SmolLM2-135M (pretrained)").map { line.distance(from: line.startIndex, to: $0.lowerBound) })
            #expect(grid[lm, 0].style == Theme(looks: looks).statusBar)
            #expect(line.contains("allspark-tiny"))
        }
    }

    @Test func tooSmallShowsOnlyTheMessage() throws {
        let c = makeController(try SampleFixture.make())
        let text = renderScreen(c, width: 60, height: 20).grid.text
        #expect(text.contains("60 × 20"))
        #expect(text.contains("at least 80 × 24"))
        #expect(!text.contains("Modalities"))
    }

    @Test func theFocusedPaneHasAHeavyFrame() throws {
        let c = makeController(try SampleFixture.make())
        let layout = try #require(c.layout)
        for looks in [Looks.full, .plainASCII] {
            c.model.focus = .stages
            let (grid, _) = renderScreen(c, looks: looks)
            let g = looks.glyphs
            #expect(grid[layout[.stages].x, layout[.stages].y].character == g.heavyTopLeft)
            #expect(grid[layout[.detail].x, layout[.detail].y].character == g.topLeft)
        }
    }

    @Test func asciiModeDrawsOnlyASCII() throws {
        let c = makeController(try SampleFixture.make())
        for (help, gallery) in [(false, false), (true, false), (false, true)] {
            c.model.showingHelp = help
            c.model.showingWidgetGallery = gallery
            let text = renderScreen(c, width: 120, height: 60, looks: .plainASCII).grid.text
            let offending = text.unicodeScalars.filter { !$0.isASCII }
            #expect(offending.isEmpty, "non-ASCII: \(String(String.UnicodeScalarView(offending)))")
        }
    }

    @Test func widgetGalleryDrawsEveryWidget() throws {
        let c = makeController(try SampleFixture.make())
        c.run("widgets")
        #expect(c.model.focus == .detail)
        let grid = renderScreen(c, width: 120, height: 60).grid
        let text = grid.text
        #expect(text.contains("Detail │ widget gallery"))
        #expect(text.contains("Example data, not model output"))
        #expect(text.contains("the       ███"))                          // bar chart
        #expect(text.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) })  // braille line plot
        #expect(text.contains("▀▀▀▀"))                                    // heat map half blocks
        #expect(text.contains("<|im_start|>user↵"))                       // token pieces
        c.press(.backTab, .character("j"))  // choosing another stage leaves the gallery
        #expect(!c.model.showingWidgetGallery)
    }

    @Test func stageMarks() throws {
        let c = makeController(try SampleFixture.make())
        var trace = Trace(modality: .text)
        trace.records[.sample] = TraceFixtures.record(.sample, [NamedShape("image", [3, 64, 64])], seconds: 0.0021, note: "")
        c.model.snapshot = PipelineSnapshot(selection: c.model.selection, trace: trace, pieces: [:], status: StatusInfo(), prompts: nil, provenance: [])
        c.model.run = RunProgress(stage: .encoder)
        c.model.failure = StageFailure(stage: .bridge, message: "broken", selection: c.model.selection)
        let text = renderScreen(c).grid.text
        #expect(text.contains("✓ sample"))
        #expect(text.contains("3 × 64 × 64  2.1ms"))
        #expect(text.contains("▶ encoder"))
        #expect(text.contains("✗ bridge"))
        #expect(text.contains("· prompt"))
        let ascii = renderScreen(c, looks: .plainASCII).grid.text
        #expect(ascii.contains("x sample"))
        #expect(ascii.contains("3 x 64 x 64  2.1ms"))
    }

    /// Help is generated from the key table: every binding's keys and text, and every command, are in it.
    @Test func helpListsEveryBindingAndCommand() throws {
        let lines = HelpOverlayView.lines(theme: fullTheme).map(\.plainText)
        for binding in KeyBindings.table {
            #expect(lines.contains { $0.contains(KeyBindings.keyLabel(binding, unicode: true)) && $0.contains(binding.help) },
                    "help lacks \(binding.action)")
        }
        for spec in LineCommand.specs { #expect(lines.contains { $0.contains(":" + spec.names[0]) && $0.contains(spec.help) }) }
    }

    @Test func helpOverlayScrolls() throws {
        let c = makeController(try SampleFixture.make())
        c.model.showingHelp = true
        let first = renderScreen(c).grid.text
        #expect(first.contains("Help"))
        #expect(first.contains("focus the next pane"))
        c.model.helpOffset = 1000
        let last = renderScreen(c).grid.text
        #expect(last.contains(CommandCatalog.specs.last!.summary.prefix(20)))
        #expect(c.model.helpOffset < 1000)  // clamped by the view
    }

    @Test func hintBarComesFromTheKeyTable() throws {
        let c = makeController(try SampleFixture.make())
        let (grid, _) = renderScreen(c, width: 160)
        let hints = grid.line(29)
        for binding in KeyBindings.bindings(in: .panes) where binding.hint != nil {
            #expect(hints.contains(binding.hint!))
        }
    }

    @Test func helpAndQuitHintsSurviveANarrowScreen() throws {
        let c = makeController(try SampleFixture.make())
        let hints = renderScreen(c, width: 80, height: 24, looks: .plainASCII).grid.line(23)
        #expect(hints.contains("? help"))
        #expect(hints.contains("q quit"))
    }

    @Test func messagesReplaceTheHints() throws {
        let c = makeController(try SampleFixture.make())
        c.model.message = .init("unknown command 'x'", kind: .error)
        let (grid, _) = renderScreen(c)
        #expect(grid.line(29).contains("unknown command 'x'"))
        #expect(grid[1, 29].style == fullTheme.error)
    }

    @Test func runningJobShowsSpinnerTimeAndProgress() throws {
        let c = makeController(try SampleFixture.make())
        let context = FrameContext(model: c.model, theme: fullTheme,
                                   job: .init(title: "encoder", elapsed: 1.234, message: "layer 3/12", fraction: 0.25, cancelling: false))
        let grid = CellGrid(width: 100, height: 30)
        MainScreen.render(context, into: grid)
        #expect(grid.line(0).contains("encoder 1.23s layer 3/12"))
    }
}

extension UsesReadline {
    @Suite struct EditingScreenTests {
        @Test func promptEditingShowsTheCursor() throws {
            let c = makeController(try SampleFixture.make())
            c.press(.character("e"))
            c.type("hello")
            let (grid, cursor) = renderScreen(c)
            let position = try #require(cursor)
            #expect(position.y == 28)
            #expect(grid.line(28).contains("hello"))
            #expect(grid[position.x - 1, 28].character == "o")
            c.press(.control("a"))
            #expect(renderScreen(c).cursor?.x == position.x - 5)
            c.press(.escape)
            #expect(renderScreen(c).cursor == nil)
        }

        @Test func longLinesScrollSoTheCursorStaysVisible() throws {
            let c = makeController(try SampleFixture.make())
            c.press(.character("e"))
            c.type(String(repeating: "abcdefghij", count: 15) + "END")
            let (grid, cursor) = renderScreen(c, width: 80, height: 24)
            let position = try #require(cursor)
            #expect(position.x < 80)
            #expect(grid.line(22).contains("END"))
            #expect(grid.line(22).contains("<"))
            c.press(.escape)
        }

        @Test func filterAndCommandLinesAreEditedInTheHintBar() throws {
            let c = makeController(try SampleFixture.make())
            c.press(.character("/"))
            c.type("rev")
            let (grid, cursor) = renderScreen(c)
            #expect(grid.line(29).hasPrefix("/rev"))
            #expect(cursor?.y == 29 && cursor?.x == 4)
            c.press(.escape, .character(":"))
            c.type("modality")
            #expect(renderScreen(c).grid.line(29).hasPrefix(":modality"))
            c.press(.escape)
        }

        @Test func aDraftIsMarked() throws {
            let c = makeController(try SampleFixture.make())
            c.press(.character("e"))
            c.type("unkept")
            c.press(.tab)
            let line = renderScreen(c).grid.line(28)
            #expect(line.contains("unkept"))
            #expect(line.contains("[draft"))
        }
    }
}

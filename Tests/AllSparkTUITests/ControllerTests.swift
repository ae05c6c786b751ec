import AllSparkData
import Foundation
import Testing
@testable import AllSparkTUI

/// A controller over the fixture's samples, laid out as on a 100 × 30 terminal.
func makeController(_ fixture: SampleFixture) -> TUIController {
    let controller = TUIController(model: TUIModel(samplesRoot: fixture.root), jobs: JobRunner(mainQueue: MainQueue()))
    controller.layout = ScreenLayout.compute(width: 100, height: 30)
    return controller
}

extension TUIController {
    func press(_ keys: Key...) { keys.forEach { handle($0) } }
    func type(_ text: String) { text.forEach { handle(.character($0)) } }
}

/// Keys that do not edit a line (readline is not used).
@Suite struct ControllerBrowsingTests {
    @Test func tabCyclesFocusBothWays() throws {
        let c = makeController(try SampleFixture.make())
        #expect(c.model.focus == .modalities)
        c.press(.tab)
        #expect(c.model.focus == .samples)
        c.press(.backTab, .backTab)
        #expect(c.model.focus == .prompt)
    }

    @Test func modalityMovementSkipsGroupHeadings() throws {
        let c = makeController(try SampleFixture.make())
        c.press(.character("j"))
        #expect(c.model.modality == .code)
        c.press(.down)
        #expect(c.model.modality == .rgb)  // past the "2D" heading
        c.press(.character("G"))
        #expect(c.model.modality == .pointcloud)
        c.press(.character("g"))
        #expect(c.model.modality == .text)
        c.press(.control("d"))  // half of the 16 inside rows of the 100 × 30 modality pane: 8 modalities on
        #expect(c.model.modality == .infrared)
    }

    @Test func choosingAModalityListsItsSamples() throws {
        let c = makeController(try SampleFixture.make())
        #expect(c.model.visibleSamples.count == 4)
        #expect(c.model.selectedSample?.displayName == "A review")
        c.select(.rgb)
        #expect(c.model.visibleSamples.map(\.name) == ["bunny.png"])
        c.select(.sar)
        #expect(c.model.selectedSample == nil)
    }

    @Test func spatialFocusWithHAndL() throws {
        let c = makeController(try SampleFixture.make())
        c.press(.character("l"))
        #expect(c.model.focus == .sample)
        c.press(.character("l"))
        #expect(c.model.focus == .stages)
        c.press(.character("h"), .left)
        #expect(c.model.focus == .modalities)
    }

    @Test func helpOpensAndEscOrQuestionMarkOrQCloseIt() throws {
        let c = makeController(try SampleFixture.make())
        for closing in [Key.escape, .character("?"), .character("q")] {
            c.press(.character("?"))
            #expect(c.model.showingHelp)
            c.press(.character("j"))
            #expect(c.model.helpOffset == 1)
            c.press(closing)
            #expect(!c.model.showingHelp)
            #expect(!c.model.quitRequested)
        }
        c.press(.character("q"))
        #expect(c.model.quitRequested)
    }

    @Test func mouseClicksFocusAndSelect() throws {
        let c = makeController(try SampleFixture.make())
        let layout = try #require(c.layout)
        // Modality rows start one row inside the frame: row 4 of the list is RGB (1D, Text, Code, 2D, RGB).
        c.press(.mouse(MouseEvent(.leftClick, x: layout[.modalities].x + 3, y: layout[.modalities].y + 1 + 4)))
        #expect(c.model.modality == .rgb)
        c.press(.mouse(MouseEvent(.leftClick, x: layout[.stages].x + 3, y: layout[.stages].y + 1 + 2)))
        #expect(c.model.focus == .stages)
        #expect(c.model.stageSelection == 2)
        c.press(.mouse(MouseEvent(.wheelDown, x: layout[.stages].x + 3, y: layout[.stages].y + 2)))
        #expect(c.model.stageSelection == 5)
    }

    @Test func enterOnASampleFocusesItsDetails() throws {
        let c = makeController(try SampleFixture.make())
        c.press(.enter)
        #expect(c.model.focus == .samples)
        c.press(.character("j"), .enter)
        #expect(c.model.selectedSample?.displayName == "review.txt#line=2")
        #expect(c.model.focus == .sample)
    }

    @Test func ctrlCWithNothingRunningQuits() throws {
        let c = makeController(try SampleFixture.make())
        c.interrupt()
        #expect(c.model.quitRequested)
    }

    /// First Ctrl-C cancels a (fake) running job and keeps the program; a second one quits.
    @Test func ctrlCCancelsAJobThenQuits() throws {
        let c = makeController(try SampleFixture.make())
        var outcome: String?
        try c.jobs.start("fake stage", work: { context in
            while !context.isCancelled { Thread.sleep(forTimeInterval: 0.001) }
            throw JobCancelled()
        }) { (result: JobRunner.Outcome<Void>) in
            if case .cancelled = result { outcome = "cancelled" }
        }
        c.interrupt()
        #expect(!c.model.quitRequested)
        #expect(c.jobs.running?.isCancelling == true)
        #expect(c.model.message?.text.contains("Ctrl-c again quits") == true)
        c.interrupt()
        #expect(c.model.quitRequested)
        pump(c.jobs.mainQueue) { outcome != nil }
        #expect(outcome == "cancelled")
    }

    @Test func escClearsTheFilterThenTheMessage() throws {
        let c = makeController(try SampleFixture.make())
        c.model.filter = "zeta"
        c.model.message = .init("hello")
        c.press(.escape)
        #expect(c.model.filter == "")
        #expect(c.model.message != nil)
        c.press(.escape)
        #expect(c.model.message == nil)
    }
}

/// Keys that edit lines with readline.
extension UsesReadline {
    @Suite struct ControllerEditingTests {
        @Test func promptCommitCancelAndDraft() throws {
            let c = makeController(try SampleFixture.make())
            c.press(.character("e"))
            #expect(c.model.editing == .prompt)
            #expect(c.model.focus == .prompt)
            c.type("describe it")
            c.press(.enter)
            #expect(c.model.prompt == "describe it")
            #expect(c.model.editing == nil)

            // Esc puts back the prompt as it was.
            c.press(.character("e"))
            c.press(.control("u"))
            c.type("something else")
            c.press(.escape)
            #expect(c.model.prompt == "describe it")
            #expect(c.model.promptDraft == nil)

            // Leaving with Tab keeps the edit as a draft; coming back resumes it; Enter keeps it.
            c.press(.character("e"))
            c.type(" briefly")
            c.press(.tab)
            #expect(c.model.editing == nil)
            #expect(c.model.focus == .modalities)
            #expect(c.model.prompt == "describe it")
            #expect(c.model.promptDraft == "describe it briefly")
            #expect(c.model.shownPrompt == "describe it briefly")
            c.press(.backTab, .enter)  // focus the prompt pane, Enter edits it
            #expect(c.editorDisplay?.text == "describe it briefly")
            c.press(.enter)
            #expect(c.model.prompt == "describe it briefly")
            #expect(c.model.promptDraft == nil)
        }

        @Test func promptHistory() throws {
            let c = makeController(try SampleFixture.make())
            for text in ["one", "two"] {
                c.press(.character("e"), .control("u"))
                c.type(text)
                c.press(.enter)
            }
            c.press(.character("e"), .up)
            #expect(c.editorDisplay?.text == "two")  // the newest entry first, as in a shell
            c.press(.up)
            #expect(c.editorDisplay?.text == "one")
            c.press(.escape)
            #expect(c.model.prompt == "two")
        }

        @Test func filterIsLiveAndEscPutsItBack() throws {
            let c = makeController(try SampleFixture.make())
            c.press(.character("/"))
            #expect(c.model.focus == .samples)
            c.type("zet")
            #expect(c.model.visibleSamples.map(\.name) == ["zeta.txt"])
            c.press(.escape)
            #expect(c.model.filter == "")
            #expect(c.model.visibleSamples.count == 4)
            c.press(.character("/"))
            c.type("review")
            c.press(.enter)
            #expect(c.model.filter == "review")
            #expect(c.model.visibleSamples.count == 2)
        }

        @Test func commandLine() throws {
            let c = makeController(try SampleFixture.make())
            c.press(.character(":"))
            c.type("modality rgb")
            c.press(.enter)
            #expect(c.model.modality == .rgb)
            #expect(c.model.focus == .samples)
            c.press(.character(":"))
            c.type("bogus")
            c.press(.enter)
            #expect(c.model.message?.kind == .error)
            #expect(c.model.message?.text.contains("unknown command 'bogus'") == true)
            c.press(.character(":"))
            c.type("quit")
            c.press(.escape)  // a command is only run by Enter
            #expect(!c.model.quitRequested)
        }

        @Test func demoJobRunsInTheBackground() throws {
            let c = makeController(try SampleFixture.make())
            c.press(.character(":"))
            c.type("demo-job 0.05")
            c.press(.enter)
            #expect(c.jobs.isRunning)
            pump(c.jobs.mainQueue) { !c.jobs.isRunning }
            #expect(c.model.message?.text == "Demo job finished (50 steps).")
        }

        @Test func quittingWhileEditingLeavesReadlineClean() throws {
            let c = makeController(try SampleFixture.make())
            c.press(.character("e"))
            c.type("draft")
            c.interrupt()
            #expect(c.model.quitRequested)
            #expect(c.model.editing == nil)
            #expect(c.model.promptDraft == "draft")
        }
    }
}

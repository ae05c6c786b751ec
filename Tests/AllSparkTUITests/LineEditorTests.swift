import Testing
@testable import AllSparkTUI

/// readline's state is process-wide: every suite that edits a line is nested in this one, which
/// runs its tests one at a time.
@Suite(.serialized) struct UsesReadline {}

extension UsesReadline { @Suite struct LineEditorTests {
    func type(_ text: String, into editor: LineEditor) {
        for c in text { editor.handle(.character(c)) }
    }

    @Test func typingAndCommitting() {
        let editor = LineEditor()
        editor.begin(text: "", history: [])
        type("hello", into: editor)
        #expect(editor.display.text == "hello")
        #expect(editor.display.cursorColumn == 5)
        #expect(editor.commit() == .committed("hello"))
        #expect(!editor.isActive)
    }

    @Test func emacsEditingKeys() {
        let editor = LineEditor()
        editor.begin(text: "describe this image", history: [])
        editor.handle(.control("a"))
        #expect(editor.display.cursorColumn == 0)
        editor.handle(.alt("f"))  // after "describe"
        #expect(editor.display.cursorColumn == 8)
        editor.handle(.control("k"))
        #expect(editor.display.text == "describe")
        editor.handle(.control("e"))
        type(" it", into: editor)
        editor.handle(.control("w"))
        #expect(editor.display.text == "describe ")
        editor.handle(.alt("b"))
        #expect(editor.display.cursorColumn == 0)
        editor.handle(.right); editor.handle(.right)
        editor.handle(.backspace)
        #expect(editor.display.text == "dscribe ")
        editor.handle(.delete)
        #expect(editor.display.text == "dcribe ")
        editor.handle(.end)
        editor.handle(.control("y"))  // yank what Ctrl-w killed
        #expect(editor.display.text == "dcribe it")
        #expect(editor.end() == "dcribe it")
    }

    @Test func historyWalksOldestFirst() {
        let editor = LineEditor()
        editor.begin(text: "draft", history: ["first", "second"])
        editor.handle(.up)
        #expect(editor.display.text == "second")
        editor.handle(.up)
        #expect(editor.display.text == "first")
        editor.handle(.down); editor.handle(.down)
        #expect(editor.display.text == "draft")
        editor.end()
    }

    @Test func historySearch() {
        let editor = LineEditor()
        editor.begin(text: "", history: ["describe the image", "count the cars"])
        editor.handle(.control("r"))
        #expect(editor.isSearching)
        type("desc", into: editor)
        #expect(editor.display.text == "describe the image")
        #expect(editor.display.prompt.contains("desc"))
        #expect(editor.commit() == .committed("describe the image"))
    }

    @Test func endingDuringASearchLeavesReadlineClean() {
        let editor = LineEditor()
        editor.begin(text: "kept", history: ["other"])
        editor.handle(.control("r"))
        type("oth", into: editor)
        editor.end()
        #expect(!editor.isActive)
        editor.begin(text: "again", history: [])
        #expect(!editor.isSearching)
        #expect(editor.display.text == "again")
        #expect(editor.commit() == .committed("again"))
    }

    @Test func unicodeCursorColumns() {
        let editor = LineEditor()
        editor.begin(text: "日本", history: [])
        #expect(editor.display.text == "日本")
        #expect(editor.display.cursorColumn == 4)
        editor.end()
    }

    @Test func endOfFileOnAnEmptyLineCancels() {
        let editor = LineEditor()
        editor.begin(text: "", history: [])
        #expect(editor.handle(.control("d")) == .cancelled)
        #expect(!editor.isActive)
    }

    @Test func aSecondEditorTakesOver() {
        let first = LineEditor(), second = LineEditor()
        first.begin(text: "one", history: [])
        second.begin(text: "two", history: [])
        #expect(!first.isActive)
        #expect(second.display.text == "two")
        second.end()
    }
}
}

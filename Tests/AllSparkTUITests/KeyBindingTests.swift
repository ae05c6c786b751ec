import Testing
@testable import AllSparkTUI

@Suite struct KeyBindingTests {
    @Test func everyActionHasAKeyAndHelp() {
        let bound = Set(KeyBindings.table.map(\.action))
        for action in Action.allCases { #expect(bound.contains(action), "\(action) has no key") }
        for binding in KeyBindings.table {
            #expect(!binding.help.isEmpty)
            #expect(!binding.keys.isEmpty)
        }
    }

    @Test func noKeyIsBoundTwiceInAScope() {
        for scope in KeyBinding.Scope.allCases {
            var seen: [Key: Action] = [:]
            for binding in KeyBindings.bindings(in: scope) {
                for key in binding.keys {
                    #expect(seen[key] == nil, "\(key) bound to \(seen[key].map { "\($0)" } ?? "") and \(binding.action) in \(scope)")
                    seen[key] = binding.action
                }
            }
        }
    }

    @Test func theConventionalKeys() {
        #expect(KeyBindings.action(for: .character("q"), in: .panes) == .quit)
        #expect(KeyBindings.action(for: .character("?"), in: .panes) == .toggleHelp)
        #expect(KeyBindings.action(for: .escape, in: .help) == .toggleHelp)
        #expect(KeyBindings.action(for: .character("/"), in: .panes) == .openFilter)
        #expect(KeyBindings.action(for: .character(":"), in: .panes) == .openCommandLine)
        #expect(KeyBindings.action(for: .tab, in: .panes) == .focusNextPane)
        #expect(KeyBindings.action(for: .backTab, in: .panes) == .focusPreviousPane)
        for (key, action) in [(Key.character("j"), Action.moveDown), (.down, .moveDown), (.character("k"), .moveUp),
                              (.character("h"), .focusPaneLeft), (.character("l"), .focusPaneRight),
                              (.character("g"), .moveToTop), (.character("G"), .moveToBottom),
                              (.control("d"), .halfPageDown), (.control("u"), .halfPageUp)] {
            #expect(KeyBindings.action(for: key, in: .panes) == action)
        }
        #expect(KeyBindings.action(for: .escape, in: .editing) == .cancelEdit)
        #expect(KeyBindings.action(for: .enter, in: .editing) == .commitEdit)
        #expect(KeyBindings.action(for: .character("q"), in: .editing) == nil)  // typed into the line
    }

    @Test func mouseEventsMatchWhereverTheyAre() {
        #expect(KeyBindings.action(for: .mouse(MouseEvent(.leftClick, x: 12, y: 7)), in: .panes) == .clickAt)
        #expect(KeyBindings.action(for: .mouse(MouseEvent(.wheelDown, x: 0, y: 0)), in: .panes) == .wheelDown)
    }

    @Test func labels() {
        #expect(KeyBindings.keyLabel(KeyBindings.table.first { $0.action == .moveUp }!, unicode: true) == "↑ k")
        #expect(KeyBindings.keyLabel(KeyBindings.table.first { $0.action == .moveUp }!, unicode: false) == "Up k")
        #expect(Key.control("d").label(unicode: true) == "Ctrl-d")
    }

    @Test func readlineGetsTheBytesATerminalWouldSend() {
        #expect(ReadlineKeys.input(for: .control("a")) == .bytes([0x01]))
        #expect(ReadlineKeys.input(for: .control("_")) == .bytes([0x1F]))
        #expect(ReadlineKeys.input(for: .alt("b")) == .bytes([0x1B, 0x62]))
        #expect(ReadlineKeys.input(for: .character("é")) == .bytes([0xC3, 0xA9]))
        #expect(ReadlineKeys.input(for: .up) == .command(.previousHistory))
        #expect(ReadlineKeys.input(for: .function(5)) == nil)
    }
}

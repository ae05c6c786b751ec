/// The one table of keys: what each key does where, and the help text for it. The help overlay and
/// the hint bar are generated from this table and key dispatch reads it, so they cannot disagree.
public struct KeyBinding: Sendable {
    /// Where a binding applies. Overlays and line editing take keys before the panes do.
    public enum Scope: String, Sendable, CaseIterable {
        /// Browsing the panes.
        case panes
        /// The help overlay is open.
        case help
        /// A dialog (choosing a prompt, setting up a comparison) is open.
        case dialog
        /// The comparison of two runs is shown.
        case comparison
        /// A line (prompt, filter, command) is being edited; keys not listed go to readline.
        case editing

        public var heading: String {
            switch self {
            case .panes: return "Panes"
            case .help: return "Help"
            case .dialog: return "A dialog (choosing a prompt, setting up a comparison)"
            case .comparison: return "The comparison of two runs"
            case .editing: return "Editing a line (prompt, / filter, : command)"
            }
        }
    }

    public var keys: [Key]
    public var action: Action
    public var scope: Scope
    public var help: String
    /// Shown in the key-hint bar (short form) when set.
    public var hint: String?

    public init(_ keys: [Key], _ action: Action, _ scope: Scope, _ help: String, hint: String? = nil) {
        self.keys = keys; self.action = action; self.scope = scope; self.help = help; self.hint = hint
    }
}

public enum KeyBindings {
    /// Stands for every mouse click and wheel event in the table (their positions vary).
    static let anyClick = Key.mouse(MouseEvent(.leftClick, x: -1, y: -1))
    static let anyWheelUp = Key.mouse(MouseEvent(.wheelUp, x: -1, y: -1))
    static let anyWheelDown = Key.mouse(MouseEvent(.wheelDown, x: -1, y: -1))
    /// Ctrl-C arrives as a key: the terminal is in raw mode, so two quick presses are two keys in
    /// order (two SIGINTs sent close together can merge into one). A SIGINT from elsewhere
    /// (`kill -INT`) is handled as if this key had been pressed.
    public static let interruptKey = Key.control("c")

    public static let table: [KeyBinding] = [
        KeyBinding([.character("n"), .character(" ")], .runNextStage, .panes, "run the next stage of the pipeline", hint: "next stage"),
        KeyBinding([.character("r")], .runAllStages, .panes, "run every stage not yet done (through the generation)", hint: "run all"),
        KeyBinding([.character("R")], .rerunFromPrompt, .panes, "run again from the prompt on (the encoder and bridge results are kept)"),
        KeyBinding([.character("e")], .editPrompt, .panes, "edit the prompt (with readline's keys; Enter keeps it and re-runs what follows the bridge)", hint: "edit prompt"),
        KeyBinding([.character("p")], .choosePrompt, .panes, "choose one of the modality's prompts", hint: "prompts"),
        KeyBinding([.character("S")], .savePrompt, .panes, "save the prompt as a user prompt of this modality"),
        KeyBinding([.character("c")], .compare, .panes, "compare two prompts or two samples side by side", hint: "compare"),
        KeyBinding([.tab], .focusNextPane, .panes, "focus the next pane", hint: "pane"),
        KeyBinding([.backTab], .focusPreviousPane, .panes, "focus the previous pane"),
        KeyBinding([.left, .character("h")], .focusPaneLeft, .panes, "focus the pane to the left"),
        KeyBinding([.right, .character("l")], .focusPaneRight, .panes, "focus the pane to the right"),
        KeyBinding([.up, .character("k")], .moveUp, .panes, "previous item / scroll up"),
        KeyBinding([.down, .character("j")], .moveDown, .panes, "next item / scroll down", hint: "move"),
        KeyBinding([.character("g"), .home], .moveToTop, .panes, "first item / top"),
        KeyBinding([.character("G"), .end], .moveToBottom, .panes, "last item / bottom"),
        KeyBinding([.control("u"), .pageUp], .halfPageUp, .panes, "half a page up"),
        KeyBinding([.control("d"), .pageDown], .halfPageDown, .panes, "half a page down"),
        KeyBinding([.enter], .activate, .panes, "open the selected item (edit the prompt in the prompt pane)"),
        KeyBinding([anyClick], .clickAt, .panes, "focus a pane and select the item clicked"),
        KeyBinding([anyWheelUp], .wheelUp, .panes, "scroll the pane under the pointer up"),
        KeyBinding([anyWheelDown], .wheelDown, .panes, "scroll the pane under the pointer down"),
        KeyBinding([.character("[")], .previousQuery, .panes, "bridge view: the previous query token's attention"),
        KeyBinding([.character("]")], .nextQuery, .panes, "bridge view: the next query token's attention"),
        KeyBinding([.character("{")], .previousLayer, .panes, "bridge view: the previous bridge layer's attention"),
        KeyBinding([.character("}")], .nextLayer, .panes, "bridge view: the next bridge layer's attention"),
        KeyBinding([.character("z")], .toggleZoom, .panes, "enlarge the detail pane to the whole screen, or back"),
        KeyBinding([.character("/")], .openFilter, .panes, "filter the sample list", hint: "filter"),
        KeyBinding([.character(":")], .openCommandLine, .panes, "open the command line", hint: "command"),
        KeyBinding([.character("?"), .function(1)], .toggleHelp, .panes, "show this help", hint: "help"),
        KeyBinding([.escape], .back, .panes, "back: leave the enlarged detail pane, clear the sample filter, dismiss a message"),
        KeyBinding([.control("l")], .redraw, .panes, "redraw the screen"),
        KeyBinding([.control("z")], .suspend, .panes, "suspend to the shell (fg resumes)"),
        KeyBinding([.character("q")], .quit, .panes, "quit", hint: "quit"),
        KeyBinding([interruptKey], .interrupt, .panes, "stop the running stage or generation; quit when none runs (or on a second Ctrl-c)"),

        KeyBinding([.escape, .character("?"), .character("q"), .function(1)], .toggleHelp, .help, "close this help", hint: "close"),
        KeyBinding([.up, .character("k")], .moveUp, .help, "scroll up"),
        KeyBinding([.down, .character("j")], .moveDown, .help, "scroll down", hint: "scroll"),
        KeyBinding([.control("u"), .pageUp], .halfPageUp, .help, "half a page up"),
        KeyBinding([.control("d"), .pageDown], .halfPageDown, .help, "half a page down"),
        KeyBinding([.character("g"), .home], .moveToTop, .help, "top"),
        KeyBinding([.character("G"), .end], .moveToBottom, .help, "bottom"),
        KeyBinding([interruptKey], .interrupt, .help, "stop the running job; quit when none runs"),

        KeyBinding([.enter], .choose, .dialog, "choose the selected row", hint: "choose"),
        KeyBinding([.escape, .character("q")], .closeOverlay, .dialog, "back out without choosing", hint: "back"),
        KeyBinding([.up, .character("k")], .moveUp, .dialog, "previous row"),
        KeyBinding([.down, .character("j")], .moveDown, .dialog, "next row", hint: "move"),
        KeyBinding([.character("g"), .home], .moveToTop, .dialog, "first row"),
        KeyBinding([.character("G"), .end], .moveToBottom, .dialog, "last row"),
        KeyBinding([anyClick], .clickAt, .dialog, "choose the row clicked (a click outside backs out)"),
        KeyBinding([interruptKey], .interrupt, .dialog, "stop the running job; quit when none runs"),

        KeyBinding([.escape, .character("q"), .character("c")], .closeOverlay, .comparison, "close the comparison", hint: "close"),
        KeyBinding([.up, .character("k")], .moveUp, .comparison, "scroll up"),
        KeyBinding([.down, .character("j")], .moveDown, .comparison, "scroll down", hint: "scroll"),
        KeyBinding([.control("u"), .pageUp], .halfPageUp, .comparison, "half a page up"),
        KeyBinding([.control("d"), .pageDown], .halfPageDown, .comparison, "half a page down"),
        KeyBinding([.character("g"), .home], .moveToTop, .comparison, "top"),
        KeyBinding([.character("G"), .end], .moveToBottom, .comparison, "bottom"),
        KeyBinding([interruptKey], .interrupt, .comparison, "stop the running comparison; quit when none runs"),

        KeyBinding([.enter], .commitEdit, .editing, "keep the edited line", hint: "keep"),
        KeyBinding([.escape], .cancelEdit, .editing, "cancel: put back the line as it was", hint: "cancel"),
        KeyBinding([.tab], .focusNextPane, .editing, "leave the prompt for the next pane, keeping the draft"),
        KeyBinding([.backTab], .focusPreviousPane, .editing, "leave the prompt for the previous pane, keeping the draft"),
        KeyBinding([interruptKey], .interrupt, .editing, "stop the running job; quit when none runs"),
        KeyBinding([.control("a"), .home], .editorKey, .editing, "start of line"),
        KeyBinding([.control("e"), .end], .editorKey, .editing, "end of line"),
        KeyBinding([.left, .right], .editorKey, .editing, "move by a character"),
        KeyBinding([.alt("b"), .alt("f")], .editorKey, .editing, "move by a word"),
        KeyBinding([.control("k")], .editorKey, .editing, "delete to the end of the line"),
        KeyBinding([.control("u")], .editorKey, .editing, "delete to the start of the line"),
        KeyBinding([.control("w")], .editorKey, .editing, "delete the word before the cursor"),
        KeyBinding([.alt("d")], .editorKey, .editing, "delete the word after the cursor"),
        KeyBinding([.control("y")], .editorKey, .editing, "paste what was last deleted"),
        KeyBinding([.control("_")], .editorKey, .editing, "undo"),
        KeyBinding([.up, .down], .editorKey, .editing, "previous / next line from this line's history"),
        KeyBinding([.control("r")], .editorKey, .editing, "search the history"),
    ]

    /// The action bound to `key` in `scope`; nil when none (in `editing`, such keys go to readline).
    /// Mouse events match their table entry whatever their position.
    public static func action(for key: Key, in scope: KeyBinding.Scope) -> Action? {
        let probe: Key
        if case .mouse(let event) = key { probe = .mouse(MouseEvent(event.kind, x: -1, y: -1)) } else { probe = key }
        return table.first { $0.scope == scope && $0.keys.contains(probe) }?.action
    }

    public static func bindings(in scope: KeyBinding.Scope) -> [KeyBinding] {
        table.filter { $0.scope == scope }
    }

    /// Keys as help shows them: "↑ k", "Ctrl-u PgUp".
    public static func keyLabel(_ binding: KeyBinding, unicode: Bool) -> String {
        binding.keys.map { $0.label(unicode: unicode) }.joined(separator: " ")
    }
}

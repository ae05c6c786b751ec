/// A key press as the interface sees it, independent of ncurses' codes (`CursesInput` decodes them).
public enum Key: Hashable, Sendable {
    /// A printable character (letters, digits, punctuation, space, any Unicode).
    case character(Character)
    /// Ctrl plus a letter, stored lowercase: Ctrl-D is `.control("d")`.
    case control(Character)
    /// Alt (Meta) plus a character: Alt-B is `.alt("b")`.
    case alt(Character)
    case up, down, left, right, home, end, pageUp, pageDown
    case tab, backTab, enter, escape, backspace, delete, insert
    case function(Int)
    /// The terminal changed size.
    case resize
    /// A mouse event: a button press or the wheel, at a screen cell.
    case mouse(MouseEvent)

    /// How the key is written in help and hints: "Tab", "S-Tab", "Ctrl-d", "↑".
    public func label(unicode: Bool) -> String {
        switch self {
        case .character(" "): return "Space"
        case .character(let c): return String(c)
        case .control(let c): return "Ctrl-\(c)"
        case .alt(let c): return "Alt-\(c)"
        case .up: return unicode ? "↑" : "Up"
        case .down: return unicode ? "↓" : "Down"
        case .left: return unicode ? "←" : "Left"
        case .right: return unicode ? "→" : "Right"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .tab: return "Tab"
        case .backTab: return "S-Tab"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Bksp"
        case .delete: return "Del"
        case .insert: return "Ins"
        case .function(let n): return "F\(n)"
        case .resize: return "(resize)"
        case .mouse(let event): return event.kind.label
        }
    }
}

/// A mouse event at a cell of the screen.
public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable, CaseIterable {
        case leftClick, wheelUp, wheelDown
        var label: String {
            switch self {
            case .leftClick: return "Click"
            case .wheelUp: return "Wheel up"
            case .wheelDown: return "Wheel down"
            }
        }
    }
    public var kind: Kind
    public var x: Int
    public var y: Int
    public init(_ kind: Kind, x: Int, y: Int) { self.kind = kind; self.x = x; self.y = y }
}

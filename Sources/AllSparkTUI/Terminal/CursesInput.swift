import CNcursesw

/// Reads keys from ncurses and decodes them into `Key`s.
enum CursesInput {
    /// Waits up to `milliseconds` for a key; nil on timeout (or a signal interrupting the wait).
    static func read(timeoutMilliseconds milliseconds: Int32) -> Key? {
        let window = allspark_stdscr()
        wtimeout(window, milliseconds)
        var character: wint_t = 0
        let status = wget_wch(window, &character)
        switch status {
        case KEY_CODE_YES: return decodeFunctionKey(Int32(character))
        case OK: break
        default: return nil
        }
        let code = UInt32(character)
        if code == 27 { return readAfterEscape() }
        return decodeCharacter(code)
    }

    /// An Esc either stands alone or starts Alt-<key> (terminals send Alt-b as Esc b). ncurses has
    /// already waited ESCDELAY for an escape sequence; a key still waiting now came with the Esc.
    private static func readAfterEscape() -> Key {
        let window = allspark_stdscr()
        wtimeout(window, 0)
        var next: wint_t = 0
        let status = wget_wch(window, &next)
        if status == OK, let scalar = Unicode.Scalar(UInt32(next)), UInt32(next) >= 0x20, UInt32(next) != 0x7F {
            return .alt(Character(scalar))
        }
        if status == OK { unget_wch(wchar_t(bitPattern: UInt32(next))) }
        if status == KEY_CODE_YES { ungetch(Int32(next)) }
        return .escape
    }

    static func decodeCharacter(_ code: UInt32) -> Key? {
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 8, 127: return .backspace
        case 0: return .control("@")
        case 1...26: return .control(Character(Unicode.Scalar(code + 96)!))
        case 28...31: return .control(Character(Unicode.Scalar(code + 64)!))  // Ctrl-\ ] ^ _
        default:
            guard let scalar = Unicode.Scalar(code) else { return nil }
            return .character(Character(scalar))
        }
    }

    static func decodeFunctionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_BTAB: return .backTab
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_IC: return .insert
        case KEY_ENTER: return .enter
        case KEY_RESIZE: return .resize
        case KEY_MOUSE: return readMouse()
        default:
            for n in 1...12 where code == allspark_key_f(Int32(n)) { return .function(n) }
            return nil
        }
    }

    private static func readMouse() -> Key? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        let state = event.bstate
        let kind: MouseEvent.Kind
        if state & (allspark_button1_pressed() | allspark_button1_clicked()) != 0 { kind = .leftClick }
        else if state & allspark_button4_pressed() != 0 { kind = .wheelUp }
        else if state & allspark_button5_pressed() != 0 { kind = .wheelDown }
        else { return nil }
        return .mouse(MouseEvent(kind, x: Int(event.x), y: Int(event.y)))
    }
}

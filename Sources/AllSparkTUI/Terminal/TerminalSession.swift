import CNcursesw
import Foundation

/// The ncurses screen, from start to a restored terminal.
///
/// Starts with `newterm` (not `initscr`, which exits the process on an unusable TERM), after
/// `setlocale(LC_ALL, "")` so UTF-8 draws. `close()` is idempotent and is reached on every exit
/// path: the app's `defer`, an `atexit` hook (for `exit()` from anywhere), and the signal flags
/// that end the main loop; crashes are covered by `SignalWatcher`'s fatal handlers.
final class TerminalSession {
    enum StartError: Error, CustomStringConvertible {
        case unusableTerminal(String)
        var description: String {
            switch self {
            case .unusableTerminal(let term):
                return "the terminal type TERM=\(term) is unknown to this system's terminfo database, so ncurses cannot drive it."
            }
        }
    }

    /// The one open session (ncurses has one screen per process here), for the atexit hook.
    nonisolated(unsafe) private static var current: TerminalSession?
    nonisolated(unsafe) private static var atexitRegistered = false

    private var screen: OpaquePointer?
    private(set) var isOpen = false
    let looks: Looks

    /// Opens the screen. `colourAllowed` false (NO_COLOR, --no-color) forces monochrome;
    /// `unicode` false (--ascii, or a locale that is not UTF-8) forces the ASCII glyphs.
    init(colourAllowed: Bool, unicode: Bool) throws {
        setlocale(LC_ALL, "")
        SignalWatcher.install()
        guard let screen = newterm(nil, stdout, stdin) else {
            throw StartError.unusableTerminal(ProcessInfo.processInfo.environment["TERM"] ?? "")
        }
        self.screen = screen
        set_term(screen)
        // Raw rather than cbreak: Ctrl-C, Ctrl-Z, Ctrl-S/Q arrive as keys, in order, so two quick
        // Ctrl-Cs are two presses (two SIGINTs can merge into one) and Ctrl-Z suspends only after
        // the terminal is handed back (see `suspend`).
        raw()
        noecho()
        nonl()
        keypad(allspark_stdscr(), true)
        intrflush(allspark_stdscr(), false)
        set_escdelay(25)  // Esc alone is recognised after 25 ms, not ncurses' default second
        curs_set(0)

        var level = Looks.ColourLevel.monochrome
        if colourAllowed && has_colors() {
            start_color()
            use_default_colors()
            level = COLORS >= 256 ? .indexed256 : (COLORS >= 8 ? .basic8 : .monochrome)
        }
        looks = Looks(colour: level, unicode: unicode && Self.localeIsUTF8())
        let buttons = allspark_button1_pressed() | allspark_button1_clicked() | allspark_button4_pressed() | allspark_button5_pressed()
        mousemask(buttons, nil)
        mouseinterval(0)  // report presses at once instead of waiting to tell clicks from double clicks
        isOpen = true
        SignalWatcher.setResetBytes(Self.resetBytes())
        Self.current = self
        if !Self.atexitRegistered {
            Self.atexitRegistered = true
            atexit { TerminalSession.current?.close() }
        }
    }

    /// Ends full-screen mode and puts the terminal back as it was. Safe to call more than once.
    func close() {
        guard isOpen else { return }
        isOpen = false
        mousemask(0, nil)
        curs_set(1)
        endwin()
        if let screen { delscreen(screen) }
        screen = nil
        SignalWatcher.setResetBytes([])
        if Self.current === self { Self.current = nil }
    }

    deinit { close() }

    /// Ctrl-Z: SIGTSTP goes to ncurses' own handler, which leaves full-screen mode, stops the
    /// process, and on `fg` restores the terminal modes and the screen.
    func suspend() {
        raise(SIGTSTP)
    }

    var size: (width: Int, height: Int) {
        (Int(getmaxx(allspark_stdscr())), Int(getmaxy(allspark_stdscr())))
    }

    /// "Leave the alternate screen, normal cursor, attributes off, mouse reports off" for this
    /// terminal, as the crash handler writes them.
    private static func resetBytes() -> [UInt8] {
        var bytes: [UInt8] = []
        for capability in ["rmcup", "cnorm", "sgr0"] {
            if let value = allspark_tigetstr(capability) { bytes += Array(String(cString: value).utf8) }
        }
        bytes += Array("\u{1b}[?1000l\u{1b}[?1002l\u{1b}[?1006l".utf8)
        return bytes
    }

    private static func localeIsUTF8() -> Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }
}

import CReadline
import Foundation

/// One line edited with GNU readline inside the full-screen interface, through readline's callback
/// interface: keys read by ncurses are fed to readline one byte at a time from a queue (a custom
/// `rl_getc_function`), readline edits `rl_line_buffer`, and the interface draws that buffer and
/// the cursor itself (the custom `rl_redisplay_function` draws nothing). readline never touches the
/// terminal: no terminal preparation, no signal handlers, output to /dev/null — and because a custom
/// redisplay function is set before readline initialises, it never calls `tgetent`, which would
/// replace ncurses' terminal description and with it the modes restored at exit.
///
/// readline's state is global to the process, so one line is edited at a time; `begin` takes over
/// from any other editor. Call from the main thread only.
public final class LineEditor {
    public enum Event: Equatable, Sendable {
        case editing
        case committed(String)
        case cancelled
    }

    /// What to draw: readline's own prompt (set during history search, empty otherwise), the text,
    /// and the cursor's display column within the text.
    public struct Display: Equatable, Sendable {
        public var prompt: String
        public var text: String
        public var cursorColumn: Int
    }

    public private(set) var isActive = false

    public init() {}

    deinit { if isActive { end() } }

    /// Starts editing `text` with the cursor at its end; Up/Down walk `history` (oldest first).
    public func begin(text: String, history: [String]) {
        ReadlineState.configureOnce()
        if let other = ReadlineState.activeEditor, other !== self { other.end() }
        ReadlineState.lineEnded = false
        ReadlineState.acceptedLine = nil
        clear_history()
        for entry in history { add_history(entry) }
        using_history()
        rl_callback_handler_install("", readlineLineHandler)
        rl_replace_line(text, 1)
        rl_point = rl_end
        ReadlineState.activeEditor = self
        isActive = true
    }

    /// Passes a key to readline. Returns `.committed` when readline accepted the line (Enter),
    /// `.cancelled` on end-of-file (Ctrl-d on an empty line), `.editing` otherwise.
    @discardableResult
    public func handle(_ key: Key) -> Event {
        guard isActive, let input = ReadlineKeys.input(for: key) else { return .editing }
        switch input {
        case .bytes(let bytes): feed(bytes)
        case .command(let command): run(command)
        }
        return finishIfEnded()
    }

    /// Enter: accepts the line through readline (so Enter during a history search accepts the
    /// found line, as in a shell).
    public func commit() -> Event {
        guard isActive else { return .editing }
        feed([0x0D])
        return finishIfEnded()
    }

    /// True while readline's incremental history search (Ctrl-r) is active.
    public var isSearching: Bool { isActive && allspark_rl_is_searching() != 0 }

    /// Leaves a history search, putting back the line as it was before it (Ctrl-g in readline).
    public func abortSearch() {
        guard isSearching else { return }
        feed([0x07])
    }

    /// Stops editing and returns the text as it stands (for Esc, which the caller turns into
    /// "put back the old text", and for leaving the pane with the draft kept).
    @discardableResult
    public func end() -> String {
        guard isActive else { return "" }
        abortSearch()
        let text = currentText
        rl_free_undo_list()
        rl_replace_line("", 1)
        rl_callback_handler_remove()
        isActive = false
        if ReadlineState.activeEditor === self { ReadlineState.activeEditor = nil }
        return text
    }

    public var display: Display {
        guard isActive else { return Display(prompt: "", text: "", cursorColumn: 0) }
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(rl_line_buffer).assumingMemoryBound(to: UInt8.self),
                                        count: Int(max(0, rl_end)))
        let point = min(max(0, Int(rl_point)), bytes.count)
        let prompt = rl_display_prompt.map { String(cString: $0) } ?? ""
        let beforeCursor = String(decoding: UnsafeBufferPointer(rebasing: bytes[..<point]), as: UTF8.self)
        return Display(prompt: prompt, text: String(decoding: bytes, as: UTF8.self), cursorColumn: DisplayWidth.of(beforeCursor))
    }

    private var currentText: String { display.text }

    private func feed(_ bytes: [UInt8]) {
        ReadlineState.queue = bytes
        ReadlineState.queueIndex = 0
        while ReadlineState.queueIndex < ReadlineState.queue.count && !ReadlineState.lineEnded {
            rl_callback_read_char()
        }
        ReadlineState.queue = []
        ReadlineState.queueIndex = 0
    }

    private func run(_ command: ReadlineCommand) {
        switch command {
        case .backwardChar: rl_backward_char(1, 0)
        case .forwardChar: rl_forward_char(1, 0)
        case .beginningOfLine: rl_beg_of_line(1, 0)
        case .endOfLine: rl_end_of_line(1, 0)
        case .previousHistory: rl_get_previous_history(1, 0)
        case .nextHistory: rl_get_next_history(1, 0)
        case .deleteChar: if rl_point < rl_end { rl_delete(1, 0) }
        case .rubout: rl_rubout(1, 0)
        }
    }

    private func finishIfEnded() -> Event {
        guard ReadlineState.lineEnded else { return .editing }
        ReadlineState.lineEnded = false
        isActive = false
        if ReadlineState.activeEditor === self { ReadlineState.activeEditor = nil }
        defer { ReadlineState.acceptedLine = nil }
        return ReadlineState.acceptedLine.map { .committed($0) } ?? .cancelled
    }
}

/// readline's callbacks are C function pointers and cannot capture context: they talk to the
/// editor through this state (main thread only).
private enum ReadlineState {
    static var configured = false
    static var queue: [UInt8] = []
    static var queueIndex = 0
    static var lineEnded = false
    static var acceptedLine: String?
    static weak var activeEditor: LineEditor?

    static func configureOnce() {
        guard !configured else { return }
        configured = true
        rl_readline_name = UnsafePointer(strdup("allspark"))
        rl_catch_signals = 0
        rl_catch_sigwinch = 0
        rl_change_environment = 0
        rl_prep_term_function = nil
        rl_deprep_term_function = nil
        rl_outstream = fopen("/dev/null", "w")
        rl_inhibit_completion = 1
        rl_getc_function = { _ in
            guard ReadlineState.queueIndex < ReadlineState.queue.count else { return EOF }
            defer { ReadlineState.queueIndex += 1 }
            return Int32(ReadlineState.queue[ReadlineState.queueIndex])
        }
        rl_input_available_hook = { ReadlineState.queueIndex < ReadlineState.queue.count ? 1 : 0 }
        rl_redisplay_function = { }
    }
}

/// Called by readline when a line is accepted (or with nil at end-of-file).
private func readlineLineHandler(_ line: UnsafeMutablePointer<CChar>?) {
    ReadlineState.acceptedLine = line.map { String(cString: $0) }
    ReadlineState.lineEnded = true
    free(line)
    rl_callback_handler_remove()
}

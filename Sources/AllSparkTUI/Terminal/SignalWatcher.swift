import Foundation
import Synchronization

/// Signal handling that keeps the terminal safe.
///
/// SIGINT, SIGTERM, SIGHUP and SIGQUIT only set a flag here; the main loop reads the flags
/// (`takePending`) and quits or cancels through the normal path, which restores the terminal.
/// (At the keyboard Ctrl-C is a key, the terminal being in raw mode; SIGINT comes from `kill`.)
/// Installed before ncurses starts, so ncurses leaves these signals alone (it installs its own
/// handlers only where none exist) and keeps SIGWINCH (KEY_RESIZE) and SIGTSTP (Ctrl-z).
///
/// For crashes (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP) no normal path is left: the
/// handler puts back the terminal modes saved at start and writes the terminal's "leave full
/// screen / show cursor / stop mouse reports" strings — both async-signal-safe — then hands the
/// signal to whatever handler was there before (Swift's backtracer, or the default action).
enum SignalWatcher {
    static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
    static let fatal: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]

    /// One bit per signal number received and not yet taken.
    static let pending = Atomic<UInt64>(0)
    nonisolated(unsafe) static var installed = false
    /// Terminal modes before the interface started, and bytes that undo full-screen mode.
    nonisolated(unsafe) static var savedModes = UnsafeMutablePointer<termios>.allocate(capacity: 1)
    nonisolated(unsafe) static var haveSavedModes = false
    nonisolated(unsafe) static var resetBytes = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    nonisolated(unsafe) static var resetCount = 0
    nonisolated(unsafe) static var previousFatalActions = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)

    /// Installs the handlers (once) and saves the terminal's current modes.
    static func install() {
        guard !installed else { return }
        installed = true
        _ = pending.load(ordering: .relaxed)  // initialise before a handler can touch it
        haveSavedModes = tcgetattr(STDIN_FILENO, savedModes) == 0
        for signal in handled {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                guard number >= 0 && number < 64 else { return }
                SignalWatcher.pending.bitwiseOr(UInt64(1) << UInt64(number), ordering: .relaxed)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0  // no SA_RESTART: a blocked key read returns, and the loop sees the flag
            sigaction(signal, &action, nil)
        }
        for signal in fatal {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                SignalWatcher.restoreTerminalFromSignalHandler()
                sigaction(number, SignalWatcher.previousFatalActions + Int(number), nil)
                raise(number)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(bitPattern: UInt32(SA_RESETHAND))
            sigaction(signal, &action, previousFatalActions + Int(signal))
        }
    }

    /// The bytes written on a crash to leave full-screen mode (from terminfo, captured after
    /// ncurses started). Longer strings are cut at 256 bytes.
    static func setResetBytes(_ bytes: [UInt8]) {
        resetCount = min(256, bytes.count)
        for i in 0..<resetCount { resetBytes[i] = bytes[i] }
    }

    /// Async-signal-safe: tcsetattr and write only.
    static func restoreTerminalFromSignalHandler() {
        if resetCount > 0 { _ = write(STDOUT_FILENO, resetBytes, resetCount) }
        if haveSavedModes { tcsetattr(STDIN_FILENO, TCSANOW, savedModes) }
    }

    /// The signals received since the last call, in increasing number.
    static func takePending() -> [Int32] {
        let bits = pending.exchange(0, ordering: .relaxed)
        return (0..<64).filter { bits & (UInt64(1) << UInt64($0)) != 0 }.map(Int32.init)
    }
}

import Dispatch
import Foundation
import SparkLM

/// Ctrl-C in the REPL (`InterruptPolicy`): the first one while a command runs stops it (the
/// command checks the flag between stages and tokens); one at the prompt, or a second one while
/// the command is still stopping, leaves with status 130.
///
/// SIGINT is received on a dispatch queue, never in a signal handler. Leaving from there while
/// readline has the terminal in its editing mode would leave the terminal raw, so the modes saved
/// at start are put back first.
public final class ReplInterrupts: @unchecked Sendable {
    public let cancel = CancellationFlag()
    private let lock = NSLock()
    private var running = false
    private var source: DispatchSourceSignal?
    private let savedModes: termios?
    private let onStopping: @Sendable () -> Void

    /// `onStopping` runs (on the signal queue) when a first Ctrl-C cancels a command.
    public init(onStopping: @escaping @Sendable () -> Void) {
        var modes = termios()
        if isatty(STDIN_FILENO) != 0, tcgetattr(STDIN_FILENO, &modes) == 0 { savedModes = modes } else { savedModes = nil }
        self.onStopping = onStopping
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [weak self] in self?.interrupted() }
        source.resume()
        self.source = source
    }

    private func interrupted() {
        let decision: InterruptPolicy.Decision = lock.withLock {
            let decision = InterruptPolicy.decide(jobRunning: running, jobAlreadyCancelling: cancel.isCancelled)
            if decision == .cancelJob { cancel.cancel() }
            return decision
        }
        switch decision {
        case .cancelJob: onStopping()
        case .quit: leave(status: 130)
        }
    }

    /// Puts the terminal back as it was at start and ends the process.
    public func leave(status: Int32) -> Never {
        if var modes = savedModes { tcsetattr(STDIN_FILENO, TCSANOW, &modes) }
        fflush(stdout)
        FileHandle.standardError.write(Data("\n".utf8))
        exit(status)
    }

    /// Runs one command with a fresh cancellation flag that Ctrl-C sets.
    public func whileRunning<T>(_ body: (CancellationFlag) throws -> T) rethrows -> T {
        lock.withLock { running = true; cancel.reset() }
        defer { lock.withLock { running = false } }
        return try body(cancel)
    }
}

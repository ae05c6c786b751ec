import Dispatch
import Foundation
import SparkLM

/// Ctrl-C handling for the line-oriented commands (llama.cpp's convention): the first Ctrl-C
/// during a generation stops the generation; a Ctrl-C when nothing is running (or a second one)
/// ends the program. The signal is received on a dispatch queue, never in a signal handler.
final class InterruptWatcher: @unchecked Sendable {
    let cancel = CancellationFlag()
    private let lock = NSLock()
    private var generating = false
    private var source: DispatchSourceSignal?

    init() {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [weak self] in self?.interrupted() }
        source.resume()
        self.source = source
    }

    private func interrupted() {
        lock.lock(); defer { lock.unlock() }
        if generating && !cancel.isCancelled {
            cancel.cancel()
            FileHandle.standardError.write(Data("\n[stopping; Ctrl-C again to quit]\n".utf8))
        } else {
            FileHandle.standardError.write(Data("\n".utf8))
            exit(130)
        }
    }

    /// Runs `body` as a cancellable generation.
    func generation<T>(_ body: (CancellationFlag) throws -> T) rethrows -> T {
        lock.lock(); generating = true; cancel.reset(); lock.unlock()
        defer { lock.lock(); generating = false; lock.unlock() }
        return try body(cancel)
    }
}

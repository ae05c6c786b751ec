import Foundation

/// Asks a background job to stop. The job checks `isCancelled` (or calls `checkCancellation()`)
/// between steps — a layer, a generated token — and stops early; callbacks registered with
/// `onCancel` run once, on the thread that cancels, so a job can also interrupt a blocking wait.
public final class CancellationToken: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    private var handlers: [@Sendable () -> Void] = []

    public init() {}

    public var isCancelled: Bool { lock.withLock { cancelled } }

    /// Cancels (once; later calls do nothing) and runs the registered handlers.
    public func cancel() {
        let toRun: [@Sendable () -> Void] = lock.withLock {
            guard !cancelled else { return [] }
            cancelled = true
            defer { handlers = [] }
            return handlers
        }
        toRun.forEach { $0() }
    }

    /// Runs `handler` when the token is cancelled, or at once if it already is.
    public func onCancel(_ handler: @escaping @Sendable () -> Void) {
        let runNow: Bool = lock.withLock {
            if cancelled { return true }
            handlers.append(handler)
            return false
        }
        if runNow { handler() }
    }

    /// Throws `JobCancelled` when cancelled: a job's way to stop from deep inside its work.
    public func checkCancellation() throws {
        if isCancelled { throw JobCancelled() }
    }
}

/// Thrown by a job that stopped because it was cancelled.
public struct JobCancelled: Error, CustomStringConvertible, Sendable {
    public init() {}
    public var description: String { "cancelled" }
}

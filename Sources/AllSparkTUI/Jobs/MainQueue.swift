import Foundation

/// Work handed to the main (interface) thread: background threads `post` closures, the main loop
/// runs them with `drain()` between key reads. This is how results reach the screen without a
/// background thread ever touching ncurses.
public final class MainQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [() -> Void] = []

    public init() {}

    public func post(_ work: @escaping () -> Void) {
        lock.withLock { pending.append(work) }
    }

    /// Runs everything posted so far, in order; returns how many ran.
    @discardableResult
    public func drain() -> Int {
        let batch: [() -> Void] = lock.withLock { defer { pending = [] }; return pending }
        batch.forEach { $0() }
        return batch.count
    }

    public var isEmpty: Bool { lock.withLock { pending.isEmpty } }
}

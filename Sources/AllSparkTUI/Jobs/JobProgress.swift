import Foundation

/// What a running job tells the interface: a message and, when known, the fraction done.
/// Written by the job's thread, read by the main thread when it redraws.
public final class JobProgress: @unchecked Sendable {
    public struct Snapshot: Equatable, Sendable {
        public var message: String
        public var fraction: Double?
    }

    private let lock = NSLock()
    private var current: Snapshot

    public init(message: String = "") { current = Snapshot(message: message, fraction: nil) }

    public func report(_ message: String, fraction: Double? = nil) {
        lock.withLock { current = Snapshot(message: message, fraction: fraction.map { min(1, max(0, $0)) }) }
    }

    public var snapshot: Snapshot { lock.withLock { current } }
}

/// What a job's work receives: its cancellation token and its progress reporter.
public struct JobContext: Sendable {
    public let token: CancellationToken
    public let progress: JobProgress

    public func report(_ message: String, fraction: Double? = nil) { progress.report(message, fraction: fraction) }
    public func checkCancellation() throws { try token.checkCancellation() }
    public var isCancelled: Bool { token.isCancelled }
}

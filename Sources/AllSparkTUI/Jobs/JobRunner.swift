import Foundation

/// Runs long work (a pipeline stage, a generation) on a background thread, one job at a time,
/// and delivers its result on the main thread through a `MainQueue`.
///
/// The main loop keeps reading keys while a job runs, draws `running`'s spinner, elapsed time and
/// progress message, and calls `mainQueue.drain()` to receive results. Ctrl-C goes through
/// `InterruptPolicy`, which calls `cancelRunning()`.
public final class JobRunner {
    /// The job in progress, as the interface shows it.
    public struct Running {
        public let title: String
        public let started: Date
        public let context: JobContext
        public var elapsed: Double { Date().timeIntervalSince(started) }
        public var isCancelling: Bool { context.isCancelled }
    }

    public enum Outcome<Value> {
        case finished(Value)
        case cancelled
        case failed(Error)
    }

    public let mainQueue: MainQueue
    public private(set) var running: Running?

    public init(mainQueue: MainQueue) {
        self.mainQueue = mainQueue
    }

    public var isRunning: Bool { running != nil }

    public enum StartError: Error, CustomStringConvertible {
        case busy(String)
        public var description: String {
            switch self { case .busy(let title): return "'\(title)' is still running (Ctrl-c cancels it)" }
        }
    }

    /// Starts `work` on a new thread. `completion` runs on the main thread (at the next `drain`)
    /// with the outcome: a job that throws `JobCancelled`, or returns after its token was
    /// cancelled, ends as `.cancelled`. Call from the main thread only.
    public func start<Value>(_ title: String,
                             work: @escaping @Sendable (JobContext) throws -> Value,
                             completion: @escaping (Outcome<Value>) -> Void) throws {
        if let running { throw StartError.busy(running.title) }
        let context = JobContext(token: CancellationToken(), progress: JobProgress(message: title))
        running = Running(title: title, started: Date(), context: context)
        let queue = mainQueue
        let thread = Thread { [weak self] in
            let outcome: Outcome<Value>
            do {
                let value = try work(context)
                outcome = context.isCancelled ? .cancelled : .finished(value)
            } catch is JobCancelled {
                outcome = .cancelled
            } catch {
                outcome = context.isCancelled ? .cancelled : .failed(error)
            }
            // Posted as one unit: the runner is free again exactly when the completion runs.
            queue.post {
                self?.running = nil
                completion(outcome)
            }
        }
        thread.name = "allspark job: \(title)"
        thread.stackSize = 8 << 20  // model code recurses little but keeps big frames in debug builds
        thread.start()
    }

    /// Asks the running job to stop; false when nothing runs.
    @discardableResult
    public func cancelRunning() -> Bool {
        guard let running else { return false }
        running.context.token.cancel()
        return true
    }
}

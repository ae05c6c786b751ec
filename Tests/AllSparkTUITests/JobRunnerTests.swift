import Foundation
import Testing
@testable import AllSparkTUI

/// Drains `queue` until `done()` or a deadline; the tests' stand-in for the main loop.
func pump(_ queue: MainQueue, seconds: Double = 10, until done: () -> Bool) {
    let deadline = Date().addingTimeInterval(seconds)
    while !done() && Date() < deadline {
        if queue.drain() == 0 { Thread.sleep(forTimeInterval: 0.001) }
    }
}

@Suite struct JobRunnerTests {
    @Test func resultArrivesOnlyThroughTheMainQueue() throws {
        let queue = MainQueue()
        let runner = JobRunner(mainQueue: queue)
        var outcome: JobRunner.Outcome<Int>?
        let started = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        try runner.start("sum", work: { _ in started.signal(); release.wait(); return 42 }) { outcome = $0 }
        started.wait()
        #expect(runner.isRunning)
        release.signal()
        Thread.sleep(forTimeInterval: 0.05)
        #expect(outcome == nil)  // not before the main thread drains
        pump(queue) { outcome != nil }
        guard case .finished(let value)? = outcome else { Issue.record("no result: \(String(describing: outcome))"); return }
        #expect(value == 42)
        #expect(!runner.isRunning)
    }

    /// A fake job that works in small steps until cancelled, reporting progress.
    @Test func cancellingAFakeJob() throws {
        let queue = MainQueue()
        let runner = JobRunner(mainQueue: queue)
        var outcome: JobRunner.Outcome<Int>?
        try runner.start("fake", work: { context in
            var step = 0
            while true {
                try context.checkCancellation()
                step += 1
                context.report("step \(step)", fraction: nil)
                Thread.sleep(forTimeInterval: 0.001)
            }
        }) { outcome = $0 }
        let progress = try #require(runner.running?.context.progress)
        pump(queue, seconds: 5) { progress.snapshot.message.hasPrefix("step") }
        #expect(progress.snapshot.message.hasPrefix("step"))
        #expect(runner.cancelRunning())
        #expect(runner.running?.isCancelling == true)
        pump(queue) { outcome != nil }
        guard case .cancelled? = outcome else { Issue.record("expected cancelled, got \(String(describing: outcome))"); return }
        #expect(!runner.cancelRunning())
    }

    @Test func failuresAreReported() throws {
        struct Broken: Error {}
        let queue = MainQueue()
        let runner = JobRunner(mainQueue: queue)
        var outcome: JobRunner.Outcome<Int>?
        try runner.start("broken", work: { _ in throw Broken() }) { outcome = $0 }
        pump(queue) { outcome != nil }
        guard case .failed(let error)? = outcome else { Issue.record("expected failure"); return }
        #expect(error is Broken)
    }

    @Test func oneJobAtATime() throws {
        let queue = MainQueue()
        let runner = JobRunner(mainQueue: queue)
        let release = DispatchSemaphore(value: 0)
        var finished = false
        try runner.start("first", work: { _ in release.wait() }) { _ in finished = true }
        #expect(throws: JobRunner.StartError.self) { try runner.start("second", work: { _ in }) { _ in } }
        release.signal()
        pump(queue) { finished }
        try runner.start("third", work: { _ in }) { _ in }
        pump(queue) { !runner.isRunning }
    }

    @Test func cancellationHandlersRunOnce() {
        let token = CancellationToken()
        let count = LockedCounter()
        token.onCancel { count.increment() }
        token.cancel()
        token.cancel()
        token.onCancel { count.increment() }  // already cancelled: runs at once
        #expect(count.value == 2)
        #expect(throws: JobCancelled.self) { try token.checkCancellation() }
    }

    @Test func progressFractionIsClamped() {
        let progress = JobProgress()
        progress.report("half", fraction: 1.7)
        #expect(progress.snapshot == JobProgress.Snapshot(message: "half", fraction: 1))
    }

    @Test func ctrlCPolicy() {
        #expect(InterruptPolicy.decide(jobRunning: true, jobAlreadyCancelling: false) == .cancelJob)
        #expect(InterruptPolicy.decide(jobRunning: true, jobAlreadyCancelling: true) == .quit)
        #expect(InterruptPolicy.decide(jobRunning: false, jobAlreadyCancelling: false) == .quit)
    }
}

final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}

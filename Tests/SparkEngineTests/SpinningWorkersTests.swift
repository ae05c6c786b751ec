import Synchronization
import Testing
@testable import SparkEngine

/// The decoder's fork-join pool: every chunk of every job runs exactly once, back-to-back jobs
/// (the pattern of a decoded token) and jobs after the workers have gone to sleep included, and a
/// job started from inside a job is refused rather than deadlocking. Serialized: the tests share
/// one pool, which refuses a second job while one runs.
@Suite(.serialized) struct SpinningWorkersTests {
    /// One pool for the suite: pools live as long as the process.
    static let pool = SpinningWorkers(workers: 2)

    @Test func everyChunkRunsOnceInBackToBackJobs() {
        // A chunk's slot is written by whichever thread runs that chunk, once per job; the pool's
        // hand-offs order the jobs.
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 13)
        counts.initialize(repeating: 0)
        defer { counts.deallocate() }
        for _ in 0..<500 {
            let ran = Self.pool.run(chunks: 13) { chunk in counts[chunk] += 1 }
            #expect(ran)
        }
        #expect(Array(counts) == Array(repeating: 500, count: 13))
    }

    @Test func everyChunkOfACFunctionJobRunsOnce() {
        // The allocation-free entry point: a C function reading its context, the chunk counts.
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 11)
        counts.initialize(repeating: 0)
        defer { counts.deallocate() }
        for _ in 0..<500 {
            let ran = Self.pool.run(chunks: 11, context: UnsafeMutableRawPointer(counts.baseAddress!)) { context, chunk in
                context!.assumingMemoryBound(to: Int.self)[chunk] += 1
            }
            #expect(ran)
        }
        #expect(Array(counts) == Array(repeating: 500, count: 11))
        // Through EngineThreads too, including its inline path for one chunk.
        var sums = [Int](repeating: 0, count: 5)
        sums.withUnsafeMutableBufferPointer { buffer in
            for chunks in [1, 5] {
                EngineThreads.parallelFor(chunks: chunks, context: UnsafeMutableRawPointer(buffer.baseAddress!)) { context, chunk in
                    context!.assumingMemoryBound(to: Int.self)[chunk] += chunk + 1
                }
            }
        }
        #expect(sums == [2, 2, 3, 4, 5])
    }

    @Test func jobsAfterTheWorkersSleptStillRun() throws {
        let total = Atomic<Int>(0)
        for _ in 0..<3 {
            // Longer than the spin limit: the workers are asleep when the next job comes.
            let deadline = ContinuousClock.now + .milliseconds(2)
            while ContinuousClock.now < deadline {}
            #expect(Self.pool.run(chunks: 4) { _ in total.add(1, ordering: .relaxed) })
        }
        #expect(total.load(ordering: .relaxed) == 12)
    }

    @Test func aJobStartedInsideAJobIsRefused() {
        let refused = Atomic<Int>(0)
        let ran = Self.pool.run(chunks: 3) { _ in
            if !Self.pool.run(chunks: 2, { _ in }) { refused.add(1, ordering: .relaxed) }
        }
        #expect(ran)
        #expect(refused.load(ordering: .relaxed) == 3)
    }

    /// Through EngineThreads: a spinning parallel loop nested in another still runs every chunk
    /// (the inner one falls back to GCD).
    @Test func nestedSpinningLoopsComplete() {
        let total = Atomic<Int>(0)
        EngineThreads.parallelFor(chunks: 4, spinning: true) { _ in
            EngineThreads.parallelFor(chunks: 5, spinning: true) { _ in total.add(1, ordering: .relaxed) }
        }
        #expect(total.load(ordering: .relaxed) == 20)
    }
}

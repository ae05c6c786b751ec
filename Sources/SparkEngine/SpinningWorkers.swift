import CQuantKernels
import Foundation
import Synchronization

/// A fork-join pool for the decoder's many short parallel loops: a decoded token runs about 200
/// quantised mat-vec products of 10–100 µs each, and waking a sleeping thread for each (what
/// `DispatchQueue.concurrentPerform` does) costs a futex round trip that was about a tenth of the
/// token's time. Here the workers spin for a short while after each job, so the next product,
/// microseconds later, finds them awake; after `spinLimit` with nothing to do they sleep on a
/// condition variable and cost nothing.
///
/// Only one job runs at a time. A caller that finds the pool busy (another thread's job, or a
/// job started from inside a job) gets `false` from `run` and must run its loop another way.
///
/// The caller never waits for a worker that has not joined: chunks are taken in turn, and when
/// the caller has taken the last one it closes the job and waits only for the workers inside it.
/// On a machine busy with other processes a worker may not run for milliseconds; the caller then
/// does the whole job alone instead of waiting for it. (An earlier version waited for every
/// worker to join every job: with a compiler running beside it, decoding fell to 10 tokens/s.)
final class SpinningWorkers: @unchecked Sendable {
    /// How long an idle worker spins before it sleeps: longer than the gaps between a token's
    /// products, short enough not to compete with BLAS's own threads for long.
    static let spinLimit: UInt64 = 200_000   // ns

    /// `state` packs the job's generation (bits 17 and up), whether it is open to workers (bit
    /// 16) and how many workers are inside it (bits 0–15), so that joining is one
    /// compare-and-exchange that fails once the job has closed or been replaced.
    private static let openBit = 1 << 16
    private static let generationUnit = 1 << 17
    private static let insideMask = openBit - 1

    private let workerCount: Int
    private let busy = Atomic<Bool>(false)
    private let state = Atomic<Int>(0)
    private let nextChunk = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    /// A loop body that allocates nothing: a C function and the context it reads.
    typealias RawBody = @convention(c) (UnsafeMutableRawPointer?, Int) -> Void

    /// The current job's loop body: a Swift closure (`run(chunks:_:)`, which pays one allocation
    /// for `withoutActuallyEscaping`'s escape check), or a C function and its context
    /// (`run(chunks:context:_:)`, none).
    private enum Job {
        case closure((Int) -> Void)
        case raw(RawBody, UnsafeMutableRawPointer?)

        func callAsFunction(_ chunk: Int) {
            switch self {
            case .closure(let body): body(chunk)
            case .raw(let body, let context): body(context, chunk)
            }
        }
    }
    private var job: Job?
    private var chunkCount = 0
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    /// The number of threads besides the caller.
    var workers: Int { workerCount }

    /// Starts `workers` threads (the caller is the other participant in every job). The pool
    /// lives as long as the process.
    init(workers: Int) {
        precondition(workers < Self.insideMask, "too many workers")
        workerCount = workers
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        for index in 0..<workers {
            let thread = Thread { self.workerLoop() }   // the pool is never freed (EngineThreads keeps it)
            thread.name = "allspark-worker-\(index)"
            thread.start()
        }
    }

    private static func generation(_ state: Int) -> Int { state / generationUnit }

    /// Runs `body(0..<chunks)` over the caller and whichever workers join, and waits for all
    /// chunks; false (nothing run) when the pool is busy.
    func run(chunks: Int, _ body: (Int) -> Void) -> Bool {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        defer { busy.store(false, ordering: .releasing) }
        // `withoutActuallyEscaping` allocates the box its escape check counts references on.
        withoutActuallyEscaping(body) { body in runClaimed(.closure(body), chunks: chunks) }
        return true
    }

    /// `run` for a C function over `context`: no allocation per job (a decoded token runs about
    /// 180 jobs; with closures they were 178 of its 193 allocations, found with a malloc hook).
    func run(chunks: Int, context: UnsafeMutableRawPointer?, _ body: RawBody) -> Bool {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        defer { busy.store(false, ordering: .releasing) }
        runClaimed(.raw(body, context), chunks: chunks)
        return true
    }

    /// Opens `body` to the workers, takes chunks until none is left, and waits for the workers
    /// inside. The caller holds `busy`.
    private func runClaimed(_ body: Job, chunks: Int) {
        job = body
        chunkCount = chunks
        nextChunk.store(0, ordering: .relaxed)
        // No worker is inside (the last job waited for that), so the count starts at zero.
        let opened = (Self.generation(state.load(ordering: .relaxed)) + 1) * Self.generationUnit | Self.openBit
        state.store(opened, ordering: .sequentiallyConsistent)
        if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
            pthread_mutex_lock(mutex)
            pthread_cond_broadcast(wake)
            pthread_mutex_unlock(mutex)
        }
        takeChunks(body, chunks)
        // Every chunk is taken: no one else may join; wait for those inside to finish theirs.
        state.bitwiseAnd(~Self.openBit, ordering: .acquiringAndReleasing)
        var spins = 0
        while state.load(ordering: .acquiring) & Self.insideMask != 0 {
            spins += 1
            // A worker inside but not running (the machine is busy): give it the core.
            if spins > 4_096 { sched_yield() } else { allspark_cpu_relax() }
        }
        job = nil
    }

    private func takeChunks(_ body: Job, _ chunks: Int) {
        while true {
            let chunk = nextChunk.add(1, ordering: .relaxed).oldValue
            if chunk >= chunks { return }
            body(chunk)
        }
    }

    private func workerLoop() {
        var seen = 0   // the generation at construction: a job opened before this thread ran is still seen
        while true {
            seen = waitForJob(after: seen)
            // Join only the job of generation `seen`, and only while it is open.
            var current = state.load(ordering: .acquiring)
            while Self.generation(current) == seen && current & Self.openBit != 0 {
                let (joined, actual) = state.compareExchange(expected: current, desired: current + 1, ordering: .acquiring)
                if joined {
                    joinJob()
                    state.subtract(1, ordering: .releasing)
                    break
                }
                current = actual
            }
        }
    }

    /// The worker's part of the current job. A function of its own so that its reference to the
    /// job's closure is surely released before the worker leaves the job.
    @inline(never)
    private func joinJob() {
        guard let job else { return }
        takeChunks(job, chunkCount)
    }

    /// Spins, then sleeps, until the generation moves past `seen`; returns the new generation.
    private func waitForJob(after seen: Int) -> Int {
        let start = DispatchTime.now().uptimeNanoseconds
        var spins = 0
        while true {
            let current = Self.generation(state.load(ordering: .acquiring))
            if current != seen { return current }
            allspark_cpu_relax()
            spins += 1
            if spins & 255 == 0, DispatchTime.now().uptimeNanoseconds - start > Self.spinLimit { break }
        }
        sleepers.add(1, ordering: .sequentiallyConsistent)
        pthread_mutex_lock(mutex)
        while Self.generation(state.load(ordering: .sequentiallyConsistent)) == seen { pthread_cond_wait(wake, mutex) }
        pthread_mutex_unlock(mutex)
        sleepers.subtract(1, ordering: .sequentiallyConsistent)
        return Self.generation(state.load(ordering: .acquiring))
    }
}

import Foundation
import COpenBLAS

/// How many threads the engine's own kernels and OpenBLAS use.
///
/// Read once from `ALLSPARK_THREADS` (default: all online cores) and applied to OpenBLAS, so
/// BLAS and the engine's parallel loops agree. Set it before the first heavy call.
public enum EngineThreads {
    nonisolated(unsafe) private static var current: Int = {
        let value = initialCount()
        openblas_set_num_threads(Int32(value))
        return value
    }()

    /// Threads in use.
    public static var count: Int { current }

    /// Changes the thread count for the engine and OpenBLAS (clamped to 1...64).
    public static func set(_ n: Int) {
        current = Swift.max(1, Swift.min(n, 64))
        openblas_set_num_threads(Int32(current))
    }

    static func initialCount() -> Int {
        if let text = ProcessInfo.processInfo.environment["ALLSPARK_THREADS"],
           let n = Int(text.trimmingCharacters(in: .whitespaces)), n > 0 {
            return Swift.min(n, 64)
        }
        return Swift.max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Spinning workers for each thread count used so far, made on first use. A pool is kept for
    /// the life of the process (its threads sleep when unused): one freed while its threads still
    /// wait on it would hand them a dangling object.
    nonisolated(unsafe) private static var spinningWorkers: [Int: SpinningWorkers] = [:]
    private static let spinningWorkersLock = NSLock()

    private static func workers(for threads: Int) -> SpinningWorkers {
        spinningWorkersLock.lock()
        defer { spinningWorkersLock.unlock() }
        if let pool = spinningWorkers[threads] { return pool }
        let pool = SpinningWorkers(workers: threads - 1)
        spinningWorkers[threads] = pool
        return pool
    }

    /// Runs `body(chunk)` for chunks 0..<chunks on up to `count` threads and waits for all.
    /// Chunks should be coarse (tens of microseconds or more) for the split to pay. With
    /// `spinning`, for loops run hundreds of times a second (the decoder's products), the threads
    /// come from `SpinningWorkers`, which stay awake between calls (GCD's when that pool is busy).
    public static func parallelFor(chunks: Int, spinning: Bool = false, _ body: (Int) -> Void) {
        if chunks <= 0 { return }
        if chunks == 1 || current == 1 {
            for c in 0..<chunks { body(c) }
            return
        }
        if spinning, workers(for: current).run(chunks: chunks, body) { return }
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: chunks, execute: body)
        }
    }

    /// `parallelFor` with a C function over `context` instead of a closure: the spinning workers
    /// run it without allocating (a closure costs one allocation per call on their path), for
    /// the loops a decoded token runs about 180 times.
    public static func parallelFor(chunks: Int, context: UnsafeMutableRawPointer?,
                                   _ body: @convention(c) (UnsafeMutableRawPointer?, Int) -> Void) {
        if chunks <= 0 { return }
        if chunks == 1 || current == 1 {
            for c in 0..<chunks { body(context, c) }
            return
        }
        if workers(for: current).run(chunks: chunks, context: context, body) { return }
        DispatchQueue.concurrentPerform(iterations: chunks) { body(context, $0) }
    }

    /// `[transform(0), …, transform(count − 1)]`, computed on up to `count` threads. For coarse
    /// items (each a pass over a vocabulary-sized row, say).
    public static func map<T>(_ count: Int, _ transform: (Int) -> T) -> [T] {
        var results = [T?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress
            parallelRanges(count: count, grain: 1) { range in
                for i in range { base![i] = transform(i) }
            }
        }
        return results.map { $0! }
    }

    /// Splits `0..<count` into contiguous ranges, at most one per thread and each of at least
    /// `grain` items, and runs `body` on them in parallel. Below `2 * grain` items it runs inline, so
    /// small tensors never pay for thread hand-off.
    public static func parallelRanges(count: Int, grain: Int, _ body: (Range<Int>) -> Void) {
        if count <= 0 { return }
        let chunks = Swift.min(current, count / Swift.max(grain, 1))
        if chunks <= 1 {
            body(0..<count)
            return
        }
        let size = (count + chunks - 1) / chunks
        parallelFor(chunks: chunks) { chunk in
            let start = chunk * size
            let end = Swift.min(count, start + size)
            if start < end { body(start..<end) }
        }
    }
}

import ArgumentParser
import COpenBLAS
import Foundation
import SparkEngine

/// `allspark bench gemm`: how close the engine's matrix product comes to OpenBLAS itself.
struct BenchGemmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemm",
        abstract: "Compare the engine's matrix product with a raw cblas_sgemm call.",
        discussion: """
        For each square size n, times C = A·B two ways in the same run: the engine's \
        Tensor.matmul (which allocates its result) and cblas_sgemm on preallocated buffers. \
        After a warm-up, the two are measured alternately, each sample long enough (about 50 ms) \
        to average out timer and scheduler noise. Reported: the median GFLOP/s of each \
        (2n³ floating-point operations per product) and engine/raw, the median of the ratios of \
        adjacent samples, which cancels most of the drift in the load of a shared machine. \
        Since both go through the same OpenBLAS kernel, the report starts with that kernel, who \
        chose it, a self-test, and the machine's peak estimate; raw/peak compares against it \
        (allspark doctor explains each line). Build in release mode (swift build -c release) \
        before timing anything.
        """
    )

    @Option(help: "Threads for OpenBLAS and the engine (default: ALLSPARK_THREADS, else all cores).")
    var threads: Int?

    @Option(help: "Timed samples per size and method; the median is reported.")
    var repeats: Int = 9

    @Option(parsing: .upToNextOption, help: "Square matrix sizes to time.")
    var sizes: [Int] = [256, 1024, 2048]

    @Flag(help: "Print the results as JSON.")
    var json = false

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
        guard !sizes.isEmpty, sizes.allSatisfy({ (1...8192).contains($0) }) else {
            throw ValidationError("--sizes must be between 1 and 8192, got \(sizes)")
        }
    }

    func run() throws {
        if let threads { EngineThreads.set(threads) }
        // The engine and raw sgemm share one kernel, so comparing them cannot reveal a slow
        // kernel: the header names it and the peak estimate gives an absolute yardstick.
        let kernel = BLASKernelReport.gather(measureRate: false, selfTest: true)
        let results = sizes.map { GemmComparison.measure(size: $0, repeats: repeats) }
        let report = GemmReport(threads: EngineThreads.count, repeats: repeats,
                                openBLAS: String(cString: openblas_get_config()), kernel: kernel, results: results)
        if json {
            try printJSON(report)
        } else {
            print(report.table)
        }
    }
}

/// One size's measurements.
struct GemmComparison: Codable {
    var size: Int
    /// Products per timed sample (more for small sizes so each sample lasts long enough).
    var callsPerSample: Int
    var engineGFLOPS: Double
    var rawGFLOPS: Double
    /// Median over repetitions of engine rate / raw rate, each pair measured back to back;
    /// 1 means the engine adds nothing to BLAS.
    var ratio: Double
    /// Every sample, in GFLOP/s, in the order taken; shows how noisy the machine was.
    var engineSamples: [Double]
    var rawSamples: [Double]

    /// Minimum duration of one sample; below this, scheduler and timer noise dominate.
    static let sampleSeconds = 0.05

    static func measure(size n: Int, repeats: Int) -> GemmComparison {
        var generator = SeededRandomGenerator(seed: UInt64(n))
        let a = Tensor(randomNormal: [n, n], generator: &generator)
        let b = Tensor(randomNormal: [n, n], generator: &generator)
        var rawResult = [Float](repeating: 0, count: n * n)

        // Both calls leave the module (matmul is not inlinable, sgemm is C), so neither can be
        // optimised away even though the results are dropped.
        func engineProduct() {
            _ = a.matmul(b)
        }
        func rawProduct() {
            a.scalars.withUnsafeBufferPointer { pa in
                b.scalars.withUnsafeBufferPointer { pb in
                    rawResult.withUnsafeMutableBufferPointer { pc in
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n),
                                    1, pa.baseAddress, Int32(n), pb.baseAddress, Int32(n), 0, pc.baseAddress, Int32(n))
                    }
                }
            }
        }

        // Warm-up: threads started, pages touched, caches and allocator in their steady state.
        for _ in 0..<2 { engineProduct(); rawProduct() }
        let single = seconds { rawProduct() }
        let calls = Swift.max(1, Int((sampleSeconds / Swift.max(single, 1e-9)).rounded(.up)))
        let flopsPerSample = 2 * Double(n) * Double(n) * Double(n) * Double(calls)

        var engineSamples: [Double] = [], rawSamples: [Double] = []
        for repetition in 0..<repeats {
            // Alternate which goes first so drift in machine load falls on both equally.
            let order: [Bool] = repetition % 2 == 0 ? [true, false] : [false, true]
            for isEngine in order {
                let elapsed = seconds { for _ in 0..<calls { isEngine ? engineProduct() : rawProduct() } }
                let rate = flopsPerSample / elapsed / 1e9
                if isEngine { engineSamples.append(rate) } else { rawSamples.append(rate) }
            }
        }
        let pairedRatios = zip(engineSamples, rawSamples).map { $0 / $1 }
        return GemmComparison(size: n, callsPerSample: calls, engineGFLOPS: median(engineSamples),
                              rawGFLOPS: median(rawSamples), ratio: median(pairedRatios),
                              engineSamples: engineSamples, rawSamples: rawSamples)
    }

    static func seconds(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

struct GemmReport: Codable {
    var threads: Int
    var repeats: Int
    var openBLAS: String
    var kernel: BLASKernelReport
    var results: [GemmComparison]

    var table: String {
        var lines = BLASKernelText.lines(kernel) + [
            "",
            "gemm: C = A·B, square Float32, \(threads) thread\(threads == 1 ? "" : "s"), median of \(repeats) samples",
            "",
            "   size   engine GFLOP/s   raw sgemm GFLOP/s   engine/raw   raw/peak   calls/sample",
        ]
        for r in results {
            let peak = kernel.peak.map { String(format: "%8.2f", r.rawGFLOPS / $0.gflops) } ?? "       —"
            lines.append(String(format: "%7d   %14.1f   %17.1f   %10.3f   ", r.size, r.engineGFLOPS, r.rawGFLOPS, r.ratio)
                         + peak + String(format: "   %12d", r.callsPerSample))
        }
        return lines.joined(separator: "\n")
    }
}

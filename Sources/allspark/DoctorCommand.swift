import ArgumentParser
import Foundation
import SparkEngine

/// `allspark doctor`: what this machine's BLAS is doing, and whether it is right.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Show the OpenBLAS kernel in use, the CPU, sgemm speed against the peak, and a self-test.",
        discussion: """
        Prints the OpenBLAS build (openblas_get_config), the kernel it chose \
        (openblas_get_corename) and its threads; whether OPENBLAS_CORETYPE came from the \
        environment (always obeyed) or from allspark (which sets it, and restarts, only when the \
        library fell back to a generic kernel on a CPU with AVX2 or AVX-512; ALLSPARK_BLAS_AUTO=0 \
        turns that off); the CPU and its vector features from /proc/cpuinfo; the measured sgemm \
        rate against a peak estimate (cores × nominal frequency × FLOPs per cycle of the widest \
        FMA); and a self-test of the product against a Float64 reference. A warning line says \
        when a generic kernel runs on a CPU that deserves better. Exit status 1 when the self-test \
        fails. See docs/BLAS-KERNEL.md.
        """
    )

    @Option(help: "Threads for OpenBLAS and the engine (default: ALLSPARK_THREADS, else all cores).")
    var threads: Int?

    @Option(help: "Square size of the timed sgemm.")
    var size: Int = 1024

    @Flag(help: "Skip the sgemm timing (about half a second).")
    var noRate = false

    @Flag(help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
        guard (1...8192).contains(size) else { throw ValidationError("--size must be between 1 and 8192, got \(size)") }
    }

    func run() throws {
        if let threads { EngineThreads.set(threads) }
        let report = BLASKernelReport.gather(measureRate: !noRate, rateSize: size, selfTest: true)
        if json {
            try printJSON(report)
        } else {
            print(BLASKernelText.lines(report).joined(separator: "\n"))
        }
        if report.selfTest?.passed == false { throw ExitCode(1) }
    }
}

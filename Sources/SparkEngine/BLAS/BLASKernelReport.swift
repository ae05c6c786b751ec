import Foundation

/// Everything `allspark doctor` and `allspark bench gemm` say about the BLAS kernel: the
/// library, who chose its kernel, the processor, the peak estimate, and optionally a measured
/// rate and the self-test. The commands format it; this gathers it.
public struct BLASKernelReport: Codable, Sendable {
    public var library: BLASLibraryInfo
    /// "library", "environment", "allspark" or "library-after-rejection".
    public var coreTypeSource: String
    /// OPENBLAS_CORETYPE as this process started with it (nil: unset).
    public var coreType: String?
    /// One line: where the kernel choice came from.
    public var coreTypeSummary: String
    public var cpu: CPUSummary
    public var peak: PeakEstimate?
    public var sgemm: SgemmRate?
    /// sgemm rate / peak estimate.
    public var fractionOfPeak: Double?
    public var selfTest: GemmSelfTest.Result?
    /// Set when the library runs a generic fallback on a CPU with AVX2 or AVX-512.
    public var warning: String?
    /// The instruction set of the decoder's own int8 block products ("avx512-vnni", "avx2"):
    /// not BLAS, but the other kernel a token's speed depends on.
    public var integerProducts: String = QuantizedMatrix.IntegerKernel.best.rawValue

    public struct CPUSummary: Codable, Equatable, Sendable {
        public var vendor: String
        public var modelName: String
        public var family: Int?
        public var model: Int?
        public var stepping: Int?
        /// Nominal "cpu MHz" from /proc/cpuinfo.
        public var megahertz: Double?
        public var logicalProcessors: Int
        public var physicalCores: Int
        /// The relevant flags present (CPUFeatures.relevantFlags order).
        public var features: [String]

        public init(_ f: CPUFeatures) {
            vendor = f.vendor
            modelName = f.modelName
            family = f.family
            model = f.model
            stepping = f.stepping
            megahertz = f.megahertz
            logicalProcessors = f.logicalProcessors
            physicalCores = f.physicalCores
            features = f.relevantFlagsPresent
        }
    }

    /// Gathers the report. `measureRate` times sgemm at `rateSize`² (about half a second);
    /// `selfTest` runs `GemmSelfTest` (a few milliseconds).
    public static func gather(environment: [String: String] = ProcessInfo.processInfo.environment,
                              features: CPUFeatures = .current(),
                              measureRate: Bool, rateSize: Int = 1024, selfTest: Bool) -> BLASKernelReport {
        // The engine's thread setting reaches OpenBLAS on first use; make it so before asking.
        let threads = EngineThreads.count
        let library = BLASLibraryInfo.current()
        let origin = BLASKernelOrigin(environment: environment)
        let cores = features.physicalCores > 0 ? Swift.min(features.physicalCores, threads) : threads
        let peak = PeakEstimate.estimate(features: features, cores: cores)
        let test = selfTest ? GemmSelfTest.run() : nil
        let rate = measureRate ? SgemmRate.measure(size: rateSize) : nil
        var fraction: Double?
        if let rate, let peak, peak.gflops > 0 { fraction = rate.gflops / peak.gflops }
        return BLASKernelReport(
            library: library, coreTypeSource: origin.source, coreType: origin.coreType,
            coreTypeSummary: origin.summary, cpu: CPUSummary(features), peak: peak, sgemm: rate,
            fractionOfPeak: fraction, selfTest: test,
            warning: warning(library: library, origin: origin, environment: environment, features: features))
    }

    /// The warning for a generic fallback on a modern CPU, with what to do about it.
    static func warning(library: BLASLibraryInfo, origin: BLASKernelOrigin, environment: [String: String],
                        features: CPUFeatures) -> String? {
        guard OpenBLASCore.isFallbackOnModernCPU(coreName: library.coreName, features: features) else { return nil }
        let widest = features.has("avx512f") ? "AVX-512" : "AVX2"
        let better = features.hasAVX512SkylakeSubset ? "SkylakeX" : "Haswell"
        let core = library.coreName.isEmpty ? "an unnamed" : "the generic \"\(library.coreName)\""
        let head = "warning: OpenBLAS runs \(core) kernel on a CPU with \(widest): Float32 products run several times slower than this machine can"
        let advice: String
        switch origin {
        case .environment(let value):
            advice = "OPENBLAS_CORETYPE=\(value) comes from the environment and is obeyed; unset it, or set OPENBLAS_CORETYPE=\(better), if this machine computes right with it"
        case .libraryAfterRejecting(let rejected):
            advice = "allspark's choice \(rejected) failed its self-test on this machine, so the library's choice stays"
        case .allspark(let value):
            advice = "allspark set OPENBLAS_CORETYPE=\(value) but the library did not take it (a build without DYNAMIC_ARCH?)"
        case .library:
            if BLASKernelChoice.isOptOut(environment[BLASKernelChoice.autoVariable]) {
                advice = "ALLSPARK_BLAS_AUTO turns allspark's own choice off; unset it, or set OPENBLAS_CORETYPE=\(better)"
            } else if !library.isDynamicArch {
                advice = "this OpenBLAS is built for one processor; install a DYNAMIC_ARCH build"
            } else {
                advice = "set OPENBLAS_CORETYPE=\(better)"
            }
        }
        return head + " (" + advice + ")."
    }
}

import Testing
@testable import SparkEngine

/// /proc/cpuinfo parsing and the peak estimate built on it.
@Suite struct CPUFeaturesTests {
    static let zen4 = """
    processor\t: 0
    vendor_id\t: AuthenticAMD
    cpu family\t: 25
    model\t\t: 17
    model name\t: AMD EPYC
    stepping\t: 1
    cpu MHz\t\t: 2596.146
    physical id\t: 0
    core id\t\t: 0
    flags\t\t: fpu sse2 pni fma avx avx2 avx512f avx512dq avx512bw avx512vl avx512_bf16 avx512_vnni

    processor\t: 1
    vendor_id\t: AuthenticAMD
    cpu MHz\t\t: 9999
    physical id\t: 0
    core id\t\t: 1
    flags\t\t: fpu

    """

    @Test func parsesTheFirstProcessorAndCountsCores() {
        let f = CPUFeatures.parse(cpuinfo: Self.zen4)
        #expect(f.vendor == "AuthenticAMD" && f.modelName == "AMD EPYC")
        #expect(f.family == 25 && f.model == 17 && f.stepping == 1)
        #expect(f.megahertz == 2596.146)
        #expect(f.logicalProcessors == 2 && f.physicalCores == 2)
        #expect(f.hasAVX2FMA && f.hasAVX512SkylakeSubset && f.has("sse3"))
        #expect(f.relevantFlagsPresent == ["sse3", "avx", "fma", "avx2", "avx512f", "avx512dq", "avx512bw",
                                           "avx512vl", "avx512_vnni", "avx512_bf16"])
    }

    @Test func hyperThreadsShareACore() {
        let text = (0..<4).map { "processor : \($0)\nphysical id : 0\ncore id : \($0 / 2)\n" }.joined(separator: "\n")
        let f = CPUFeatures.parse(cpuinfo: text)
        #expect(f.logicalProcessors == 4 && f.physicalCores == 2)
    }

    @Test func garbageGivesEmptyFeatures() {
        let f = CPUFeatures.parse(cpuinfo: "no colons here\n:::\ncpu MHz : fast\nmodel : x")
        #expect(f.flags.isEmpty && f.megahertz == nil && f.model == nil && f.physicalCores == 0)
        #expect(PeakEstimate.estimate(features: f) == nil)
        #expect(CPUFeatures.current(path: "/nonexistent/cpuinfo") == CPUFeatures())
    }

    @Test func peakPerFamily() {
        let zen4 = CPUFeatures.parse(cpuinfo: Self.zen4)
        let peak = PeakEstimate.estimate(features: zen4)
        #expect(peak?.flopsPerCycle == 32 && peak?.cores == 2)
        #expect(abs((peak?.gflops ?? 0) - 2 * 2.596146 * 32) < 1e-9)
        var intel = zen4
        intel.vendor = "GenuineIntel"
        intel.family = 6
        #expect(PeakEstimate.estimate(features: intel)?.flopsPerCycle == 64)
        #expect(PeakEstimate.estimate(features: intel, cores: 1)?.cores == 1)
        let avx2 = CPUFeatures(megahertz: 3000, logicalProcessors: 1, physicalCores: 1, flags: ["avx", "avx2", "fma"])
        #expect(PeakEstimate.estimate(features: avx2)?.gflops == 96)
    }

    @Test func genericFallbackNames() {
        for name in ["Prescott", "CORE2", "Nehalem", "Sandybridge", "Atom", "Barcelona", "generic", "Unknown", ""] {
            #expect(OpenBLASCore.isGenericFallback(name), "\(name)")
        }
        for name in ["Haswell", "Zen", "SkylakeX", "Cooperlake", "SapphireRapids", "Excavator"] {
            #expect(!OpenBLASCore.isGenericFallback(name), "\(name)")
        }
    }
}

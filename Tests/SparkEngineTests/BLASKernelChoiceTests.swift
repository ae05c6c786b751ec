import Testing
@testable import SparkEngine

/// The rules for choosing OpenBLAS's kernel (docs/BLAS-KERNEL.md). Pure: nothing here changes
/// the kernel of the test process.
@Suite struct BLASKernelChoiceTests {
    static let avx512 = CPUFeatures(flags: ["pni", "avx", "fma", "avx2", "avx512f", "avx512dq", "avx512bw", "avx512vl"])
    static let avx2 = CPUFeatures(flags: ["pni", "avx", "fma", "avx2"])
    static let sse = CPUFeatures(flags: ["sse2", "pni"])

    func decide(_ core: String, _ features: CPUFeatures = BLASKernelChoiceTests.avx512, environment: [String: String] = [:],
                dynamicArch: Bool = true) -> BLASKernelChoice.Decision {
        BLASKernelChoice.decide(environment: environment, corename: core, features: features, dynamicArch: dynamicArch)
    }

    @Test func environmentValueIsObeyed() {
        #expect(decide("Prescott", environment: ["OPENBLAS_CORETYPE": "Prescott"]) == .keep(.environmentSetsCoreType("Prescott")))
        #expect(decide("Haswell", environment: ["OPENBLAS_CORETYPE": "Haswell"]) == .keep(.environmentSetsCoreType("Haswell")))
        // A marker for another kernel does not make the environment's value ours.
        #expect(decide("Nehalem", environment: ["OPENBLAS_CORETYPE": "Nehalem", "ALLSPARK_BLAS_CHOSEN": "SkylakeX"])
                == .keep(.environmentSetsCoreType("Nehalem")))
    }

    @Test func genericFallbackOnAVX512ChoosesSkylakeX() {
        #expect(decide("Prescott") == .reexecute(coreType: "SkylakeX"))
        #expect(decide("prescott") == .reexecute(coreType: "SkylakeX"))
        #expect(decide("Sandybridge") == .reexecute(coreType: "SkylakeX"))
        #expect(decide("") == .reexecute(coreType: "SkylakeX"))
        // An empty OPENBLAS_CORETYPE counts as unset.
        #expect(decide("Core2", environment: ["OPENBLAS_CORETYPE": " "]) == .reexecute(coreType: "SkylakeX"))
    }

    @Test func genericFallbackOnAVX2ChoosesHaswell() {
        #expect(decide("Prescott", Self.avx2) == .reexecute(coreType: "Haswell"))
        // AVX-512F alone (Xeon Phi) lacks the subsets SkylakeX's kernels use.
        var phi = Self.avx2
        phi.flags.insert("avx512f")
        #expect(decide("Nehalem", phi) == .reexecute(coreType: "Haswell"))
    }

    @Test func goodOrUnimprovableCoreIsKept() {
        for core in ["SkylakeX", "Cooperlake", "Haswell", "Zen", "SapphireRapids"] {
            #expect(decide(core) == .keep(.libraryChoiceIsFine))
        }
        #expect(decide("Prescott", Self.sse) == .keep(.noBetterKernel))
        #expect(decide("Prescott", dynamicArch: false) == .keep(.singleKernelLibrary))
    }

    @Test func markerMeansVerifyNeverReexecute() {
        let chosen = ["OPENBLAS_CORETYPE": "SkylakeX", "ALLSPARK_BLAS_CHOSEN": "SkylakeX"]
        // Even if the library still names a fallback (it ignored the value), no second restart.
        #expect(decide("Prescott", environment: chosen) == .verifyChosen(coreType: "SkylakeX"))
        #expect(decide("SkylakeX", environment: chosen) == .verifyChosen(coreType: "SkylakeX"))
        // After a failed self-test: never choose again, whatever the library picked.
        #expect(decide("Prescott", environment: ["ALLSPARK_BLAS_REJECTED": "SkylakeX"]) == .keep(.rejectedEarlier("SkylakeX")))
    }

    @Test func optOut() {
        for value in ["0", "off", "no", "false", "OFF"] {
            #expect(decide("Prescott", environment: ["ALLSPARK_BLAS_AUTO": value]) == .keep(.optedOut))
        }
        #expect(decide("Prescott", environment: ["ALLSPARK_BLAS_AUTO": "1"]) == .reexecute(coreType: "SkylakeX"))
    }

    @Test func originReadsTheEnvironment() {
        #expect(BLASKernelOrigin(environment: [:]) == .library)
        #expect(BLASKernelOrigin(environment: ["OPENBLAS_CORETYPE": "Haswell"]) == .environment("Haswell"))
        #expect(BLASKernelOrigin(environment: ["OPENBLAS_CORETYPE": "SkylakeX", "ALLSPARK_BLAS_CHOSEN": "SkylakeX"])
                == .allspark("SkylakeX"))
        #expect(BLASKernelOrigin(environment: ["ALLSPARK_BLAS_REJECTED": "SkylakeX"]) == .libraryAfterRejecting("SkylakeX"))
    }

    @Test func warningOnlyForFallbackOnModernCPU() {
        let prescott = BLASLibraryInfo(config: "OpenBLAS 0.3.21 DYNAMIC_ARCH Prescott", coreName: "Prescott", threads: 2)
        let warning = BLASKernelReport.warning(library: prescott, origin: .library, environment: [:], features: Self.avx512)
        #expect(warning?.contains("Prescott") == true && warning?.contains("OPENBLAS_CORETYPE=SkylakeX") == true)
        let fromEnvironment = BLASKernelReport.warning(library: prescott, origin: .environment("Prescott"),
                                                        environment: [:], features: Self.avx2)
        #expect(fromEnvironment?.contains("obeyed") == true)
        #expect(BLASKernelReport.warning(library: prescott, origin: .library, environment: [:], features: Self.sse) == nil)
        let zen = BLASLibraryInfo(config: "OpenBLAS 0.3.21 DYNAMIC_ARCH Zen", coreName: "Zen", threads: 2)
        #expect(BLASKernelReport.warning(library: zen, origin: .library, environment: [:], features: Self.avx512) == nil)
    }

    @Test func libraryInfo() {
        let info = BLASLibraryInfo(config: "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=64",
                                   coreName: "Cooperlake", threads: 2)
        #expect(info.version == "0.3.21" && info.isDynamicArch)
        #expect(BLASLibraryInfo(config: "something else", coreName: "", threads: 1).version == nil)
        #expect(!BLASLibraryInfo(config: "OpenBLAS 0.3.21 Haswell", coreName: "Haswell", threads: 1).isDynamicArch)
        // The linked library answers without computing anything.
        let current = BLASLibraryInfo.current()
        #expect(!current.config.isEmpty && !current.coreName.isEmpty && current.threads >= 1)
    }
}

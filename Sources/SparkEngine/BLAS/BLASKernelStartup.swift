import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Gives the executable a fast OpenBLAS kernel when the library fell back to a generic one.
///
/// Call `prepare()` first thing in `main`, before any other BLAS call; nothing else in the
/// engine calls it (library code and tests never change the kernel). It may not return: it can
/// replace the process with a fresh copy of itself (execv of /proc/self/exe, same arguments)
/// whose environment sets OPENBLAS_CORETYPE, because OpenBLAS reads that variable only when it
/// is loaded. See `BLASKernelChoice` for the rules and docs/BLAS-KERNEL.md for the reasons.
public enum BLASKernelStartup {
    /// EX_SOFTWARE: the kernel we chose computes wrong and the process could not restart.
    static let unusableKernelExitStatus: Int32 = 70

    public static func prepare() {
        #if os(Linux)
        let environment = ProcessInfo.processInfo.environment
        let library = BLASLibraryInfo.current()
        // /proc/cpuinfo is read only when the decision can depend on it.
        let features = OpenBLASCore.isGenericFallback(library.coreName) ? CPUFeatures.current() : CPUFeatures()
        switch BLASKernelChoice.decide(environment: environment, corename: library.coreName,
                                       features: features, dynamicArch: library.isDynamicArch) {
        case .keep:
            return
        case .reexecute(let coreType):
            setenv(BLASKernelChoice.coreTypeVariable, coreType, 1)
            setenv(BLASKernelChoice.chosenMarker, coreType, 1)
            let error = reexecute()
            // Still here: keep the library's kernel and leave children an untouched environment.
            unsetenv(BLASKernelChoice.coreTypeVariable)
            unsetenv(BLASKernelChoice.chosenMarker)
            fputs("allspark: could not restart with OpenBLAS kernel \(coreType) (\(error)); using the library's own choice\n", stderr)
        case .verifyChosen(let coreType):
            let result = GemmSelfTest.run()
            if result.passed { return }
            fputs("allspark: OpenBLAS kernel \(coreType) failed its self-test (max rel err "
                  + String(format: "%.3g", result.maxRelativeError)
                  + "); using the library's own choice\n", stderr)
            unsetenv(BLASKernelChoice.coreTypeVariable)
            unsetenv(BLASKernelChoice.chosenMarker)
            setenv(BLASKernelChoice.rejectedMarker, coreType, 1)
            let error = reexecute()
            // This process computes wrong products and cannot get another kernel: stop rather
            // than print wrong results.
            fputs("allspark: could not restart without kernel \(coreType) (\(error)); "
                  + "run with ALLSPARK_BLAS_AUTO=0 or set OPENBLAS_CORETYPE\n", stderr)
            exit(unusableKernelExitStatus)
        }
        #endif
    }

    #if os(Linux)
    /// execv of this very executable with the original argv and the current environment.
    /// Returns only when the exec failed, with the reason.
    static func reexecute() -> String {
        fflush(nil)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        return String(cString: strerror(errno))
    }
    #endif
}

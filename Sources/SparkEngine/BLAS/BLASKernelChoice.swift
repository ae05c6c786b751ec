import Foundation

/// Whether allspark should pick OpenBLAS's kernel itself, as a pure function of the environment,
/// the library's own choice and the processor (docs/BLAS-KERNEL.md).
///
/// OpenBLAS reads OPENBLAS_CORETYPE once, when it is loaded, so a different kernel needs a new
/// process: the executable sets the variable and re-executes itself (`BLASKernelStartup`). The
/// markers below travel in the environment of that new process and make every path end after
/// at most two re-executions.
public enum BLASKernelChoice {
    /// OpenBLAS's own override. Obeyed whenever the environment sets it: some machines set it
    /// because older builds compute wrong with the kernel they would otherwise pick.
    public static let coreTypeVariable = "OPENBLAS_CORETYPE"
    /// Set by allspark, with OPENBLAS_CORETYPE, to the kernel it chose: the re-executed process
    /// knows the value is allspark's and self-tests it before use.
    public static let chosenMarker = "ALLSPARK_BLAS_CHOSEN"
    /// Set by allspark to the kernel that failed its self-test: do not choose again.
    public static let rejectedMarker = "ALLSPARK_BLAS_REJECTED"
    /// "0" (or "off", "no", "false") turns the automatic choice off.
    public static let autoVariable = "ALLSPARK_BLAS_AUTO"

    public enum Decision: Equatable, Sendable {
        /// Leave the library's kernel as it is.
        case keep(Reason)
        /// Set OPENBLAS_CORETYPE to this kernel (and the chosen marker) and re-execute.
        case reexecute(coreType: String)
        /// This process runs the kernel allspark chose: self-test it before any other BLAS call.
        case verifyChosen(coreType: String)

        public enum Reason: Equatable, Sendable {
            /// OPENBLAS_CORETYPE came from the environment (this value).
            case environmentSetsCoreType(String)
            /// ALLSPARK_BLAS_AUTO turned the choice off.
            case optedOut
            /// A kernel allspark chose earlier in this chain failed its self-test.
            case rejectedEarlier(String)
            /// The library's choice is not a generic fallback.
            case libraryChoiceIsFine
            /// A fallback, but the processor has neither AVX2+FMA nor AVX-512: nothing better exists.
            case noBetterKernel
            /// The library is not DYNAMIC_ARCH: it has one kernel and ignores OPENBLAS_CORETYPE.
            case singleKernelLibrary
        }
    }

    /// The decision, in order of precedence: a previous rejection, the opt-out, our own earlier
    /// choice, the environment's value, then the library's choice against the processor.
    public static func decide(environment: [String: String], corename: String, features: CPUFeatures,
                              dynamicArch: Bool = true) -> Decision {
        if let rejected = nonEmpty(environment[rejectedMarker]) { return .keep(.rejectedEarlier(rejected)) }
        if isOptOut(environment[autoVariable]) { return .keep(.optedOut) }
        let coreType = nonEmpty(environment[coreTypeVariable])
        if let chosen = nonEmpty(environment[chosenMarker]) {
            // Our marker with our value: the re-executed process. Never re-execute from here.
            if coreType == chosen { return .verifyChosen(coreType: chosen) }
            // A marker without (or with another) OPENBLAS_CORETYPE: someone changed the
            // environment after us; whatever it says now is theirs.
            if let coreType { return .keep(.environmentSetsCoreType(coreType)) }
        } else if let coreType {
            return .keep(.environmentSetsCoreType(coreType))
        }
        guard OpenBLASCore.isGenericFallback(corename) else { return .keep(.libraryChoiceIsFine) }
        guard dynamicArch else { return .keep(.singleKernelLibrary) }
        if features.hasAVX512SkylakeSubset { return .reexecute(coreType: "SkylakeX") }
        if features.hasAVX2FMA { return .reexecute(coreType: "Haswell") }
        return .keep(.noBetterKernel)
    }

    static func nonEmpty(_ value: String?) -> String? {
        guard let trimmed = value?.trimmingCharacters(in: .whitespaces), !trimmed.isEmpty else { return nil }
        return trimmed
    }

    static func isOptOut(_ value: String?) -> Bool {
        guard let value = nonEmpty(value)?.lowercased() else { return false }
        return ["0", "off", "no", "false"].contains(value)
    }
}

/// Who chose the OpenBLAS kernel this process runs, read from the environment it started with.
public enum BLASKernelOrigin: Equatable, Sendable {
    /// OPENBLAS_CORETYPE unset: the library picked from the processor.
    case library
    /// OPENBLAS_CORETYPE set by the environment (obeyed, never overridden).
    case environment(String)
    /// OPENBLAS_CORETYPE set by allspark because the library fell back to a generic kernel.
    case allspark(String)
    /// allspark's choice failed its self-test; the library's own choice is back in use.
    case libraryAfterRejecting(String)

    public init(environment: [String: String]) {
        let coreType = BLASKernelChoice.nonEmpty(environment[BLASKernelChoice.coreTypeVariable])
        let chosen = BLASKernelChoice.nonEmpty(environment[BLASKernelChoice.chosenMarker])
        if let coreType {
            self = coreType == chosen ? .allspark(coreType) : .environment(coreType)
        } else if let rejected = BLASKernelChoice.nonEmpty(environment[BLASKernelChoice.rejectedMarker]) {
            self = .libraryAfterRejecting(rejected)
        } else {
            self = .library
        }
    }

    /// The OPENBLAS_CORETYPE value in force, if any.
    public var coreType: String? {
        switch self {
        case .environment(let value), .allspark(let value): value
        case .library, .libraryAfterRejecting: nil
        }
    }

    /// One line for people: "OPENBLAS_CORETYPE=SkylakeX, chosen by allspark".
    public var summary: String {
        switch self {
        case .library: "OPENBLAS_CORETYPE unset: the library's own choice"
        case .environment(let value): "OPENBLAS_CORETYPE=\(value), set by the environment (obeyed)"
        case .allspark(let value): "OPENBLAS_CORETYPE=\(value), chosen by allspark (the library fell back to a generic kernel)"
        case .libraryAfterRejecting(let value): "OPENBLAS_CORETYPE unset: allspark's choice \(value) failed its self-test, the library's own choice"
        }
    }

    /// A short word for JSON: "library", "environment", "allspark", "library-after-rejection".
    public var source: String {
        switch self {
        case .library: "library"
        case .environment: "environment"
        case .allspark: "allspark"
        case .libraryAfterRejecting: "library-after-rejection"
        }
    }
}

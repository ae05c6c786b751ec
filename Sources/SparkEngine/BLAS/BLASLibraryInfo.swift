import COpenBLAS

/// What the loaded OpenBLAS says about itself: its build, the kernel ("core") it chose for this
/// processor, and its threads.
public struct BLASLibraryInfo: Codable, Equatable, Sendable {
    /// `openblas_get_config()`, e.g. "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=64".
    public var config: String
    /// The version number taken from `config` ("0.3.21"), or nil if it does not start that way.
    public var version: String?
    /// `openblas_get_corename()`: the kernel family in use ("SkylakeX", "Haswell", "Prescott", …).
    public var coreName: String
    /// `openblas_get_num_threads()`.
    public var threads: Int

    public init(config: String, coreName: String, threads: Int) {
        self.config = config
        self.version = Self.version(fromConfig: config)
        self.coreName = coreName
        self.threads = threads
    }

    /// Only a DYNAMIC_ARCH build carries several kernels and reads OPENBLAS_CORETYPE; a build for
    /// one processor ignores it.
    public var isDynamicArch: Bool { config.split(separator: " ").contains("DYNAMIC_ARCH") }

    /// Asks the loaded library. Cheap: nothing is computed.
    public static func current() -> BLASLibraryInfo {
        BLASLibraryInfo(config: openblas_get_config().map { String(cString: $0) } ?? "",
                        coreName: openblas_get_corename().map { String(cString: $0) } ?? "",
                        threads: Int(openblas_get_num_threads()))
    }

    static func version(fromConfig config: String) -> String? {
        let words = config.split(separator: " ")
        guard words.count >= 2, words[0] == "OpenBLAS", words[1].first?.isNumber == true else { return nil }
        return String(words[1])
    }
}

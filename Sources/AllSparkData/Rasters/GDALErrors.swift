import CGDAL

/// GDAL reports problems through `CPLError`: its default handler prints them on standard error and
/// the call returns a failure code, so the text a user needs ("TIFFFillTile: Read error at row 0")
/// would land on the terminal, apart from our error. Every GDAL call of this module runs inside
/// `capturing`, which pushes a handler that keeps the messages instead, for the `DataError`.
///
/// GDAL keeps its handler stack per thread, so captures on different threads do not mix. A
/// `CE_Fatal` error still ends the process after the handler returns (GDAL raises it only when it
/// cannot continue at all, such as an allocation failing inside the library); every size a file
/// claims is checked against `LoadLimits` before GDAL is asked to read, so that it is not a file's
/// claim that gets there.
enum GDALErrors {
    /// What GDAL said during one capture. The first few of each kind are kept: a broken file can
    /// make GDAL repeat one error for every block.
    final class Messages {
        static let kept = 4
        private(set) var errors: [String] = []
        private(set) var warnings: [String] = []

        func record(_ text: String, isError: Bool) {
            if isError { if errors.count < Self.kept, !errors.contains(text) { errors.append(text) } }
            else if warnings.count < Self.kept, !warnings.contains(text) { warnings.append(text) }
        }

        /// GDAL's own words for a failure, to append to our message ("" when it said nothing).
        var explanation: String {
            errors.isEmpty ? "" : " (GDAL: " + errors.joined(separator: "; ") + ")"
        }
    }

    /// GDAL's drivers, registered once per process (a `static let` initialiser runs exactly once,
    /// whichever thread gets there first). GDAL's auxiliary `.aux.xml` files are turned off: reading
    /// a sample must not write beside it.
    static let registered: Void = {
        CPLSetConfigOption("GDAL_PAM_ENABLED", "NO")
        GDALAllRegister()
    }()

    /// Runs `body` with this thread's GDAL messages captured in `Messages` rather than printed.
    static func capturing<T>(_ body: (Messages) throws -> T) rethrows -> T {
        _ = registered
        let messages = Messages()
        let retained = Unmanaged.passRetained(messages)
        CPLPushErrorHandlerEx(recordGDALMessage, retained.toOpaque())
        defer {
            CPLPopErrorHandler()
            retained.release()
        }
        return try body(messages)
    }
}

/// The C handler `capturing` installs: a plain function (a C function pointer cannot capture), which
/// finds the capture's `Messages` through GDAL's per-handler user data.
private func recordGDALMessage(_ level: CPLErr, _ number: CPLErrorNum, _ text: UnsafePointer<CChar>?) {
    guard let userData = CPLGetErrorHandlerUserData() else { return }
    let messages = Unmanaged<GDALErrors.Messages>.fromOpaque(userData).takeUnretainedValue()
    let message = text.map { String(cString: $0) } ?? "error \(number)"
    switch level {
    case CE_Failure, CE_Fatal: messages.record(message, isError: true)
    case CE_Warning: messages.record(message, isError: false)
    default: break // CE_Debug (only with CPL_DEBUG set) and CE_None carry nothing for the user.
    }
}

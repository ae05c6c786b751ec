#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
private let systemWrite = Glibc.write
#else
private let systemWrite = Darwin.write
#endif

/// A file being written: bytes go to a temporary file beside the destination, which replaces the
/// destination only on `commit()`. A writer that fails half-way never leaves a truncated file
/// under the real name for a reader to trip over.
final class OutputFile {
    let path: String
    private let temporaryPath: String
    private var descriptor: Int32
    private var committed = false

    init(path: String) throws {
        self.path = path
        self.temporaryPath = path + ".partial-\(getpid())"
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if descriptor < 0 {
            throw FormatError.io(file: path, operation: "create \(temporaryPath)", reason: systemErrorText())
        }
    }

    func write(_ buffer: UnsafeRawBufferPointer) throws {
        var written = 0
        while written < buffer.count {
            let result = systemWrite(descriptor, buffer.baseAddress! + written, buffer.count - written)
            if result < 0 {
                if errno == EINTR { continue }
                throw FormatError.io(file: path, operation: "write", reason: systemErrorText())
            }
            written += result
        }
    }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Closes the file and moves it to its real name.
    func commit() throws {
        let status = close(descriptor)
        descriptor = -1
        if status != 0 { throw FormatError.io(file: path, operation: "close", reason: systemErrorText()) }
        if rename(temporaryPath, path) != 0 {
            throw FormatError.io(file: path, operation: "rename \(temporaryPath) to it", reason: systemErrorText())
        }
        committed = true
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        if !committed { unlink(temporaryPath) }
    }

    /// Writes `bytes` to `path` in one go.
    static func write(_ bytes: [UInt8], to path: String) throws {
        let file = try OutputFile(path: path)
        try file.write(bytes)
        try file.commit()
    }
}

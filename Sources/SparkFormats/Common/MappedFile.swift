#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file mapped read-only into memory (`PROT_READ`, `MAP_PRIVATE`), unmapped when the
/// last reference goes. Model files are large and read in place: mapping lets the kernel page in
/// only what is touched and share pages between processes.
///
/// The bytes stay valid for the lifetime of the object. (If another process truncates the file
/// while it is mapped, touching the lost pages raises SIGBUS; no reader can guard against that.)
final class MappedFile: @unchecked Sendable {
    let path: String
    let bytes: UnsafeRawBufferPointer
    private let mapping: UnsafeMutableRawPointer?
    /// Whether `mapping` is heap memory this object allocated (`init(copying:)`), not a mapping.
    private var ownsHeapCopy = false

    /// Bytes made in memory (a converted checkpoint), read through the same interface as a file;
    /// `path` names where they came from, for messages.
    init(copying source: [UInt8], path: String) {
        self.path = path
        let memory = UnsafeMutableRawPointer.allocate(byteCount: max(source.count, 1), alignment: 16)
        source.withUnsafeBytes { memory.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        mapping = memory
        ownsHeapCopy = true
        bytes = UnsafeRawBufferPointer(start: memory, count: source.count)
    }

    init(path: String) throws {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 { throw FormatError.io(file: path, operation: "open for reading", reason: systemErrorText()) }
        defer { close(descriptor) }

        var status = stat()
        if fstat(descriptor, &status) != 0 {
            throw FormatError.io(file: path, operation: "stat", reason: systemErrorText())
        }
        if (status.st_mode & S_IFMT) != S_IFREG {
            throw FormatError.io(file: path, operation: "read", reason: "not a regular file")
        }
        let size = Int(status.st_size)
        if size == 0 {
            // mmap rejects a zero length; an empty file is simply no bytes.
            mapping = nil
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0)
        if address == MAP_FAILED || address == nil {
            throw FormatError.io(file: path, operation: "memory-map \(size) bytes", reason: systemErrorText())
        }
        mapping = address
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    deinit {
        if ownsHeapCopy { mapping?.deallocate(); return }
        if let mapping { munmap(mapping, bytes.count) }
    }
}

/// The text of the current `errno`.
func systemErrorText() -> String {
    String(cString: strerror(errno))
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SparkEngine

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
    /// The private copy that holds the bytes under `.hugePageCopy` (then `mapping` is nil).
    private var hugePageCopy: HugePageMemory?

    /// How a file's bytes are held.
    public enum Residence: Sendable {
        /// Mapped from the file: paged in when touched, shared with other processes.
        case mapped
        /// Read into private memory aligned to 2 MiB and advised for transparent huge pages
        /// (MADV_HUGEPAGE), for weights that every decoded token reads end to end: with 4 KiB pages
        /// a 100 MB model needs 25,000 TLB entries per token, and on this project's machines
        /// decoding ran 8–25 % faster from huge pages (docs/DECODE-SPEED.md). Falls back to
        /// `mapped` when the memory cannot be had; where the kernel gives no huge pages it is
        /// simply a private copy.
        case hugePageCopy
    }

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

    init(path: String, residence: Residence = .mapped) throws {
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
        if residence == .hugePageCopy, let copy = try Self.hugePageCopy(descriptor: descriptor, size: size, path: path) {
            mapping = nil
            hugePageCopy = copy
            bytes = UnsafeRawBufferPointer(start: copy.start, count: size)
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

    /// `size` bytes of `descriptor` read into private memory advised for huge pages
    /// (`HugePageMemory`); nil (nothing held) when no such memory can be had. A read error or a
    /// file that shrank while read throws.
    private static func hugePageCopy(descriptor: Int32, size: Int, path: String) throws -> HugePageMemory? {
        guard let copy = HugePageMemory(count: size) else { return nil }
        var done = 0
        while done < size {
            let count = pread(descriptor, copy.start + done, size - done, off_t(done))
            if count < 0 && errno == EINTR { continue }
            if count <= 0 {
                let reason = count < 0 ? systemErrorText() : "the file ended at byte \(done) of \(size) while it was read"
                throw FormatError.io(file: path, operation: "read \(size) bytes", reason: reason)
            }
            done += count
        }
        copy.makeReadOnly()
        return copy
    }
}

/// The text of the current `errno`.
func systemErrorText() -> String {
    String(cString: strerror(errno))
}

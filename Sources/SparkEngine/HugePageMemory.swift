#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Private anonymous memory whose start is 2 MiB-aligned and advised for transparent huge pages
/// (MADV_HUGEPAGE), unmapped when the object goes: for weights that every decoded token reads end
/// to end, where 4 KiB pages would need 25,000 TLB entries per token for a 100 MB model
/// (docs/DECODE-SPEED.md). Where the kernel gives no huge pages it is simply private memory.
public final class HugePageMemory: @unchecked Sendable {
    /// The first usable byte, 2 MiB-aligned; `count` bytes from here are writable until
    /// `makeReadOnly()`, zero-filled at first.
    public let start: UnsafeMutableRawPointer
    public let count: Int
    private let mapping: UnsafeMutableRawPointer
    private let length: Int

    static let hugePage = 2 << 20

    /// nil when `count` is not positive, overflows when rounded, or the memory cannot be mapped.
    public init?(count: Int) {
        let (rounded, overflow) = count.addingReportingOverflow(2 * Self.hugePage)
        guard count > 0, !overflow else { return nil }
        let length = rounded & ~(Self.hugePage - 1)
        let anonymous = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let anonymous, anonymous != MAP_FAILED else { return nil }
        start = UnsafeMutableRawPointer(bitPattern: (Int(bitPattern: anonymous) + Self.hugePage - 1) & ~(Self.hugePage - 1))!
        _ = madvise(start, count, 14)   // MADV_HUGEPAGE (Glibc does not export the constant); failure only costs speed
        self.count = count
        self.mapping = anonymous
        self.length = length
    }

    /// From here on a stray write traps instead of changing the weights.
    public func makeReadOnly() { mprotect(mapping, length, PROT_READ) }

    deinit { munmap(mapping, length) }
}

import Foundation
import Testing
@testable import SparkFormats

/// Both ways of holding a file give its bytes: the mapping, and the private huge-page copy the
/// language model is decoded from (whose start must be 2 MiB-aligned for huge pages to apply).
struct MappedFileTests {
    func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "allspark-mapped-\(UUID().uuidString).bin"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(arguments: [1, 4095, 3 << 20])
    func hugePageCopyHoldsTheFileBytes(size: Int) throws {
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ $0 >> 8) }
        let path = try temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let mapped = try MappedFile(path: path)
        let copy = try MappedFile(path: path, residence: .hugePageCopy)
        #expect(Array(copy.bytes) == bytes)
        #expect(Array(mapped.bytes) == bytes)
        #expect(Int(bitPattern: copy.bytes.baseAddress) % (2 << 20) == 0)
    }

    @Test func hugePageCopyOfAnEmptyFileIsEmpty() throws {
        let path = try temporaryFile([])
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try MappedFile(path: path, residence: .hugePageCopy).bytes.count == 0)
    }
}

/// Builds a zip archive in memory: each member stored or raw-deflated, with local headers, a
/// central directory and the end record. No ZIP64: members and archives stay under 4 GiB.
struct ZipWriter {
    private(set) var bytes: [UInt8] = []
    private var central: [UInt8] = []
    private var count = 0
    let file: String

    init(file: String) { self.file = file }

    /// 1980-01-01 00:00, the earliest zip date: the archive's bytes do not depend on the clock.
    private static let dosDate: UInt16 = (0 << 9) | (1 << 5) | 1
    private static let dosTime: UInt16 = 0

    mutating func add(name: String, contents: [UInt8], compressed: Bool) throws {
        let nameBytes = Array(name.utf8)
        let stored = compressed ? try contents.withUnsafeBytes { try Zlib.deflateRaw($0, file: file) } : contents
        let offset = bytes.count
        let limit = Int(UInt32.max) - 1
        guard contents.count <= limit, stored.count <= limit, offset <= limit, nameBytes.count <= Int(UInt16.max),
              count < Int(UInt16.max) - 1 else {
            throw FormatError.invalidArgument(file: file, field: "member '\(name)'",
                                              problem: "too large for a zip archive without ZIP64 (4 GiB, 65534 members)")
        }
        let crc = Zlib.crc32(contents)
        // Bit 11: the name is UTF-8.
        let flags: UInt16 = nameBytes.allSatisfy { $0 < 0x80 } ? 0 : 0x0800
        let method: UInt16 = compressed ? 8 : 0

        var local = LittleEndianBytes()
        local.u32(ZipArchive.localHeaderSignature)
        local.u16(20)                       // version needed: 2.0 (deflate)
        local.u16(flags)
        local.u16(method)
        local.u16(ZipWriter.dosTime)
        local.u16(ZipWriter.dosDate)
        local.u32(crc)
        local.u32(UInt32(stored.count))
        local.u32(UInt32(contents.count))
        local.u16(UInt16(nameBytes.count))
        local.u16(0)                        // no extra field
        bytes += local.bytes
        bytes += nameBytes
        bytes += stored

        var entry = LittleEndianBytes()
        entry.u32(ZipArchive.centralHeaderSignature)
        entry.u16(20)                       // made by: version 2.0
        entry.u16(20)
        entry.u16(flags)
        entry.u16(method)
        entry.u16(ZipWriter.dosTime)
        entry.u16(ZipWriter.dosDate)
        entry.u32(crc)
        entry.u32(UInt32(stored.count))
        entry.u32(UInt32(contents.count))
        entry.u16(UInt16(nameBytes.count))
        entry.u16(0)                        // extra
        entry.u16(0)                        // comment
        entry.u16(0)                        // disk
        entry.u16(0)                        // internal attributes
        entry.u32(0o100644 << 16)           // external attributes: a regular file, rw-r--r--
        entry.u32(UInt32(offset))
        central += entry.bytes
        central += nameBytes
        count += 1
    }

    /// The finished archive.
    func finished() throws -> [UInt8] {
        let directoryOffset = bytes.count
        guard directoryOffset + central.count <= Int(UInt32.max) - 1 else {
            throw FormatError.invalidArgument(file: file, field: "archive", problem: "larger than 4 GiB, which needs ZIP64")
        }
        var end = LittleEndianBytes()
        end.u32(ZipArchive.endOfCentralDirectorySignature)
        end.u16(0)
        end.u16(0)
        end.u16(UInt16(count))
        end.u16(UInt16(count))
        end.u32(UInt32(central.count))
        end.u32(UInt32(directoryOffset))
        end.u16(0)                          // no comment
        return bytes + central + end.bytes
    }
}

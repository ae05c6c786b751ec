/// A read-only view of a zip archive in memory, enough for `.npz` files: the central directory
/// is read first (it is the authority on names, sizes and methods), then each member's local
/// header is checked against it. Stored (method 0) and deflated (method 8) members; no ZIP64,
/// no encryption, no multi-disk archives — each refused with an error that names it.
struct ZipArchive {
    struct Member {
        let name: String
        let method: UInt16
        let flags: UInt16
        let crc32: UInt32
        let compressedSize: Int
        let uncompressedSize: Int
        let localHeaderOffset: Int
        /// Where the member's (compressed) bytes start, after its local header.
        let dataOffset: Int
    }

    let file: String
    let bytes: UnsafeRawBufferPointer
    let members: [Member]

    static let localHeaderSignature: UInt32 = 0x0403_4B50
    static let centralHeaderSignature: UInt32 = 0x0201_4B50
    static let endOfCentralDirectorySignature: UInt32 = 0x0605_4B50
    static let zip64LocatorSignature: UInt32 = 0x0706_4B50
    static let endRecordSize = 22
    static let centralHeaderSize = 46
    static let localHeaderSize = 30
    /// Deflate cannot expand data by more than about 1032:1; a member declaring more is lying.
    static let maximumDeflateRatio = 1032

    init(bytes: UnsafeRawBufferPointer, file: String) throws {
        self.file = file
        self.bytes = bytes
        let endOffset = try ZipArchive.findEndRecord(bytes, file: file)
        var end = ByteReader(bytes, file: file, offset: endOffset + 4)
        let disk = try end.u16("end of central directory: disk number")
        let directoryDisk = try end.u16("end of central directory: disk of the central directory")
        let entriesOnDisk = try end.u16("end of central directory: entries on this disk")
        let entries = try end.u16("end of central directory: total entries")
        let directorySize = try end.u32("end of central directory: central directory size")
        let directoryOffset = try end.u32("end of central directory: central directory offset")

        let zip64 = entries == 0xFFFF || entriesOnDisk == 0xFFFF || directorySize == 0xFFFF_FFFF
            || directoryOffset == 0xFFFF_FFFF
            || (endOffset >= 20 && bytes.loadUnaligned(fromByteOffset: endOffset - 20, as: UInt32.self).littleEndian
                == ZipArchive.zip64LocatorSignature)
        if zip64 {
            throw FormatError.unsupported(file: file, field: "end of central directory", feature: "ZIP64",
                                          supported: "plain zip archives under 4 GiB with fewer than 65535 members")
        }
        if disk != 0 || directoryDisk != 0 || entriesOnDisk != entries {
            throw FormatError.unsupported(file: file, field: "end of central directory", feature: "a multi-disk (split) archive",
                                          supported: "single-file archives")
        }
        let directoryStart = Int(directoryOffset)
        let directoryEnd = directoryStart + Int(directorySize)
        if directoryEnd > endOffset {
            throw FormatError.malformed(file: file, field: "end of central directory: central directory offset/size",
                                        problem: "the central directory (\(directorySize) bytes at offset \(directoryOffset)) runs past the end record at \(endOffset)",
                                        expected: "a central directory that ends before the end record")
        }

        let directoryBytes = UnsafeRawBufferPointer(rebasing: bytes[directoryStart..<directoryEnd])
        var directory = ByteReader(directoryBytes, file: file)
        var members: [Member] = []
        members.reserveCapacity(min(Int(entries), directoryBytes.count / ZipArchive.centralHeaderSize))
        var names = Set<String>()
        for index in 0..<Int(entries) {
            let member = try ZipArchive.readCentralEntry(&directory, index: index, archive: bytes,
                                                         directoryStart: directoryStart, file: file)
            if !names.insert(member.name).inserted {
                throw FormatError.malformed(file: file, field: "member '\(member.name)'", problem: "the name appears twice",
                                            expected: "unique member names")
            }
            members.append(member)
        }
        try ZipArchive.checkNoOverlap(members, file: file)
        self.members = members
    }

    /// The end-of-central-directory record sits at the very end, after an optional comment of at
    /// most 65535 bytes; the one whose comment length reaches exactly to the end of the file is it.
    private static func findEndRecord(_ bytes: UnsafeRawBufferPointer, file: String) throws -> Int {
        if bytes.count < endRecordSize {
            throw FormatError.malformed(file: file, field: "end of central directory",
                                        problem: "the file has only \(bytes.count) bytes",
                                        expected: "a zip archive of at least \(endRecordSize) bytes")
        }
        let lowest = max(0, bytes.count - endRecordSize - Int(UInt16.max))
        var position = bytes.count - endRecordSize
        while position >= lowest {
            if bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self).littleEndian == endOfCentralDirectorySignature {
                let commentLength = Int(bytes.loadUnaligned(fromByteOffset: position + 20, as: UInt16.self).littleEndian)
                if position + endRecordSize + commentLength == bytes.count { return position }
            }
            position -= 1
        }
        throw FormatError.malformed(file: file, field: "end of central directory",
                                    problem: "no end-of-central-directory record (signature 50 4b 05 06) at the end of the file",
                                    expected: "a zip archive (an .npz file is one)")
    }

    private static func readCentralEntry(_ directory: inout ByteReader, index: Int, archive: UnsafeRawBufferPointer,
                                         directoryStart: Int, file: String) throws -> Member {
        let field = "central directory entry \(index)"
        let signature = try directory.u32("\(field): signature")
        guard signature == centralHeaderSignature else {
            throw FormatError.malformed(file: file, field: "\(field): signature",
                                        problem: String(format32: signature), expected: "50 4b 01 02")
        }
        try directory.skip(4, field: "\(field): versions")
        let flags = try directory.u16("\(field): flags")
        let method = try directory.u16("\(field): compression method")
        try directory.skip(4, field: "\(field): modification time")
        let crc = try directory.u32("\(field): CRC-32")
        let compressedSize = try directory.u32("\(field): compressed size")
        let uncompressedSize = try directory.u32("\(field): uncompressed size")
        let nameLength = Int(try directory.u16("\(field): name length"))
        let extraLength = Int(try directory.u16("\(field): extra field length"))
        let commentLength = Int(try directory.u16("\(field): comment length"))
        let startDisk = try directory.u16("\(field): disk number")
        try directory.skip(6, field: "\(field): attributes")
        let localOffset = try directory.u32("\(field): local header offset")
        let name = String(decoding: try directory.slice(nameLength, field: "\(field): name"), as: UTF8.self)
        try directory.skip(extraLength + commentLength, field: "\(field) '\(name)': extra field and comment")

        let memberField = "member '\(name)'"
        if compressedSize == 0xFFFF_FFFF || uncompressedSize == 0xFFFF_FFFF || localOffset == 0xFFFF_FFFF || startDisk == 0xFFFF {
            throw FormatError.unsupported(file: file, field: memberField, feature: "ZIP64 sizes or offsets",
                                          supported: "plain zip members under 4 GiB")
        }
        if flags & 0x0001 != 0 {
            throw FormatError.unsupported(file: file, field: memberField, feature: "encryption", supported: "unencrypted members")
        }
        if method != 0 && method != 8 {
            throw FormatError.unsupported(file: file, field: "\(memberField) compression method",
                                          feature: "method \(method)", supported: "0 (stored) and 8 (deflated)")
        }

        // The local header repeats the name; its own lengths decide where the data starts.
        var local = ByteReader(archive, file: file)
        let localStart = Int(localOffset)
        if localStart + localHeaderSize > directoryStart {
            throw FormatError.malformed(file: file, field: "\(memberField) local header offset",
                                        problem: "offset \(localOffset) leaves no room for a local header before the central directory at \(directoryStart)",
                                        expected: "an offset before the central directory")
        }
        try local.seek(to: localStart, field: "\(memberField) local header offset")
        let localSignature = try local.u32("\(memberField) local header signature")
        guard localSignature == localHeaderSignature else {
            throw FormatError.malformed(file: file, field: "\(memberField) local header signature",
                                        problem: String(format32: localSignature), expected: "50 4b 03 04")
        }
        try local.skip(4, field: "\(memberField) local header")
        let localMethod = try local.u16("\(memberField) local header compression method")
        try local.skip(16, field: "\(memberField) local header")
        let localNameLength = Int(try local.u16("\(memberField) local header name length"))
        let localExtraLength = Int(try local.u16("\(memberField) local header extra length"))
        let localName = try local.slice(localNameLength, field: "\(memberField) local header name")
        if String(decoding: localName, as: UTF8.self) != name || localMethod != method {
            throw FormatError.malformed(file: file, field: "\(memberField) local header",
                                        problem: "name or method differs from the central directory",
                                        expected: "the same name and method in both headers")
        }
        try local.skip(localExtraLength, field: "\(memberField) local header extra field")
        let dataOffset = local.offset
        if dataOffset + Int(compressedSize) > directoryStart {
            throw FormatError.malformed(file: file, field: "\(memberField) compressed size",
                                        problem: "\(compressedSize) bytes at offset \(dataOffset) run into the central directory at \(directoryStart)",
                                        expected: "member data that ends before the central directory")
        }
        return Member(name: name, method: method, flags: flags, crc32: crc, compressedSize: Int(compressedSize),
                      uncompressedSize: Int(uncompressedSize), localHeaderOffset: localStart, dataOffset: dataOffset)
    }

    /// Members whose bytes overlap are how "zip bombs" multiply one stream many times.
    private static func checkNoOverlap(_ members: [Member], file: String) throws {
        let sorted = members.sorted { $0.localHeaderOffset < $1.localHeaderOffset }
        for (first, second) in zip(sorted, sorted.dropFirst()) where first.dataOffset + first.compressedSize > second.localHeaderOffset {
            throw FormatError.malformed(file: file, field: "member '\(second.name)' local header offset",
                                        problem: "offset \(second.localHeaderOffset) lies inside member '\(first.name)'",
                                        expected: "members that do not overlap")
        }
    }

    /// The uncompressed bytes of `member`, CRC-checked. `maxBytes` bounds what a member may
    /// declare before anything is allocated for it.
    func contents(of member: Member, maxBytes: Int) throws -> [UInt8] {
        let field = "member '\(member.name)'"
        if member.uncompressedSize > maxBytes {
            throw FormatError.malformed(file: file, field: "\(field) uncompressed size",
                                        problem: "\(member.uncompressedSize) bytes is more than the limit of \(maxBytes)",
                                        expected: "a member within the element limit")
        }
        let stored = UnsafeRawBufferPointer(rebasing: bytes[member.dataOffset..<(member.dataOffset + member.compressedSize)])
        let data: [UInt8]
        if member.method == 0 {
            if member.compressedSize != member.uncompressedSize {
                throw FormatError.malformed(file: file, field: "\(field) sizes",
                                            problem: "stored member has compressed size \(member.compressedSize) but uncompressed size \(member.uncompressedSize)",
                                            expected: "equal sizes for a stored member")
            }
            data = Array(stored)
        } else {
            let (limit, overflow) = member.compressedSize.multipliedReportingOverflow(by: ZipArchive.maximumDeflateRatio)
            if !overflow && member.uncompressedSize > limit + 64 {
                throw FormatError.malformed(file: file, field: "\(field) uncompressed size",
                                            problem: "\(member.uncompressedSize) bytes cannot come from \(member.compressedSize) deflated bytes",
                                            expected: "at most about \(ZipArchive.maximumDeflateRatio)× the compressed size")
            }
            data = try Zlib.inflateRaw(stored, expectedSize: member.uncompressedSize, file: file, field: "\(field) data")
        }
        let crc = Zlib.crc32(data)
        if crc != member.crc32 {
            throw FormatError.malformed(file: file, field: "\(field) CRC-32",
                                        problem: "the data's CRC-32 is \(String(format32: crc)) but the archive records \(String(format32: member.crc32))",
                                        expected: "matching CRC-32 (the member is corrupt)")
        }
        return data
    }
}

extension String {
    /// A 32-bit value as hex, e.g. "0x04034b50".
    init(format32 value: UInt32) {
        self = "0x" + String(value, radix: 16).leftPadded(to: 8)
    }
}

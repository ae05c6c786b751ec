import CZlib
import Foundation
import SparkFormats

/// The malformed archives of `compare bad-zip`. Each is built here, field by field, so the lie it
/// tells is explicit; two valid archives are the controls.
struct ZipCase {
    let id: String
    let what: String
    let bytes: () -> [UInt8]
}

/// One member as the raw builder lays it down. The initialiser tells the truth; a case then
/// changes the fields it lies about.
struct RawMember {
    var name: String
    var method: UInt16
    var data: [UInt8]                    // the bytes after the local header (deflated for method 8)
    var crc: UInt32
    var compressedSize: UInt32
    var uncompressedSize: UInt32
    /// When set, both headers say 0xFFFFFFFF and a ZIP64 extra field carries this size.
    var zip64UncompressedSize: UInt64?
    /// When set, the central directory points here instead of at the member's local header.
    var centralOffset: UInt32?

    init(name: String, contents: [UInt8], deflated: Bool) {
        self.name = name
        method = deflated ? 8 : 0
        data = deflated ? rawDeflate(contents) : contents
        crc = crc32Of(contents)
        compressedSize = UInt32(data.count)
        uncompressedSize = UInt32(contents.count)
    }
}

/// A zip archive of `members`, plus central entries named `aliases` that point at an existing
/// member's local header (the overlapping-member zip bomb).
func buildZip(_ members: [RawMember], aliases: [(name: String, of: Int)] = []) -> [UInt8] {
    var out: [UInt8] = []
    var central: [UInt8] = []
    var offsets: [UInt32] = []
    func extra(_ m: RawMember) -> [UInt8] {
        guard let size = m.zip64UncompressedSize else { return [] }
        var e: [UInt8] = []
        e.le(UInt16(1)); e.le(UInt16(8)); e.le(size)
        return e
    }
    for m in members {
        offsets.append(UInt32(out.count))
        let name = Array(m.name.utf8), x = extra(m)
        out.le(UInt32(0x0403_4B50)); out.le(UInt16(m.zip64UncompressedSize == nil ? 20 : 45)); out.le(UInt16(0))
        out.le(m.method); out.le(UInt16(0)); out.le(UInt16(0x21)); out.le(m.crc)
        out.le(m.compressedSize); out.le(m.zip64UncompressedSize == nil ? m.uncompressedSize : 0xFFFF_FFFF)
        out.le(UInt16(name.count)); out.le(UInt16(x.count))
        out += name + x + m.data
    }
    let entries = members.enumerated().map { ($0.element, $0.element.name, $0.element.centralOffset ?? offsets[$0.offset]) }
        + aliases.map { (members[$0.of], $0.name, offsets[$0.of]) }
    for (m, entryName, offset) in entries {
        let name = Array(entryName.utf8), x = extra(m)
        central.le(UInt32(0x0201_4B50)); central.le(UInt16(20)); central.le(UInt16(m.zip64UncompressedSize == nil ? 20 : 45))
        central.le(UInt16(0)); central.le(m.method); central.le(UInt16(0)); central.le(UInt16(0x21)); central.le(m.crc)
        central.le(m.compressedSize); central.le(m.zip64UncompressedSize == nil ? m.uncompressedSize : 0xFFFF_FFFF)
        central.le(UInt16(name.count)); central.le(UInt16(x.count)); central.le(UInt16(0)); central.le(UInt16(0))
        central.le(UInt16(0)); central.le(UInt32(0o100644 << 16)); central.le(offset)
        central += name + x
    }
    let directoryOffset = UInt32(out.count)
    out += central
    out.le(UInt32(0x0605_4B50)); out.le(UInt16(0)); out.le(UInt16(0))
    out.le(UInt16(entries.count)); out.le(UInt16(entries.count))
    out.le(UInt32(central.count)); out.le(directoryOffset); out.le(UInt16(0))
    return out
}

extension Array where Element == UInt8 {
    mutating func le<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}

func crc32Of(_ bytes: [UInt8]) -> UInt32 {
    bytes.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32($0.count))) }
}

/// Raw deflate (no zlib header), as zip stores it.
func rawDeflate(_ bytes: [UInt8]) -> [UInt8] {
    var stream = z_stream()
    deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY,
                  ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    defer { deflateEnd(&stream) }
    var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))))
    var input = bytes
    input.withUnsafeMutableBufferPointer { inBuf in
        out.withUnsafeMutableBufferPointer { outBuf in
            stream.next_in = inBuf.baseAddress; stream.avail_in = UInt32(inBuf.count)
            stream.next_out = outBuf.baseAddress; stream.avail_out = UInt32(outBuf.count)
            _ = deflate(&stream, Z_FINISH)
        }
    }
    return Array(out.prefix(Int(stream.total_out)))
}

/// An NPY file of `count` float32 values (a ramp, so a wrong byte shows).
func npyMember(_ count: Int, zeros: Bool = false) -> [UInt8] {
    NPY.encode(NumpyArray(shape: [count], floats: zeros ? [Float](repeating: 0, count: count) : (0..<count).map { Float($0) }))
}

enum ZipCases {
    static func pair(deflated: Bool) -> [RawMember] {
        [RawMember(name: "a.npy", contents: npyMember(256), deflated: deflated),
         RawMember(name: "b.npy", contents: npyMember(6), deflated: deflated)]
    }
    static let validDeflated = buildZip(pair(deflated: true))

    static let all: [ZipCase] = [
        ZipCase(id: "valid-stored", what: "control: a.npy, b.npy stored (np.savez)") { buildZip(pair(deflated: false)) },
        ZipCase(id: "valid-deflated", what: "control: a.npy, b.npy deflated (np.savez_compressed)") { validDeflated },
        ZipCase(id: "empty", what: "0 bytes") { [] },
        ZipCase(id: "truncated-30", what: "valid-deflated cut to its first 30 bytes") { Array(validDeflated.prefix(30)) },
        ZipCase(id: "truncated-half", what: "valid-deflated cut in half") { Array(validDeflated.prefix(validDeflated.count / 2)) },
        ZipCase(id: "truncated-central", what: "valid-deflated cut inside the central directory") {
            Array(validDeflated.prefix(validDeflated.count - 40)) },
        ZipCase(id: "truncated-end-1", what: "valid-deflated less its last byte") { Array(validDeflated.dropLast()) },
        ZipCase(id: "junk-after-end", what: "valid-deflated + 100 bytes after the end record") {
            validDeflated + [UInt8](repeating: 0x41, count: 100) },
        ZipCase(id: "zip64-2^62-stored", what: "stored member whose ZIP64 extra field claims 2^62 bytes uncompressed") {
            var m = pair(deflated: false); m[0].zip64UncompressedSize = 1 << 62; return buildZip(m) },
        ZipCase(id: "zip64-2^62-deflated", what: "deflated member whose ZIP64 extra field claims 2^62 bytes uncompressed") {
            var m = pair(deflated: true); m[0].zip64UncompressedSize = 1 << 62; return buildZip(m) },
        ZipCase(id: "local-offset-past-end", what: "b.npy's central entry points at offset 0x7FFFFFF0") {
            var m = pair(deflated: true); m[1].centralOffset = 0x7FFF_FFF0; return buildZip(m) },
        ZipCase(id: "compressed-size-past-end", what: "a.npy (deflated) claims 0x7FFF0000 compressed bytes") {
            var m = pair(deflated: true); m[0].compressedSize = 0x7FFF_0000; return buildZip(m) },
        ZipCase(id: "deflate-longer-than-declared", what: "a.npy inflates to 100 bytes more than its declared size") {
            var m = pair(deflated: true); m[0].uncompressedSize -= 100; return buildZip(m) },
        ZipCase(id: "deflate-shorter-than-declared", what: "a.npy inflates to 100 bytes less than its declared size") {
            var m = pair(deflated: true); m[0].uncompressedSize += 100; return buildZip(m) },
        ZipCase(id: "deflate-stream-cut", what: "a.npy's deflate stream cut in half (sizes say so)") {
            var m = pair(deflated: true)
            m[0].data = Array(m[0].data.prefix(m[0].data.count / 2)); m[0].compressedSize = UInt32(m[0].data.count)
            return buildZip(m) },
        ZipCase(id: "deflate-stream-cut-last", what: "the same cut in b.npy, the member just before the central directory") {
            var m = pair(deflated: true)
            m[1].data = Array(m[1].data.prefix(m[1].data.count / 2)); m[1].compressedSize = UInt32(m[1].data.count)
            return buildZip(m) },
        ZipCase(id: "crc-mismatch", what: "a.npy stored with one data byte changed") {
            var m = pair(deflated: false); m[0].data[m[0].data.count - 1] ^= 0xFF; return buildZip(m) },
        ZipCase(id: "bomb-declares-1MB", what: "a.npy declares 1 MiB but inflates to 256 MiB (~250 KB deflated)") {
            var a = RawMember(name: "a.npy", contents: npyMember(64 << 20, zeros: true), deflated: true)
            a.uncompressedSize = 1 << 20
            return buildZip([a]) },
        ZipCase(id: "bomb-declares-4GB", what: "the reverse: ~1 KB deflated declaring 4,294,901,760 bytes") {
            var m = pair(deflated: true); m[0].uncompressedSize = 0xFFFF_0000; return buildZip(m) },
        ZipCase(id: "overlapping-members", what: "200 central entries all pointing at a.npy's local header") {
            buildZip(pair(deflated: true), aliases: (0..<200).map { (name: "c\($0).npy", of: 0) }) },
        ZipCase(id: "dotdot-name", what: "a member named ../../evil.npy (valid otherwise)") {
            var m = pair(deflated: true); m[0].name = "../../evil.npy"; return buildZip(m) },
    ]
}

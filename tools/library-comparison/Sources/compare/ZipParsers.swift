import OurCSV
import Foundation
import SparkFormats
import ZIPFoundation

/// The NPZ readers and writers under comparison. Every reader ends in our NPY decoder, so only the
/// zip layer differs.
///
/// - `ours`: `NPZ.decode`, what the program calls.
/// - `ZIPFoundation`: the library's in-memory `Archive` and `extract(_:consumer:)`, with only the
///   checks the library makes itself.
/// - `ZIPFoundation+guards`: the same, plus what an adopter would have to write around it to keep
///   docs/LIMITS.md true: the declared size against the limit before anything is allocated, a cap at
///   the declared size while inflating, the exact size after, and the CRC-32 (`extract` returns the
///   CRC it computed; only `FileManager.unzipItem` compares it).
/// - `ZIPFoundation+guards/file`: the same over the library's file backend (`Archive(url:)`, stdio)
///   instead of its in-memory one (`Archive(data:)`, a `fopencookie` stream over `Data`).
enum ZipParsers {
    static let names = ["ours", "ZIPFoundation", "ZIPFoundation+guards", "ZIPFoundation+guards/file"]
    static let writerNames = ["ours/stored", "ours/deflated", "ZIPFoundation/stored", "ZIPFoundation/deflated"]

    /// The largest member a permitted array can need, as `NPZ.decode` computes it.
    static let maxElements = LoadLimits.standard.maxElements
    static let maxMemberBytes = maxElements * 8 + (1 << 20)

    struct GuardError: Error, CustomStringConvertible { let description: String }

    /// `bytes` are the contents of the file at `path` (only the file variant opens `path`).
    static func decode(_ parser: String, _ bytes: [UInt8], path: String) throws -> [String: NumpyArray] {
        switch parser {
        case "ours": return try NPZ.decode(bytes, name: "case.npz", maxElements: maxElements)
        case "ZIPFoundation": return try viaZIPFoundation(Archive(data: Data(bytes), accessMode: .read), guarded: false)
        case "ZIPFoundation+guards": return try viaZIPFoundation(Archive(data: Data(bytes), accessMode: .read), guarded: true)
        case "ZIPFoundation+guards/file":
            return try viaZIPFoundation(Archive(url: URL(fileURLWithPath: path), accessMode: .read), guarded: true)
        default: fatalError("unknown zip parser \(parser)")
        }
    }

    static func viaZIPFoundation(_ archive: Archive, guarded: Bool) throws -> [String: NumpyArray] {
        var arrays: [String: NumpyArray] = [:]
        for entry in archive where entry.type == .file && entry.path.hasSuffix(".npy") {
            let declared = entry.uncompressedSize
            var contents: [UInt8] = []
            if guarded {
                guard declared <= UInt64(maxMemberBytes) else {
                    throw GuardError(description: "\(entry.path): declares \(declared) bytes, more than \(maxMemberBytes)")
                }
                contents.reserveCapacity(Int(declared))
            }
            let crc = try archive.extract(entry) { chunk in
                if guarded && contents.count + chunk.count > Int(declared) {
                    throw GuardError(description: "\(entry.path): inflates past its declared \(declared) bytes")
                }
                contents.append(contentsOf: chunk)
            }
            if guarded {
                guard contents.count == Int(declared) else {
                    throw GuardError(description: "\(entry.path): \(contents.count) bytes; declared \(declared)")
                }
                guard crc == entry.checksum else {
                    throw GuardError(description: "\(entry.path): CRC-32 \(crc), archive says \(entry.checksum)")
                }
            }
            arrays[String(entry.path.dropLast(4))] = try NPY.decode(contents, name: entry.path, maxElements: maxElements)
        }
        return arrays
    }

    /// "a [256] float32, b [6] float32" (sorted; at most 6 listed).
    static func describe(_ arrays: [String: NumpyArray]) -> String {
        let keys = arrays.keys.sorted()
        let listed = keys.prefix(6).map { "\($0) \(arrays[$0]!.shape) \(arrays[$0]!.dtype)" }
        return "\(keys.count) array\(keys.count == 1 ? "" : "s"): " + listed.joined(separator: ", ")
            + (keys.count > 6 ? ", …" : "")
    }

    /// Every array as Float, as the traffic and NPY loaders end up; returns a digest to compare.
    static func floatsDigest(_ arrays: [String: NumpyArray]) -> String {
        var count = 0, sum = 0.0
        for key in arrays.keys.sorted() {
            let values = arrays[key]!.floats()
            count += values.count
            for v in values { sum += Double(v) }
        }
        return "\(arrays.count) arrays, \(count) values, sum \(String(format: "%.6e", sum))"
    }

    /// The archive bytes of `arrays` (name order kept) by `writer`, e.g. "ZIPFoundation/deflated".
    static func encode(_ writer: String, _ arrays: [(name: String, array: NumpyArray)]) throws -> [UInt8] {
        let deflated = writer.hasSuffix("/deflated")
        if writer.hasPrefix("ours") { return try NPZ.encode(arrays, compressed: deflated) }
        let archive = try Archive(accessMode: .create)
        for (name, array) in arrays {
            let npy = Data(NPY.encode(array))
            // A fixed date, as ours writes, so the bytes do not depend on the clock.
            try archive.addEntry(with: name + ".npy", type: .file, uncompressedSize: Int64(npy.count),
                                 modificationDate: Date(timeIntervalSince1970: 315_532_800),
                                 compressionMethod: deflated ? .deflate : .none) { position, size in
                npy.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        return [UInt8](archive.data ?? Data())
    }

    /// The writer checks of `compare bad-npz-write`: names a writer should refuse, and whether the
    /// same arrays give the same bytes twice. Written archives are read back with our reader.
    static let writerCases: [(id: String, what: String, names: [String])] = [
        ("plain", "control: a, b", ["a", "b"]),
        ("duplicate-names", "two arrays named a", ["a", "a"]),
        ("empty-name", "an array named \"\"", ["", "b"]),
        ("dotdot-name", "an array named ../../evil", ["../../evil", "b"]),
    ]

    static func writeCase(_ writer: String, names: [String]) throws -> String {
        let arrays = names.map { (name: $0, array: NumpyArray(shape: [3], floats: [1, 2, 3])) }
        let bytes = try encode(writer, arrays)
        let again = try encode(writer, arrays)
        let readBack: String
        do { readBack = describe(try NPZ.decode(bytes, name: "written.npz")) } catch { readBack = "error: \(error)" }
        return "written, \(bytes.count) bytes\(bytes == again ? "" : " (**different bytes on a second write**)"); ours reads it back as: \(readBack)"
    }
}

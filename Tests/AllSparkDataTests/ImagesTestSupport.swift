import Foundation
import Testing
@testable import AllSparkData

/// A fresh temporary folder per test, removed when the value is released.
final class ImagesTempFolder {
    let path: String
    init() throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("allspark-images-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let target = file(name)
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: target))
        return target
    }

    @discardableResult
    func write(_ name: String, text: String) throws -> String { try write(name, Array(text.utf8)) }

    @discardableResult
    func folder(_ name: String) throws -> String {
        let target = file(name)
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        return target
    }
}

/// A PNG encoder written independently of libpng for building test files byte by byte:
/// zlib "stored" (uncompressed) deflate blocks, CRC-32 per chunk, Adler-32 for the stream.
enum TestPNG {
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        return (b << 16) | a
    }

    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 255), UInt8((v >> 8) & 255), UInt8(v & 255)] }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + data
        return be32(UInt32(data.count)) + typed + be32(crc32(typed))
    }

    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let n = min(65535, data.count - offset)
            let final: UInt8 = offset + n == data.count ? 1 : 0
            out += [final, UInt8(n & 255), UInt8(n >> 8), UInt8(~n & 255), UInt8((~n >> 8) & 255)]
            out += data[offset..<(offset + n)]
            offset += n
        } while offset < data.count
        return out + be32(adler32(data))
    }

    /// colourType: 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA. `rows` are unfiltered scanlines.
    static func encode(width: Int, height: Int, bitDepth: UInt8, colourType: UInt8, rows: [[UInt8]],
                       palette: [UInt8]? = nil, declaredWidth: Int? = nil, declaredHeight: Int? = nil) -> [UInt8] {
        let ihdr = be32(UInt32(declaredWidth ?? width)) + be32(UInt32(declaredHeight ?? height)) + [bitDepth, colourType, 0, 0, 0]
        var raw: [UInt8] = []
        for row in rows { raw += [0] + row }
        var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        file += chunk("IHDR", ihdr)
        if let palette { file += chunk("PLTE", palette) }
        file += chunk("IDAT", zlibStored(raw))
        file += chunk("IEND", [])
        return file
    }
}

/// Asserts that `body` throws a `DataError` whose message contains every one of `fragments`.
func expectDataError(_ fragments: [String], sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("expected a DataError mentioning \(fragments)", sourceLocation: sourceLocation)
    } catch let error as DataError {
        let text = error.description
        for fragment in fragments where !text.contains(fragment) {
            Issue.record("error '\(text)' does not mention '\(fragment)'", sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("expected a DataError, got \(error)", sourceLocation: sourceLocation)
    }
}

/// Small limits for oversize tests.
func tinyLimits(fileBytes: Int = 1 << 20, pixels: Int = 1 << 20, frames: Int = 100, elements: Int = 1 << 22) -> LoadLimits {
    var limits = LoadLimits()
    limits.maxFileBytes = fileBytes
    limits.maxPixels = pixels
    limits.maxFrames = frames
    limits.maxElements = elements
    return limits
}

/// An NPY (version 1.0) encoder written for the tests, independent of SparkFormats:
/// magic, version, little-endian header length, the header dict padded with spaces to a multiple
/// of 64 bytes and ended by a newline, then the raw little-endian elements.
enum TestNPY {
    static func encode(descr: String, shape: [Int], payload: [UInt8], fortran: Bool = false) -> [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shapeText), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let length = header.utf8.count
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 255), UInt8(length >> 8)] + Array(header.utf8) + payload
    }

    static func float32(_ values: [Float], shape: [Int]) -> [UInt8] {
        encode(descr: "<f4", shape: shape, payload: values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
    }

    static func uint16(_ values: [UInt16], shape: [Int]) -> [UInt8] {
        encode(descr: "<u2", shape: shape, payload: values.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) })
    }

    static func float64(_ values: [Double], shape: [Int]) -> [UInt8] {
        encode(descr: "<f8", shape: shape, payload: values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
    }

    static func uint8(_ values: [UInt8], shape: [Int]) -> [UInt8] {
        encode(descr: "|u1", shape: shape, payload: values)
    }

    /// complex64: (real, imaginary) float32 pairs, in the byte order `descr` names ('<c8' or '>c8').
    static func complex64(_ values: [(Float, Float)], shape: [Int], bigEndian: Bool = false) -> [UInt8] {
        let parts = values.flatMap { [$0.0.bitPattern, $0.1.bitPattern] }
        return encode(descr: bigEndian ? ">c8" : "<c8", shape: shape,
                      payload: parts.flatMap { withUnsafeBytes(of: bigEndian ? $0.bigEndian : $0.littleEndian, Array.init) })
    }

    static func int16(_ values: [Int16], shape: [Int]) -> [UInt8] {
        encode(descr: "<i2", shape: shape, payload: values.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) })
    }

    static func int32(_ values: [Int32], shape: [Int]) -> [UInt8] {
        encode(descr: "<i4", shape: shape, payload: values.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) })
    }
}

import Foundation
import Testing
@testable import SparkFormats

/// Bytes from a hex string ("93 4e" or "934e").
func bytes(hex: String) -> [UInt8] {
    let digits = hex.filter { !$0.isWhitespace }
    precondition(digits.count % 2 == 0, "odd number of hex digits")
    var result: [UInt8] = []
    result.reserveCapacity(digits.count / 2)
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        result.append(UInt8(digits[index..<next], radix: 16)!)
        index = next
    }
    return result
}

/// A directory under the system's temporary directory, removed with everything in it on deinit.
final class TemporaryDirectory {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("sparkformats-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
    }

    /// The path of `name` inside the directory.
    func file(_ name: String) -> String { path + "/" + name }

    /// Writes `contents` to `name` and returns its path.
    @discardableResult
    func write(_ name: String, _ contents: [UInt8]) throws -> String {
        let target = file(name)
        try Data(contents).write(to: URL(fileURLWithPath: target))
        return target
    }

    func read(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: file(name))))
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Little-endian byte building for hand-made files.
struct ByteBuilder {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { append(v) }
    mutating func u32(_ v: UInt32) { append(v) }
    mutating func u64(_ v: UInt64) { append(v) }
    mutating func i8(_ v: Int8) { bytes.append(UInt8(bitPattern: v)) }
    mutating func i16(_ v: Int16) { append(v) }
    mutating func i32(_ v: Int32) { append(v) }
    mutating func i64(_ v: Int64) { append(v) }
    mutating func f32(_ v: Float) { append(v.bitPattern) }
    mutating func f64(_ v: Double) { append(v.bitPattern) }
    mutating func raw(_ v: [UInt8]) { bytes += v }
    mutating func ascii(_ text: String) { bytes += Array(text.utf8) }
    mutating func zeros(_ count: Int) { bytes += [UInt8](repeating: 0, count: count) }
    /// Pads with zeros to a multiple of `alignment`.
    mutating func align(_ alignment: Int) { while bytes.count % alignment != 0 { bytes.append(0) } }

    private mutating func append<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.littleEndian) { bytes += $0 }
    }
}

/// Runs `body`, expecting a `FormatError` whose message contains every one of `fragments`
/// (case-sensitive). Returns the error for further checks.
@discardableResult
func expectFormatError(_ fragments: [String], sourceLocation: SourceLocation = #_sourceLocation,
                       _ body: () throws -> Void) -> FormatError? {
    do {
        try body()
        Issue.record("expected a FormatError mentioning \(fragments), but nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as FormatError {
        let message = error.description
        for fragment in fragments where !message.contains(fragment) {
            Issue.record("error message does not mention '\(fragment)': \(message)", sourceLocation: sourceLocation)
        }
        return error
    } catch {
        Issue.record("expected a FormatError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// The repository root (two folders above this file's folder).
let repositoryRoot: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path

/// Writes `contents` to a fresh temporary file called `name`, opens it with `open`, and expects a
/// `FormatError` whose message names the file (its path) and contains every one of `fragments`.
@discardableResult
func expectMalformedFile(_ name: String, _ contents: [UInt8], mentions fragments: [String],
                         sourceLocation: SourceLocation = #_sourceLocation,
                         open: (String) throws -> Void) -> FormatError? {
    let directory: TemporaryDirectory
    let path: String
    do {
        directory = try TemporaryDirectory()
        path = try directory.write(name, contents)
    } catch {
        Issue.record("could not write the test file: \(error)", sourceLocation: sourceLocation)
        return nil
    }
    defer { withExtendedLifetime(directory) {} }
    return expectFormatError([path] + fragments, sourceLocation: sourceLocation) { try open(path) }
}

/// Every prefix of `contents` shorter than the whole must be refused with a `FormatError`
/// naming the file (none may crash or be accepted).
func expectEveryTruncationRefused(_ name: String, _ contents: [UInt8], stride step: Int = 1,
                                  sourceLocation: SourceLocation = #_sourceLocation, open: (String) throws -> Void) throws {
    let directory = try TemporaryDirectory()
    for length in Swift.stride(from: 0, to: contents.count, by: step) {
        let path = try directory.write("\(length)-\(name)", Array(contents[..<length]))
        do {
            try open(path)
            Issue.record("a file cut to \(length) of \(contents.count) bytes was accepted", sourceLocation: sourceLocation)
        } catch let error as FormatError {
            if !error.description.contains(path) {
                Issue.record("message does not name the file: \(error)", sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("not a FormatError: \(error)", sourceLocation: sourceLocation)
        }
    }
}

/// A small deterministic random generator (SplitMix64) for mutation tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Array where Element == UInt8 {
    mutating func patchU16(at offset: Int, _ value: UInt16) {
        self[offset] = UInt8(value & 0xFF); self[offset + 1] = UInt8(value >> 8)
    }
    mutating func patchU32(at offset: Int, _ value: UInt32) {
        for i in 0..<4 { self[offset + i] = UInt8((value >> (8 * UInt32(i))) & 0xFF) }
    }
    mutating func patchU64(at offset: Int, _ value: UInt64) {
        for i in 0..<8 { self[offset + i] = UInt8((value >> (8 * UInt64(i))) & 0xFF) }
    }
    func u32(at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(self[offset + $1]) << (8 * UInt32($1)) }
    }
}

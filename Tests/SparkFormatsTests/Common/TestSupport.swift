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

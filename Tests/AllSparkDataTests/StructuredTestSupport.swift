import Foundation
import Testing
@testable import AllSparkData

/// A fresh temporary folder for one test's files, removed when the value is released.
final class StructuredTempFolder {
    let path: String

    init() throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("allspark-structured-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// Writes bytes and returns the path.
    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let target = file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: target))
        return target
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, bytes: Array(text.utf8))
    }

    /// A subfolder (for "a folder where a file is expected").
    @discardableResult
    func folder(_ name: String) throws -> String {
        let target = file(name)
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        return target
    }
}

/// Runs `body`, expects a `DataError`, and checks that its message names `file` (when given)
/// and contains every fragment in `mentions` (case-insensitive). Returns the message.
@discardableResult
func expectLoadError(file: String?, mentions: [String], sourceLocation: SourceLocation = #_sourceLocation,
                     _ body: () throws -> Void) -> String {
    do {
        try body()
        Issue.record("expected a DataError mentioning \(mentions), but nothing was thrown", sourceLocation: sourceLocation)
        return ""
    } catch let error as DataError {
        let message = error.description
        if let file {
            #expect(message.contains(file), "message does not name the file: \(message)", sourceLocation: sourceLocation)
        }
        for fragment in mentions {
            #expect(message.lowercased().contains(fragment.lowercased()), "message lacks '\(fragment)': \(message)", sourceLocation: sourceLocation)
        }
        return message
    } catch {
        Issue.record("expected a DataError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
        return ""
    }
}

/// Small limits for the "file far larger than allowed" tests.
func structuredLimits(fileBytes: Int = 64, points: Int = 10_000_000, rows: Int = 5_000_000) -> LoadLimits {
    var limits = LoadLimits()
    limits.maxFileBytes = fileBytes
    limits.maxPoints = points
    limits.maxRows = rows
    return limits
}

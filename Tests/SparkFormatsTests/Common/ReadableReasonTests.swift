import Foundation
import Testing
import SparkFormats

/// `readableReason` / `readableError`: Foundation's real file errors on this system become one
/// line with the reason (and, for `readableError`, the path), never a dump of domain and user info.
@Suite struct ReadableReasonTests {
    /// A fresh folder holding one small file, "plain"; removed after `body`.
    static func inFolder(_ body: (_ folder: String, _ file: String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("readable-reason-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/plain"))
        try body(folder, folder + "/plain")
    }

    /// The error `operation` throws (nil, and a recorded issue, when it succeeds).
    static func failure(_ operation: () throws -> Void) -> Error? {
        do { try operation() } catch { return error }
        Issue.record("the operation succeeded")
        return nil
    }

    static func isOneReadableLine(_ text: String) -> Bool {
        !text.contains("NSCocoaErrorDomain") && !text.contains("UserInfo") && !text.contains("\n") && !text.isEmpty
    }

    @Test func aFolderUnderAFileIsRefusedWithAReason() throws {
        try Self.inFolder { _, file in
            let error = try #require(Self.failure { try FileManager.default.createDirectory(atPath: file + "/sub", withIntermediateDirectories: true) })
            let text = readableError(error)
            #expect(Self.isOneReadableLine(text) && text.contains("plain"), "one line naming the path: \(text)")
        }
    }

    @Test func aMissingFileIsNamedAsMissing() throws {
        try Self.inFolder { folder, _ in
            let error = try #require(Self.failure { _ = try Data(contentsOf: URL(fileURLWithPath: folder + "/absent.json")) })
            #expect(readableReason(error).lowercased().contains("no such file"), "\(readableReason(error))")
            #expect(readableError(error).hasPrefix(folder + "/absent.json: "), "\(readableError(error))")
        }
    }

    @Test func aFolderReadAsAFileSaysItMayBeAFolder() throws {
        try Self.inFolder { folder, _ in
            let error = try #require(Self.failure { _ = try Data(contentsOf: URL(fileURLWithPath: folder)) })
            let text = readableReason(error)
            #expect(Self.isOneReadableLine(text) && (text.contains("folder") || text.lowercased().contains("directory")), "\(text)")
        }
    }

    @Test func aFileInTheWayOfAFolderIsNamed() throws {
        try Self.inFolder { _, file in
            let error = try #require(Self.failure { try FileManager.default.createDirectory(atPath: file, withIntermediateDirectories: true) })
            #expect(readableError(error) == file + ": a file of that name is in the way", "\(readableError(error))")
        }
    }

    /// Errors that are not Foundation's keep their own description.
    @Test func ourOwnErrorsKeepTheirDescription() {
        let error = FormatError.malformed(file: "a.npy", field: "header", problem: "too short", expected: "128 bytes")
        #expect(readableError(error) == error.description)
        #expect(readableReason(error) == error.description)
    }
}

import Foundation
import Testing
import SparkFormats

/// `readableReason` / `readableError`: Foundation's real file errors on this system become one
/// line with the reason (and, for `readableError`, the path), never a dump of domain and user info.
@Suite struct ReadableReasonTests {
    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("readable-reason-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func isOneReadableLine(_ text: String) -> Bool {
        !text.contains("NSCocoaErrorDomain") && !text.contains("UserInfo") && !text.contains("\n") && !text.isEmpty
    }

    @Test func aFolderUnderAFileIsRefusedWithAReason() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/plain"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        do {
            try FileManager.default.createDirectory(atPath: file + "/sub", withIntermediateDirectories: true)
            Issue.record("a folder was made under a file")
        } catch {
            let text = readableError(error)
            #expect(Self.isOneReadableLine(text), "\(text)")
            #expect(text.contains("plain"), "names the path: \(text)")
        }
    }

    @Test func aMissingFileIsNamedAsMissing() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            _ = try Data(contentsOf: URL(fileURLWithPath: folder + "/absent.json"))
            Issue.record("read a file that is not there")
        } catch {
            #expect(readableReason(error).lowercased().contains("no such file"), "\(readableReason(error))")
            #expect(readableError(error).hasPrefix(folder + "/absent.json: "), "\(readableError(error))")
        }
    }

    @Test func aFolderReadAsAFileSaysItMayBeAFolder() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            _ = try Data(contentsOf: URL(fileURLWithPath: folder))
            Issue.record("read a folder as a file")
        } catch {
            let text = readableReason(error)
            #expect(Self.isOneReadableLine(text), "\(text)")
            #expect(text.contains("folder") || text.lowercased().contains("directory"), "\(text)")
        }
    }

    @Test func aFileInTheWayOfAFolderIsNamed() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/taken"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        do {
            try FileManager.default.createDirectory(atPath: file, withIntermediateDirectories: true)
            Issue.record("made a folder where a file is")
        } catch {
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

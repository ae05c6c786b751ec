import Foundation
import SparkFormats

/// Reading files whose size is checked first: every loader goes through here, so a path that is a
/// folder, an empty file or a file above `LoadLimits.maxFileBytes` is refused before any byte is read.
enum BoundedFile {
    /// The size of the regular file at `path`, or an error naming what the path is instead.
    static func size(of path: String, what: String) throws -> Int {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError.unreadable(file: path, problem: "no such file; expected \(what)")
        }
        if isDirectory.boolValue {
            throw DataError.unreadable(file: path, problem: "is a folder; expected \(what)")
        }
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw DataError.unreadable(file: path, problem: "cannot read its attributes: \(readableReason(error))")
        }
        guard let size = (attributes[.size] as? NSNumber)?.intValue else {
            throw DataError.unreadable(file: path, problem: "its size is unknown; expected \(what)")
        }
        return size
    }

    /// All bytes of `path` after checking it is a non-empty regular file within `limits.maxFileBytes`.
    static func bytes(at path: String, what: String, limits: LoadLimits) throws -> [UInt8] {
        let size = try size(of: path, what: what)
        guard size > 0 else {
            throw DataError.malformed(file: path, problem: "the file is empty; expected \(what)")
        }
        guard size <= limits.maxFileBytes else {
            throw DataError.unreadable(file: path, problem: "the file has \(size) bytes, more than the allowed \(limits.maxFileBytes); expected \(what) within that limit")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DataError.unreadable(file: path, problem: "cannot be opened for reading")
        }
        defer { try? handle.close() }
        let data: Data
        do { data = try handle.read(upToCount: size) ?? Data() } catch {
            throw DataError.unreadable(file: path, problem: "read failed: \(readableReason(error))")
        }
        // The file may have changed between the size check and the read; trust what was read.
        guard !data.isEmpty else {
            throw DataError.malformed(file: path, problem: "the file is empty; expected \(what)")
        }
        return [UInt8](data)
    }

    /// Checks that `path` is an existing folder (not a file).
    static func requireDirectory(_ path: String, what: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError.unreadable(file: path, problem: "no such folder; expected \(what)")
        }
        guard isDirectory.boolValue else {
            throw DataError.unreadable(file: path, problem: "is a file; expected a folder with \(what)")
        }
    }

    /// Names in a folder, sorted, without hidden entries.
    static func listing(of path: String) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path).filter { !$0.hasPrefix(".") }.sorted()
        } catch {
            throw DataError.unreadable(file: path, problem: "cannot list the folder: \(readableReason(error))")
        }
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}

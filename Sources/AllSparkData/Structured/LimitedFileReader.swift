import Foundation
import SparkFormats

/// Reads a whole sample file, after checking — before anything is allocated — that the path is a
/// regular file, not empty, and within `LoadLimits.maxFileBytes`. Every structured loader reads
/// through here so the "folder instead of a file" and "file too large" errors read the same.
enum LimitedFileReader {
    /// The file's bytes. `expected` says what the file should be ("UTF-8 text", "a PLY point cloud")
    /// and ends each error message.
    static func read(_ path: String, limits: LoadLimits, expected: String) throws -> [UInt8] {
        let size = try checkedSize(path, limits: limits, expected: expected)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DataError.unreadable(file: path, problem: "cannot be opened for reading; expected \(expected)")
        }
        defer { try? handle.close() }
        let data: Data
        do { data = try handle.read(upToCount: size) ?? Data() } catch {
            throw DataError.unreadable(file: path, problem: "read failed (\(readableReason(error))); expected \(expected)")
        }
        // A file that shrank between the size check and the read is reported, not half-parsed.
        guard data.count == size else {
            throw DataError.unreadable(file: path, problem: "changed size while being read (\(size) bytes, then \(data.count)); expected \(expected)")
        }
        return [UInt8](data)
    }

    /// The size of a regular, non-empty file within the limit; otherwise an error naming the problem.
    static func checkedSize(_ path: String, limits: LoadLimits, expected: String) throws -> Int {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError.unreadable(file: path, problem: "no such file; expected \(expected)")
        }
        if isDirectory.boolValue {
            throw DataError.unreadable(file: path, problem: "is a folder; expected a file holding \(expected)")
        }
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw DataError.unreadable(file: path, problem: "cannot be inspected (\(readableReason(error))); expected \(expected)")
        }
        if let type = attributes[.type] as? FileAttributeType, type != .typeRegular {
            throw DataError.unreadable(file: path, problem: "is not a regular file (\(type.rawValue)); expected \(expected)")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        if size == 0 {
            throw DataError.malformed(file: path, problem: "is empty (0 bytes); expected \(expected)")
        }
        if size > limits.maxFileBytes {
            throw DataError.unreadable(file: path, problem: "is \(size) bytes, more than the limit of \(limits.maxFileBytes) bytes (LoadLimits.maxFileBytes); expected \(expected) within the limit")
        }
        return size
    }
}

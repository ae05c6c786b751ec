import Foundation
import SparkFormats

/// Sequential reading of a large file in pieces (header lines, then fixed-size records), so that a
/// loader that needs the first frames of a long video does not read the whole file.
final class ChunkedFileReader {
    let path: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0          // index of the next unread byte in `buffer`
    private(set) var offset = 0       // bytes consumed from the start of the file
    private var atEnd = false

    init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DataError.unreadable(file: path, problem: "cannot be opened for reading")
        }
        self.path = path
        self.handle = handle
    }

    deinit { try? handle.close() }

    private func fill(minimum: Int) throws {
        while buffer.count - position < minimum && !atEnd {
            let chunk: Data
            do { chunk = try handle.read(upToCount: max(1 << 16, minimum)) ?? Data() } catch {
                throw DataError.unreadable(file: path, problem: "read failed: \(readableReason(error))")
            }
            if chunk.isEmpty { atEnd = true; break }
            if position > 0 { buffer.removeFirst(position); position = 0 }
            buffer.append(contentsOf: chunk)
        }
    }

    /// True when no byte is left.
    func isAtEnd() throws -> Bool {
        try fill(minimum: 1)
        return position >= buffer.count
    }

    /// The bytes up to (not including) the next newline, consumed with it; nil when the newline
    /// does not come within `maxLength` bytes or the file ends first.
    func readLine(maxLength: Int) throws -> [UInt8]? {
        var scanned = 0
        while true {
            try fill(minimum: scanned + 1)
            let available = buffer.count - position
            while scanned < available && scanned <= maxLength {
                if buffer[position + scanned] == 0x0A {
                    let line = Array(buffer[position..<(position + scanned)])
                    position += scanned + 1
                    offset += scanned + 1
                    return line
                }
                scanned += 1
            }
            if scanned > maxLength || atEnd { return nil }
        }
    }

    /// Exactly `count` bytes, or fewer when the file ends first.
    func read(count: Int) throws -> [UInt8] {
        try fill(minimum: count)
        let n = min(count, buffer.count - position)
        let bytes = Array(buffer[position..<(position + n)])
        position += n
        offset += n
        return bytes
    }
}

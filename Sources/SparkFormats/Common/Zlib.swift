import CZlib

/// The parts of zlib that zip archives need: CRC-32 and raw deflate streams (no zlib or gzip
/// wrapper, which is what `inflateInit2` with -15 window bits selects).
enum Zlib {
    static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc: uLong = CZlib.crc32(0, nil, 0)
        var offset = 0
        // zlib takes a 32-bit length; feed large buffers in pieces.
        while offset < bytes.count {
            let piece = min(bytes.count - offset, 1 << 30)
            crc = CZlib.crc32(crc, bytes.baseAddress!.advanced(by: offset).assumingMemoryBound(to: Bytef.self), uInt(piece))
            offset += piece
        }
        return UInt32(truncatingIfNeeded: crc)
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { crc32($0) }
    }

    /// Inflates a raw deflate stream that must produce exactly `expectedSize` bytes.
    /// More output than declared, less, or a corrupt stream is an error naming `file` and `field`.
    static func inflateRaw(_ input: UnsafeRawBufferPointer, expectedSize: Int, file: String, field: String) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw FormatError.io(file: file, operation: "start zlib's inflate for \(field)", reason: "inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }

        // One spare byte of output shows whether the stream holds more than it declared.
        var output = [UInt8](repeating: 0, count: expectedSize + 1)
        var dummyInput: UInt8 = 0
        let status: Int32 = output.withUnsafeMutableBytes { out in
            withUnsafeMutablePointer(to: &dummyInput) { dummy in
                stream.next_in = input.count > 0
                    ? UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self))
                    : dummy
                stream.avail_in = uInt(input.count)
                stream.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(out.count)
                return inflate(&stream, Z_FINISH)
            }
        }
        let produced = Int(stream.total_out)
        switch status {
        case Z_STREAM_END where produced == expectedSize:
            output.removeLast()
            return output
        case Z_STREAM_END:
            throw FormatError.malformed(file: file, field: field, problem: "the deflate stream inflates to \(produced) bytes",
                                        expected: "the declared uncompressed size, \(expectedSize) bytes")
        case Z_DATA_ERROR:
            let message = stream.msg.map { String(cString: $0) } ?? "invalid data"
            throw FormatError.malformed(file: file, field: field, problem: "corrupt deflate stream (\(message))",
                                        expected: "valid deflate data")
        case Z_BUF_ERROR, Z_OK:
            let problem = produced > expectedSize
                ? "the deflate stream inflates to more than the declared \(expectedSize) bytes"
                : "the deflate stream ends early, after \(produced) bytes (the data looks truncated)"
            throw FormatError.malformed(file: file, field: field, problem: problem,
                                        expected: "a complete stream of the declared uncompressed size, \(expectedSize) bytes")
        default:
            throw FormatError.malformed(file: file, field: field, problem: "zlib's inflate failed with status \(status)",
                                        expected: "valid deflate data")
        }
    }

    /// Compresses `input` as a raw deflate stream (default level).
    static func deflateRaw(_ input: UnsafeRawBufferPointer, file: String) throws -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY,
                            zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw FormatError.io(file: file, operation: "start zlib's deflate", reason: "deflateInit2 failed")
        }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count)))
        var output = [UInt8](repeating: 0, count: bound)
        var dummyInput: UInt8 = 0
        let status: Int32 = output.withUnsafeMutableBytes { out in
            withUnsafeMutablePointer(to: &dummyInput) { dummy in
                stream.next_in = input.count > 0
                    ? UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self))
                    : dummy
                stream.avail_in = uInt(input.count)
                stream.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(out.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else {
            throw FormatError.io(file: file, operation: "deflate", reason: "zlib's deflate returned status \(status)")
        }
        output.removeSubrange(Int(stream.total_out)...)
        return output
    }
}

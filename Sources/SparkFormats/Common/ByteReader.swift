/// A cursor over bytes read from a file, for parsing headers: every read checks that the bytes
/// are there first, and a short read throws an error naming the file and the field being read.
/// Multi-byte values are little-endian and may sit at any alignment.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    let file: String
    private(set) var offset: Int

    init(_ bytes: UnsafeRawBufferPointer, file: String, offset: Int = 0) {
        self.bytes = bytes
        self.file = file
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }

    /// Throws unless `count` more bytes are available.
    func require(_ count: Int, for field: @autoclosure () -> String) throws {
        if count < 0 || count > remaining {
            throw FormatError.malformed(
                file: file, field: field(),
                problem: "the data ends at byte \(bytes.count), inside this field (it needs \(count) bytes at offset \(offset))",
                expected: "a complete field (the file looks truncated)")
        }
    }

    mutating func skip(_ count: Int, field: @autoclosure () -> String) throws {
        try require(count, for: field())
        offset += count
    }

    mutating func seek(to newOffset: Int, field: @autoclosure () -> String) throws {
        if newOffset < 0 || newOffset > bytes.count {
            throw FormatError.malformed(file: file, field: field(),
                                        problem: "offset \(newOffset) is outside the data (\(bytes.count) bytes)",
                                        expected: "an offset within the file")
        }
        offset = newOffset
    }

    /// The next `count` bytes, as a view into the underlying buffer.
    mutating func slice(_ count: Int, field: @autoclosure () -> String) throws -> UnsafeRawBufferPointer {
        try require(count, for: field())
        let view = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
        offset += count
        return view
    }

    @inline(__always)
    private mutating func load<T: FixedWidthInteger>(_: T.Type, _ field: () -> String) throws -> T {
        let size = MemoryLayout<T>.size
        try require(size, for: field())
        let value = T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += size
        return value
    }

    mutating func u8(_ field: @autoclosure () -> String) throws -> UInt8 { try load(UInt8.self, field) }
    mutating func u16(_ field: @autoclosure () -> String) throws -> UInt16 { try load(UInt16.self, field) }
    mutating func u32(_ field: @autoclosure () -> String) throws -> UInt32 { try load(UInt32.self, field) }
    mutating func u64(_ field: @autoclosure () -> String) throws -> UInt64 { try load(UInt64.self, field) }
    mutating func i8(_ field: @autoclosure () -> String) throws -> Int8 { try load(Int8.self, field) }
    mutating func i16(_ field: @autoclosure () -> String) throws -> Int16 { try load(Int16.self, field) }
    mutating func i32(_ field: @autoclosure () -> String) throws -> Int32 { try load(Int32.self, field) }
    mutating func i64(_ field: @autoclosure () -> String) throws -> Int64 { try load(Int64.self, field) }
    mutating func f32(_ field: @autoclosure () -> String) throws -> Float { Float(bitPattern: try load(UInt32.self, field)) }
    mutating func f64(_ field: @autoclosure () -> String) throws -> Double { Double(bitPattern: try load(UInt64.self, field)) }
}

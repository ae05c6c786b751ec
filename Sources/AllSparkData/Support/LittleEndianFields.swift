/// Little-endian fields read out of a whole file's bytes at a byte offset, for binary formats with
/// fixed layouts (LAS). Every byte is read through the array's checked subscript: a reader that
/// validated its offsets against the file size reads only what it meant to, and one that did not
/// traps instead of reading memory it does not own.
extension Array where Element == UInt8 {
    func littleEndianUInt16(at offset: Int) -> UInt16 {
        UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
    }

    func littleEndianUInt32(at offset: Int) -> UInt32 {
        UInt32(littleEndianUInt16(at: offset)) | UInt32(littleEndianUInt16(at: offset + 2)) << 16
    }

    func littleEndianUInt64(at offset: Int) -> UInt64 {
        UInt64(littleEndianUInt32(at: offset)) | UInt64(littleEndianUInt32(at: offset + 4)) << 32
    }

    func littleEndianInt32(at offset: Int) -> Int32 { Int32(bitPattern: littleEndianUInt32(at: offset)) }

    func littleEndianFloat64(at offset: Int) -> Double { Double(bitPattern: littleEndianUInt64(at: offset)) }
}

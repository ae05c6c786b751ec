/// Reads PLY body values one at a time, from binary little-endian bytes or ascii tokens, with
/// errors that say which element and property ran short or held a bad value.
enum PLYBodyCursor {
    case ascii(PLYAsciiCursor)
    case binary(PLYBinaryCursor)

    /// A finite value as Float (any scalar type).
    mutating func number(_ type: PLYReader.ScalarType, _ context: () -> String) throws -> Float {
        let value: Double
        let file: String
        switch self {
        case .ascii(var cursor): value = try cursor.next(type, context); file = cursor.file; self = .ascii(cursor)
        case .binary(var cursor): value = try cursor.next(type, context); file = cursor.file; self = .binary(cursor)
        }
        let single = Float(value)
        guard single.isFinite else {
            throw DataError.malformed(file: file, problem: "\(context()): value \(value) is not a finite Float; expected finite numbers (no NaN or Inf)")
        }
        return single
    }

    /// An integer value (list counts and indices), which must be whole.
    mutating func integer(_ type: PLYReader.ScalarType, _ context: () -> String) throws -> Int {
        let value: Double
        let file: String
        switch self {
        case .ascii(var cursor): value = try cursor.next(type, context); file = cursor.file; self = .ascii(cursor)
        case .binary(var cursor): value = try cursor.next(type, context); file = cursor.file; self = .binary(cursor)
        }
        guard value.isFinite, value == value.rounded(), abs(value) < 1e15 else {
            throw DataError.malformed(file: file, problem: "\(context()): value \(value) is not a whole number; expected an integer")
        }
        return Int(value)
    }

    /// Fails when bytes (binary) or values (ascii) are left over after the last element.
    func expectEnd() throws {
        switch self {
        case .ascii(var cursor): try cursor.expectEnd()
        case .binary(let cursor): try cursor.expectEnd()
        }
    }
}

struct PLYBinaryCursor {
    let bytes: [UInt8]
    var offset: Int
    let file: String

    mutating func next(_ type: PLYReader.ScalarType, _ context: () -> String) throws -> Double {
        guard offset + type.size <= bytes.count else {
            throw DataError.malformed(file: file, problem: "body ends early at \(context()) (byte \(offset) of \(bytes.count)); expected the file to hold every element its header declares")
        }
        defer { offset += type.size }
        return bytes.withUnsafeBytes { raw -> Double in
            switch type {
            case .int8: return Double(raw.loadUnaligned(fromByteOffset: offset, as: Int8.self))
            case .uint8: return Double(raw[offset])
            case .int16: return Double(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int16.self)))
            case .uint16: return Double(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
            case .int32: return Double(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
            case .uint32: return Double(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            case .float32: return Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))))
            case .float64: return Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            }
        }
    }

    func expectEnd() throws {
        // Some writers end the body with a newline; more than that means the header undercounts.
        let left = bytes.count - offset
        if left > 1 || (left == 1 && bytes[offset] != UInt8(ascii: "\n")) {
            throw DataError.malformed(file: file, problem: "\(left) bytes follow the last element declared in the header; expected the body to end there (header counts wrong?)")
        }
    }
}

struct PLYAsciiCursor {
    let bytes: [UInt8]
    var offset: Int
    let file: String

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    /// The next whitespace-separated token, or nil at the end.
    private mutating func token() -> ArraySlice<UInt8>? {
        while offset < bytes.count && Self.isSpace(bytes[offset]) { offset += 1 }
        guard offset < bytes.count else { return nil }
        let start = offset
        while offset < bytes.count && !Self.isSpace(bytes[offset]) { offset += 1 }
        return bytes[start..<offset]
    }

    private func lineNumber(at position: Int) -> Int {
        bytes[..<min(position, bytes.count)].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
    }

    mutating func next(_ type: PLYReader.ScalarType, _ context: () -> String) throws -> Double {
        guard let token = token() else {
            throw DataError.malformed(file: file, problem: "body ends early at \(context()); expected the file to hold every element its header declares")
        }
        let text = String(decoding: token, as: UTF8.self)
        guard let value = Double(text) else {
            throw DataError.malformed(file: file, problem: "line \(lineNumber(at: offset)), \(context()): '\(text)' is not a number; expected a \(type.rawValue) value")
        }
        guard value.isFinite else {
            throw DataError.malformed(file: file, problem: "line \(lineNumber(at: offset)), \(context()): value '\(text)' is not finite; expected finite numbers (no NaN or Inf)")
        }
        if type.isInteger && value != value.rounded() {
            throw DataError.malformed(file: file, problem: "line \(lineNumber(at: offset)), \(context()): '\(text)' is not a whole number; expected a \(type.rawValue) value")
        }
        return value
    }

    mutating func expectEnd() throws {
        if let extra = token() {
            throw DataError.malformed(file: file, problem: "line \(lineNumber(at: offset)): value '\(String(decoding: extra.prefix(20), as: UTF8.self))' follows the last element declared in the header; expected the body to end there (header counts wrong?)")
        }
    }
}

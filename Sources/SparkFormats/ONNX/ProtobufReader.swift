/// Protocol Buffers' wire format, read field by field from a bounded slice of bytes.
///
/// ONNX files are protobuf messages. Only a handful of ONNX's fields matter here (the graph's
/// nodes and initialisers), so a reader of the wire format is enough — no generated code: each
/// message is a sequence of (field number, wire type, value) records, and a nested message is a
/// length-delimited value read with a reader of its own. Every length is checked against the bytes
/// that are left before it is used, so a lying length is an error, never a read past the end.
struct ProtobufReader {
    enum WireType: UInt64 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, startGroup = 3, endGroup = 4, fixed32 = 5
    }

    /// One record: its field number and where its value lies.
    struct Field {
        let number: UInt64
        let wireType: WireType
        /// The value of a varint field (and of fixed32/fixed64 fields, as their bits).
        let integer: UInt64
        /// The bytes of a length-delimited field (empty for the others).
        let bytes: UnsafeRawBufferPointer
    }

    private var reader: ByteReader
    let file: String
    /// The message being read, for messages ("graph.node[3]").
    let context: String

    init(_ bytes: UnsafeRawBufferPointer, file: String, context: String) {
        reader = ByteReader(bytes, file: file)
        self.file = file; self.context = context
    }

    var isAtEnd: Bool { reader.remaining == 0 }

    /// The next record, or nil at the end of the message.
    mutating func next() throws -> Field? {
        guard !isAtEnd else { return nil }
        let key = try varint("field key")
        let number = key >> 3
        guard number > 0, let wireType = WireType(rawValue: key & 7) else {
            throw malformed("field key \(key)", problem: "field number \(number), wire type \(key & 7)",
                            expected: "a field number ≥ 1 and wire type 0, 1, 2 or 5")
        }
        switch wireType {
        case .varint:
            return Field(number: number, wireType: wireType, integer: try varint("field \(number)"), bytes: Self.empty)
        case .fixed64:
            return Field(number: number, wireType: wireType, integer: try reader.u64("\(context) field \(number)"), bytes: Self.empty)
        case .fixed32:
            return Field(number: number, wireType: wireType, integer: UInt64(try reader.u32("\(context) field \(number)")), bytes: Self.empty)
        case .lengthDelimited:
            let length = try varint("field \(number) length")
            guard length <= UInt64(reader.remaining) else {
                throw malformed("field \(number) length", problem: "\(length) bytes, but only \(reader.remaining) are left in the message",
                                expected: "a length inside the message")
            }
            return Field(number: number, wireType: wireType, integer: 0,
                         bytes: try reader.slice(Int(length), field: "\(context) field \(number)"))
        case .startGroup, .endGroup:
            throw FormatError.unsupported(file: file, field: "\(context) field \(number)", feature: "protobuf groups (wire types 3 and 4)",
                                          supported: "varint, fixed32, fixed64 and length-delimited fields")
        }
    }

    /// A base-128 varint: at most 10 bytes, the tenth holding only the top bit.
    mutating func varint(_ field: @autoclosure () -> String) throws -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<10 {
            let byte = try reader.u8("\(context) \(field())")
            if index == 9 && byte > 1 {
                throw malformed(field(), problem: "a varint longer than 64 bits", expected: "at most 10 bytes encoding 64 bits")
            }
            value |= UInt64(byte & 0x7F) << (7 * UInt64(index))
            if byte & 0x80 == 0 { return value }
        }
        throw malformed(field(), problem: "a varint longer than 10 bytes", expected: "at most 10 bytes encoding 64 bits")
    }

    func malformed(_ field: String, problem: String, expected: String) -> FormatError {
        .malformed(file: file, field: "\(context) \(field)", problem: problem, expected: expected)
    }

    private static let empty = UnsafeRawBufferPointer(start: nil, count: 0)
}

extension ProtobufReader.Field {
    /// A string field's UTF-8 text (invalid sequences replaced, so a name can always be shown).
    var string: String { String(decoding: bytes, as: UTF8.self) }

    /// A signed int64 field (two's complement in a varint, as protobuf's `int64`).
    var int64: Int64 { Int64(bitPattern: integer) }

    /// The int64 values of a repeated field, whether packed (one length-delimited record) or not
    /// (this record alone). Appends to `values`; at most `limit` in all.
    func appendInt64s(to values: inout [Int64], limit: Int, file: String, context: String) throws {
        switch wireType {
        case .varint:
            values.append(int64)
        case .lengthDelimited:
            var packed = ProtobufReader(bytes, file: file, context: context)
            while !packed.isAtEnd { values.append(Int64(bitPattern: try packed.varint("packed value"))) }
        default:
            throw FormatError.malformed(file: file, field: "\(context) field \(number)", problem: "wire type \(wireType.rawValue)",
                                        expected: "a varint or a packed list of varints")
        }
        guard values.count <= limit else {
            throw FormatError.malformed(file: file, field: "\(context) field \(number)", problem: "more than \(limit) values",
                                        expected: "at most \(limit)")
        }
    }
}

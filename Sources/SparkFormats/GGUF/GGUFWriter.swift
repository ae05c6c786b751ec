import SparkEngine

/// Writes GGUF v3 files: metadata in the order set, tensors in the order added, each aligned.
/// Meant for small models in tests and tools; tensors are held in memory until `write`.
public struct GGUFWriter {
    public let alignment: Int
    private var metadata: [(key: String, value: GGUFValue)] = []
    private var tensors: [(info: (name: String, type: GGMLType, dimensions: [Int]), data: [UInt8])] = []

    /// `alignment` must be a power of two; when it is not 32 the writer records it as
    /// `general.alignment`.
    public init(alignment: Int = 32) {
        precondition(alignment > 0 && alignment & (alignment - 1) == 0 && alignment <= Int(UInt32.max),
                     "alignment \(alignment) is not a power of two")
        self.alignment = alignment
        if alignment != 32 { metadata.append(("general.alignment", .uint32(UInt32(alignment)))) }
    }

    /// Sets `key` (replacing an earlier value). Array elements must all have one type; an empty
    /// array is written as an array of INT32.
    public mutating func set(_ key: String, _ value: GGUFValue) {
        if let index = metadata.firstIndex(where: { $0.key == key }) {
            metadata[index].value = value
        } else {
            metadata.append((key, value))
        }
    }

    /// Adds a tensor from its raw bytes. `dimensions` are in ggml order (innermost first).
    public mutating func addTensor(_ name: String, type: GGMLType, dimensions: [Int], data: [UInt8]) throws {
        let field = "tensor '\(name)'"
        guard !tensors.contains(where: { $0.info.name == name }) else {
            throw FormatError.invalidArgument(file: "(GGUF writer)", field: field, problem: "the name is used twice")
        }
        guard dimensions.count <= 4, dimensions.allSatisfy({ $0 >= 0 }) else {
            throw FormatError.invalidArgument(file: "(GGUF writer)", field: field,
                                              problem: "dimensions \(dimensions): at most 4, none negative")
        }
        let count = dimensions.reduce(1, *)
        guard (dimensions.first ?? 1) % type.blockSize == 0, data.count == count / type.blockSize * type.bytesPerBlock else {
            throw FormatError.invalidArgument(file: "(GGUF writer)", field: field,
                                              problem: "\(data.count) bytes do not hold dimensions \(dimensions) of \(type.name) in whole rows of blocks")
        }
        tensors.append(((name, type, dimensions), data))
    }

    /// Adds `tensor` (row-major shape) encoded as `type` (F32, F16, BF16, Q8_0, Q4_0 or Q4_1).
    public mutating func addTensor(_ name: String, _ tensor: Tensor, as type: GGMLType = .f32) throws {
        try addTensor(name, type: type, dimensions: tensor.shape.reversed(),
                      data: GGMLQuantize.quantize(tensor.scalars, as: type))
    }

    /// The file's bytes.
    public func encode() throws -> [UInt8] {
        var out = LittleEndianBytes()
        out.bytes += Array("GGUF".utf8)
        out.u32(3)
        out.u64(UInt64(tensors.count))
        out.u64(UInt64(metadata.count))
        for (key, value) in metadata {
            out.string(key)
            try out.typedValue(value, key: key)
        }
        var offset = 0
        for (info, data) in tensors {
            out.string(info.name)
            out.u32(UInt32(info.dimensions.count))
            for d in info.dimensions { out.u64(UInt64(d)) }
            out.u32(info.type.rawValue)
            out.u64(UInt64(offset))
            offset = (offset + data.count + alignment - 1) / alignment * alignment
        }
        for (_, data) in tensors {
            out.pad(to: alignment)
            out.bytes += data
        }
        return out.bytes
    }

    public func write(to path: String) throws {
        try OutputFile.write(encode(), to: path)
    }
}

private extension LittleEndianBytes {
    mutating func u64(_ value: UInt64) { u32(UInt32(value & 0xFFFF_FFFF)); u32(UInt32(value >> 32)) }

    mutating func string(_ text: String) {
        u64(UInt64(text.utf8.count))
        bytes += Array(text.utf8)
    }

    mutating func pad(to alignment: Int) {
        bytes += repeatElement(0, count: (alignment - bytes.count % alignment) % alignment)
    }

    static func type(of value: GGUFValue) -> GGUFValueType {
        switch value {
        case .uint8: return .uint8
        case .int8: return .int8
        case .uint16: return .uint16
        case .int16: return .int16
        case .uint32: return .uint32
        case .int32: return .int32
        case .uint64: return .uint64
        case .int64: return .int64
        case .float32: return .float32
        case .float64: return .float64
        case .bool: return .bool
        case .string: return .string
        case .array: return .array
        }
    }

    mutating func typedValue(_ value: GGUFValue, key: String) throws {
        u32(LittleEndianBytes.type(of: value).rawValue)
        try payload(value, key: key)
    }

    mutating func payload(_ value: GGUFValue, key: String) throws {
        switch value {
        case .uint8(let v): bytes.append(v)
        case .int8(let v): bytes.append(UInt8(bitPattern: v))
        case .uint16(let v): u16(v)
        case .int16(let v): u16(UInt16(bitPattern: v))
        case .uint32(let v): u32(v)
        case .int32(let v): u32(UInt32(bitPattern: v))
        case .uint64(let v): u64(v)
        case .int64(let v): u64(UInt64(bitPattern: v))
        case .float32(let v): u32(v.bitPattern)
        case .float64(let v): u64(v.bitPattern)
        case .bool(let v): bytes.append(v ? 1 : 0)
        case .string(let v): string(v)
        case .array(let items):
            let elementType = items.first.map(LittleEndianBytes.type(of:)) ?? .int32
            guard items.allSatisfy({ LittleEndianBytes.type(of: $0) == elementType }) else {
                throw FormatError.invalidArgument(file: "(GGUF writer)", field: "metadata '\(key)'",
                                                  problem: "array elements of more than one type")
            }
            u32(elementType.rawValue)
            u64(UInt64(items.count))
            for item in items { try payload(item, key: key) }
        }
    }
}

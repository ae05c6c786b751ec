import SparkEngine

/// Writes safetensors files: F32, F16 or BF16 per tensor (narrowing rounds to nearest even),
/// tensors in the given order, the JSON header padded with spaces so that the data section
/// starts at a multiple of 8 bytes, as the reference implementation does.
public enum SafetensorsWriter {
    public static func write(_ tensors: [(name: String, tensor: Tensor, dtype: SafetensorsDType)],
                             metadata: [String: String], to path: String) throws {
        let header = try headerBytes(tensors, metadata: metadata, file: path)
        let output = try OutputFile(path: path)
        var length = UInt64(header.count).littleEndian
        try withUnsafeBytes(of: &length) { try output.write($0) }
        try output.write(header)
        for (_, tensor, dtype) in tensors {
            try output.write(encode(tensor, as: dtype))
        }
        try output.commit()
    }

    /// The whole file's bytes, as `write` would write them (for weights converted in memory).
    public static func bytes(_ tensors: [(name: String, tensor: Tensor, dtype: SafetensorsDType)],
                             metadata: [String: String], file: String) throws -> [UInt8] {
        let header = try headerBytes(tensors, metadata: metadata, file: file)
        var bytes = [UInt8]()
        bytes.reserveCapacity(8 + header.count + tensors.reduce(0) { $0 + $1.tensor.count * $1.dtype.itemSize })
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes += $0 }
        bytes += header
        for (_, tensor, dtype) in tensors { bytes += encode(tensor, as: dtype) }
        return bytes
    }

    /// The padded JSON header: "__metadata__" first (keys sorted, omitted when empty), then the
    /// tensors with consecutive data_offsets.
    static func headerBytes(_ tensors: [(name: String, tensor: Tensor, dtype: SafetensorsDType)],
                            metadata: [String: String], file: String) throws -> [UInt8] {
        var members: [(key: String, value: JSONValue)] = []
        if !metadata.isEmpty {
            members.append(("__metadata__", .object(metadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
        }
        var names = Set<String>()
        var offset = 0
        for (name, tensor, dtype) in tensors {
            guard !name.isEmpty, name != "__metadata__", names.insert(name).inserted else {
                throw FormatError.invalidArgument(file: file, field: "tensor name '\(name)'",
                                                  problem: "names must be non-empty, unique and not __metadata__")
            }
            guard dtype.isConvertibleToFloat else {
                throw FormatError.invalidArgument(file: file, field: "tensor '\(name)' dtype",
                                                  problem: "\(dtype.rawValue) cannot be written from Float32 (F32, F16 or BF16 can)")
            }
            let end = offset + tensor.count * dtype.itemSize
            members.append((name, .object([
                ("dtype", .string(dtype.rawValue)),
                ("shape", .array(tensor.shape.map { .integer($0) })),
                ("data_offsets", .array([.integer(offset), .integer(end)])),
            ])))
            offset = end
        }
        var bytes = Array(JSONValue.object(members).rendered().utf8)
        bytes += repeatElement(UInt8(ascii: " "), count: (8 - bytes.count % 8) % 8)
        return bytes
    }

    static func encode(_ tensor: Tensor, as dtype: SafetensorsDType) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: tensor.count * dtype.itemSize)
        bytes.withUnsafeMutableBytes { out in
            tensor.withUnsafeBufferPointer { values in
                for (i, value) in values.enumerated() {
                    switch dtype {
                    case .F16: out.storeBytes(of: HalfPrecision.f16(from: value).littleEndian, toByteOffset: 2 * i, as: UInt16.self)
                    case .BF16: out.storeBytes(of: HalfPrecision.bf16(from: value).littleEndian, toByteOffset: 2 * i, as: UInt16.self)
                    default: out.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self)
                    }
                }
            }
        }
        return bytes
    }
}

import SparkEngine

/// A safetensors file (Hugging Face's format), memory-mapped and validated on opening:
/// an 8-byte little-endian header length N, N bytes of JSON (tensor name → dtype, shape and
/// data_offsets; "__metadata__" → string map), then the data section.
public final class SafetensorsFile: @unchecked Sendable {
    public let path: String
    /// The header's "__metadata__" (empty if absent).
    public let metadata: [String: String]
    /// Tensors in data-offset order.
    public let tensors: [SafetensorsTensorInfo]
    /// Absolute offset of the data section (8 + N).
    public let dataOffset: Int
    public var fileSize: Int { mapped.bytes.count }

    /// The reference implementation refuses headers over 100 MB; so does this reader.
    public static let maximumHeaderSize = 100_000_000

    private let mapped: MappedFile
    private let index: [String: Int]

    public convenience init(path: String) throws {
        try self.init(mapped: try MappedFile(path: path))
    }

    /// A safetensors image made in memory (`SafetensorsWriter.bytes`), e.g. weights converted
    /// from another format; `path` names their source in messages.
    public convenience init(bytes: [UInt8], path: String) throws {
        try self.init(mapped: MappedFile(copying: bytes, path: path))
    }

    private init(mapped: MappedFile) throws {
        self.mapped = mapped
        let path = mapped.path
        self.path = path
        var reader = ByteReader(mapped.bytes, file: path)
        let declared = try reader.u64("header length")
        guard declared <= UInt64(reader.remaining) else {
            throw FormatError.malformed(file: path, field: "header length",
                                        problem: "\(declared) bytes of header runs past the end of the file (\(reader.remaining) bytes after the length)",
                                        expected: "a header inside the file")
        }
        guard declared <= UInt64(SafetensorsFile.maximumHeaderSize) else {
            throw FormatError.malformed(file: path, field: "header length", problem: "\(declared) bytes",
                                        expected: "at most \(SafetensorsFile.maximumHeaderSize) bytes")
        }
        let headerBytes = try reader.slice(Int(declared), field: "header")
        dataOffset = reader.offset
        let header = try JSONValue.parse(headerBytes, file: path, field: "header")
        let parsed = try SafetensorsFile.interpret(header, dataSize: mapped.bytes.count - dataOffset, file: path)
        metadata = parsed.metadata
        tensors = parsed.tensors
        index = Dictionary(uniqueKeysWithValues: parsed.tensors.enumerated().map { ($1.name, $0) })
    }

    public func info(_ name: String) -> SafetensorsTensorInfo? {
        index[name].map { tensors[$0] }
    }

    /// The tensor's bytes inside the mapping. `info` must come from this file.
    public func rawData(_ info: SafetensorsTensorInfo) -> UnsafeRawBufferPointer {
        precondition(dataOffset + info.dataOffsets.upperBound <= mapped.bytes.count,
                     "tensor '\(info.name)' does not belong to \(path)")
        return UnsafeRawBufferPointer(rebasing: mapped.bytes[(dataOffset + info.dataOffsets.lowerBound)..<(dataOffset + info.dataOffsets.upperBound)])
    }

    /// The tensor `name` converted to Float32 (F32, F16 and BF16; other dtypes are an error).
    public func tensor(_ name: String) throws -> Tensor {
        guard let info = info(name) else { throw FormatError.notFound(file: path, name: name, kind: "tensor") }
        guard info.dtype.isConvertibleToFloat else {
            throw FormatError.unsupported(file: path, field: "tensor '\(name)' dtype", feature: "converting \(info.dtype.rawValue) to Float32",
                                          supported: "F32, F16 and BF16")
        }
        let raw = rawData(info)
        let count = info.elementCount
        let scalars = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0, let source = raw.baseAddress, let destination = buffer.baseAddress {
                switch info.dtype {
                case .F16: HalfPrecision.widenF16(source, count: count, into: destination)
                case .BF16: HalfPrecision.widenBF16(source, count: count, into: destination)
                default:
                    for i in 0..<count {
                        destination[i] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 &* i, as: UInt32.self)))
                    }
                }
            }
            initialized = count
        }
        return Tensor(shape: info.shape, scalars: scalars)
    }

    /// Checks the header's structure and every tensor's dtype, shape and byte range.
    private static func interpret(_ header: JSONValue, dataSize: Int, file: String)
        throws -> (metadata: [String: String], tensors: [SafetensorsTensorInfo]) {
        guard let members = header.members else {
            throw FormatError.malformed(file: file, field: "header", problem: "the JSON is not an object",
                                        expected: "an object of tensor names")
        }
        var metadata: [String: String] = [:]
        var tensors: [SafetensorsTensorInfo] = []
        for (name, entry) in members {
            if name == "__metadata__" {
                guard let pairs = entry.members else {
                    throw FormatError.malformed(file: file, field: "__metadata__", problem: "not an object",
                                                expected: "an object of string values")
                }
                for (key, value) in pairs {
                    guard let text = value.string else {
                        throw FormatError.malformed(file: file, field: "__metadata__ '\(key)'", problem: "the value is not a string",
                                                    expected: "string values only")
                    }
                    metadata[key] = text
                }
                continue
            }
            tensors.append(try tensorInfo(name: name, entry: entry, dataSize: dataSize, file: file))
        }
        tensors.sort { ($0.dataOffsets.lowerBound, $0.dataOffsets.upperBound) < ($1.dataOffsets.lowerBound, $1.dataOffsets.upperBound) }
        for (first, second) in zip(tensors, tensors.dropFirst()) where first.dataOffsets.upperBound > second.dataOffsets.lowerBound {
            throw FormatError.malformed(file: file, field: "tensor '\(second.name)' data_offsets",
                                        problem: "bytes \(second.dataOffsets) overlap tensor '\(first.name)' (bytes \(first.dataOffsets))",
                                        expected: "tensors whose bytes do not overlap")
        }
        return (metadata, tensors)
    }

    private static func tensorInfo(name: String, entry: JSONValue, dataSize: Int, file: String) throws -> SafetensorsTensorInfo {
        let field = "tensor '\(name)'"
        guard entry.members != nil else {
            throw FormatError.malformed(file: file, field: field, problem: "the entry is not an object",
                                        expected: "{\"dtype\": ..., \"shape\": [...], \"data_offsets\": [begin, end]}")
        }
        guard let dtypeName = entry["dtype"]?.string else {
            throw FormatError.malformed(file: file, field: "\(field) dtype", problem: "missing or not a string", expected: "a dtype name such as \"F32\"")
        }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw FormatError.unsupported(file: file, field: "\(field) dtype", feature: "dtype '\(dtypeName)'",
                                          supported: SafetensorsDType.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard let shapeValues = entry["shape"]?.elements else {
            throw FormatError.malformed(file: file, field: "\(field) shape", problem: "missing or not an array", expected: "an array of sizes")
        }
        var shape: [Int] = []
        for (axis, value) in shapeValues.enumerated() {
            guard let size = value.int, size >= 0 else {
                throw FormatError.malformed(file: file, field: "\(field) shape[\(axis)]", problem: "not a non-negative integer that fits 64 bits",
                                            expected: "a size")
            }
            shape.append(size)
        }
        guard let offsets = entry["data_offsets"]?.elements, offsets.count == 2,
              let begin = offsets[0].int, let end = offsets[1].int, begin >= 0, end >= 0 else {
            throw FormatError.malformed(file: file, field: "\(field) data_offsets", problem: "missing or not two non-negative integers",
                                        expected: "[begin, end]")
        }
        guard begin <= end else {
            throw FormatError.malformed(file: file, field: "\(field) data_offsets", problem: "begin \(begin) is after end \(end)",
                                        expected: "begin ≤ end")
        }
        guard end <= dataSize else {
            throw FormatError.malformed(file: file, field: "\(field) data_offsets",
                                        problem: "end \(end) is past the end of the data section (\(dataSize) bytes)",
                                        expected: "offsets inside the data section (the file looks truncated)")
        }
        let elements = try CheckedSize.elementCount(shape, file: file, field: "\(field) shape")
        let bytes = try CheckedSize.multiply(elements, dtype.itemSize, file: file, field: "\(field) shape")
        guard bytes == end - begin else {
            throw FormatError.malformed(file: file, field: "\(field) data_offsets",
                                        problem: "\(end - begin) bytes for shape \(shape) of \(dtype.rawValue)",
                                        expected: "\(elements) × \(dtype.itemSize) = \(bytes) bytes")
        }
        return SafetensorsTensorInfo(name: name, dtype: dtype, shape: shape, dataOffsets: begin..<end)
    }
}

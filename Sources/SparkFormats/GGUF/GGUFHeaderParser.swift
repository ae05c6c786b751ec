/// Reads and validates everything in a GGUF file before the tensor data: magic, version,
/// metadata and tensor infos. Every count is bounded by the bytes left before anything is
/// allocated for it, every size is overflow-checked, and every tensor must lie, aligned, inside
/// the file without overlapping another.
///
/// Layout (gguf.h): "GGUF", u32 version, u64 tensor count, u64 metadata count, the metadata
/// (string key, u32 type, value), the tensor infos (string name, u32 dimension count, u64 per
/// dimension, u32 type, u64 offset), padding to the alignment, then the data section. Strings are
/// a u64 byte length and UTF-8 bytes. Everything is little-endian.
struct GGUFHeaderParser {
    struct Header {
        var version: UInt32
        var alignment: Int
        var metadata: [(key: String, value: GGUFValue)]
        var metadataTypes: [String: String]
        var tensors: [GGUFTensorInfo]
        var dataOffset: Int
    }

    static let magic: [UInt8] = Array("GGUF".utf8)
    static let defaultAlignment = 32
    /// ggml tensors have at most four dimensions (GGML_MAX_DIMS).
    static let maximumDimensions = 4
    /// Arrays of arrays deeper than this are not something any writer produces; the bound keeps
    /// the recursive reader's stack small.
    static let maximumArrayDepth = 8

    private var reader: ByteReader
    private var file: String { reader.file }

    static func parse(_ bytes: UnsafeRawBufferPointer, file: String) throws -> Header {
        var parser = GGUFHeaderParser(reader: ByteReader(bytes, file: file))
        return try parser.parseHeader()
    }

    private init(reader: ByteReader) { self.reader = reader }

    private mutating func parseHeader() throws -> Header {
        let magic = try reader.slice(4, field: "magic")
        guard Array(magic) == GGUFHeaderParser.magic else {
            throw FormatError.malformed(file: file, field: "magic", problem: "the file starts with \(NPY.hex(Array(magic)))",
                                        expected: "\"GGUF\" (47 47 55 46)")
        }
        let version = try reader.u32("version")
        switch version {
        case 2, 3: break
        case 1:
            throw FormatError.unsupported(file: file, field: "version", feature: "GGUF version 1", supported: "versions 2 and 3")
        default:
            let hint = version & 0xFFFF == 0 ? " (it looks byte-swapped: a big-endian file?)" : ""
            throw FormatError.unsupported(file: file, field: "version", feature: "GGUF version \(version)\(hint)",
                                          supported: "versions 2 and 3, little-endian")
        }
        let tensorCount = try count(try reader.u64("tensor count"), minimumSize: 8 + 4 + 4 + 8, field: "tensor count")
        let metadataCount = try count(try reader.u64("metadata count"), minimumSize: 8 + 4 + 1, field: "metadata count")

        var metadata: [(key: String, value: GGUFValue)] = []
        var metadataTypes: [String: String] = [:]
        metadata.reserveCapacity(metadataCount)
        for index in 0..<metadataCount {
            let key = try string(field: "metadata entry \(index) key")
            if metadataTypes[key] != nil {
                throw FormatError.malformed(file: file, field: "metadata key '\(key)'", problem: "the key appears twice",
                                            expected: "unique metadata keys")
            }
            let type = try valueType(field: "metadata '\(key)' type")
            var typeName = type.name
            let value = try self.value(of: type, field: "metadata '\(key)'", depth: 0, typeName: &typeName)
            metadata.append((key, value))
            metadataTypes[key] = typeName
        }

        let alignment = try GGUFHeaderParser.alignment(from: metadata, file: file)
        var tensors: [GGUFTensorInfo] = []
        var relativeOffsets: [Int] = []
        tensors.reserveCapacity(tensorCount)
        relativeOffsets.reserveCapacity(tensorCount)
        var names = Set<String>()
        for index in 0..<tensorCount {
            let (info, relative) = try tensorInfo(index: index, alignment: alignment)
            if !names.insert(info.name).inserted {
                throw FormatError.malformed(file: file, field: "tensor \(index) name", problem: "'\(info.name)' appears twice",
                                            expected: "unique tensor names")
            }
            tensors.append(info)
            relativeOffsets.append(relative)
        }

        // The data section starts at the first aligned offset after the tensor infos.
        let dataOffset = try CheckedSize.alignUp(reader.offset, to: alignment, file: file, field: "data section offset")
        let fileSize = reader.bytes.count
        if !tensors.isEmpty && dataOffset > fileSize {
            throw FormatError.malformed(file: file, field: "data section",
                                        problem: "the data section would start at \(dataOffset), past the end of the file (\(fileSize) bytes)",
                                        expected: "tensor data after the header (the file looks truncated)")
        }
        tensors = try zip(tensors, relativeOffsets).map { info, relative in
            let absolute = try CheckedSize.add(dataOffset, relative, file: file, field: "tensor '\(info.name)' offset")
            let end = try CheckedSize.add(absolute, info.byteCount, file: file, field: "tensor '\(info.name)' size")
            if end > fileSize {
                throw FormatError.malformed(file: file, field: "tensor '\(info.name)' offset",
                                            problem: "its \(info.byteCount) bytes at data offset \(relative) (file offset \(absolute)) end at \(end), past the end of the file (\(fileSize) bytes)",
                                            expected: "tensor data inside the file (the file looks truncated)")
            }
            return GGUFTensorInfo(name: info.name, type: info.type, dimensions: info.dimensions,
                                  offset: absolute, byteCount: info.byteCount)
        }
        try GGUFHeaderParser.checkNoOverlap(tensors, file: file)
        return Header(version: version, alignment: alignment, metadata: metadata, metadataTypes: metadataTypes,
                      tensors: tensors, dataOffset: dataOffset)
    }

    /// A count read from the file, refused if even the smallest encoding of that many items
    /// could not fit in the bytes that are left.
    private func count(_ value: UInt64, minimumSize: Int, field: String) throws -> Int {
        let limit = reader.remaining / minimumSize
        guard value <= UInt64(limit) else {
            throw FormatError.malformed(file: file, field: field,
                                        problem: "\(value) items cannot fit in the \(reader.remaining) bytes left (each takes at least \(minimumSize))",
                                        expected: "at most \(limit)")
        }
        return Int(value)
    }

    private mutating func string(field: @autoclosure () -> String) throws -> String {
        let length = try reader.u64("\(field()) (string length)")
        guard length <= UInt64(reader.remaining) else {
            throw FormatError.malformed(file: file, field: "\(field()) (string length)",
                                        problem: "length \(length) runs past the end of the file (\(reader.remaining) bytes left)",
                                        expected: "a string inside the file")
        }
        let raw = try reader.slice(Int(length), field: field())
        let text = String(decoding: raw, as: UTF8.self)
        // Decoding replaces invalid sequences; if the bytes changed, the string was not UTF-8.
        guard text.utf8.count == raw.count && text.utf8.elementsEqual(raw) else {
            throw FormatError.malformed(file: file, field: field(), problem: "the string is not valid UTF-8",
                                        expected: "UTF-8 text")
        }
        return text
    }

    private mutating func valueType(field: @autoclosure () -> String) throws -> GGUFValueType {
        let raw = try reader.u32(field())
        guard let type = GGUFValueType(rawValue: raw) else {
            throw FormatError.malformed(file: file, field: field(), problem: "unknown value type id \(raw)",
                                        expected: "a type id from 0 to 12")
        }
        return type
    }

    /// Reads one value of `type`. `typeName` is extended with array element types ("ARRAY[STRING]").
    private mutating func value(of type: GGUFValueType, field: @autoclosure () -> String, depth: Int,
                                typeName: inout String) throws -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try reader.u8(field()))
        case .int8: return .int8(try reader.i8(field()))
        case .uint16: return .uint16(try reader.u16(field()))
        case .int16: return .int16(try reader.i16(field()))
        case .uint32: return .uint32(try reader.u32(field()))
        case .int32: return .int32(try reader.i32(field()))
        case .uint64: return .uint64(try reader.u64(field()))
        case .int64: return .int64(try reader.i64(field()))
        case .float32: return .float32(try reader.f32(field()))
        case .float64: return .float64(try reader.f64(field()))
        case .bool:
            let byte = try reader.u8(field())
            guard byte <= 1 else {
                throw FormatError.malformed(file: file, field: field(), problem: "boolean byte is \(byte)", expected: "0 or 1")
            }
            return .bool(byte == 1)
        case .string:
            return .string(try string(field: field()))
        case .array:
            if depth >= GGUFHeaderParser.maximumArrayDepth {
                throw FormatError.malformed(file: file, field: field(),
                                            problem: "arrays nested more than \(GGUFHeaderParser.maximumArrayDepth) deep",
                                            expected: "at most \(GGUFHeaderParser.maximumArrayDepth) levels of arrays")
            }
            let elementType = try valueType(field: "\(field()) (array element type)")
            let elementCount = try count(try reader.u64("\(field()) (array length)"),
                                         minimumSize: elementType.minimumEncodedSize, field: "\(field()) (array length)")
            // The type name of nested arrays comes from their first element; the rest are read
            // into a scratch name (only arrays write to it).
            var elementTypeName = elementType.name
            var scratchTypeName = ""
            var items: [GGUFValue] = []
            items.reserveCapacity(elementCount)
            for index in 0..<elementCount {
                let item = index == 0
                    ? try value(of: elementType, field: "\(field()) element \(index)", depth: depth + 1, typeName: &elementTypeName)
                    : try value(of: elementType, field: "\(field()) element \(index)", depth: depth + 1, typeName: &scratchTypeName)
                items.append(item)
            }
            typeName = "ARRAY[\(elementTypeName)]"
            return .array(items)
        }
    }

    /// `general.alignment` must be a non-zero power of two stored as UINT32, as in ggml.
    private static func alignment(from metadata: [(key: String, value: GGUFValue)], file: String) throws -> Int {
        guard let entry = metadata.first(where: { $0.key == "general.alignment" }) else { return defaultAlignment }
        guard case .uint32(let value) = entry.value else {
            throw FormatError.malformed(file: file, field: "metadata 'general.alignment'",
                                        problem: "the value is not a UINT32", expected: "a UINT32 power of two")
        }
        guard value != 0 && value & (value - 1) == 0 else {
            throw FormatError.malformed(file: file, field: "metadata 'general.alignment'",
                                        problem: "\(value) is not a power of two", expected: "a non-zero power of two such as 32")
        }
        return Int(value)
    }

    /// One tensor info; returns it with its offset still relative to the data section.
    private mutating func tensorInfo(index: Int, alignment: Int) throws -> (GGUFTensorInfo, Int) {
        let name = try string(field: "tensor \(index) name")
        let field = "tensor \(index) '\(name)'"
        let dimensionCount = try reader.u32("\(field) dimension count")
        guard dimensionCount <= UInt32(GGUFHeaderParser.maximumDimensions) else {
            throw FormatError.malformed(file: file, field: "\(field) dimension count",
                                        problem: "\(dimensionCount) dimensions",
                                        expected: "at most \(GGUFHeaderParser.maximumDimensions) (ggml's limit)")
        }
        var dimensions: [Int] = []
        for axis in 0..<Int(dimensionCount) {
            let size = try reader.u64("\(field) dimension \(axis)")
            guard size <= UInt64(Int64.max) else {
                throw FormatError.malformed(file: file, field: "\(field) dimension \(axis)",
                                            problem: "\(size) is negative as ggml's int64", expected: "a non-negative size")
            }
            dimensions.append(Int(size))
        }
        let typeId = try reader.u32("\(field) type")
        guard let type = GGMLType(rawValue: typeId) else {
            throw FormatError.malformed(file: file, field: "\(field) type", problem: "unknown ggml type id \(typeId)",
                                        expected: "a ggml type id (0 F32, 1 F16, 8 Q8_0, 3 Q4_1 ...)")
        }
        let relativeOffset = try CheckedSize.int(try reader.u64("\(field) offset"), file: file, field: "\(field) offset")

        let elements = try CheckedSize.elementCount(dimensions, file: file, field: "\(field) dimensions")
        let rowLength = dimensions.first ?? 1
        guard rowLength % type.blockSize == 0 else {
            throw FormatError.malformed(file: file, field: "\(field) dimension 0",
                                        problem: "\(rowLength) elements per row is not a whole number of \(type.name) blocks",
                                        expected: "a multiple of \(type.blockSize)")
        }
        let byteCount = try CheckedSize.multiply(elements / type.blockSize, type.bytesPerBlock, file: file,
                                                 field: "\(field) size in bytes")
        // A tensor with a zero dimension holds nothing, but its row must still have a size: readers
        // step through the data a row at a time (found by fuzzing: 0 × 0 × 0 × 5.1e18 F32).
        _ = try CheckedSize.multiply(rowLength / type.blockSize, type.bytesPerBlock, file: file,
                                     field: "\(field) row size in bytes")
        guard relativeOffset % alignment == 0 else {
            throw FormatError.malformed(file: file, field: "\(field) offset",
                                        problem: "\(relativeOffset) is not a multiple of the alignment",
                                        expected: "a multiple of \(alignment)")
        }
        return (GGUFTensorInfo(name: name, type: type, dimensions: dimensions, offset: relativeOffset, byteCount: byteCount),
                relativeOffset)
    }

    private static func checkNoOverlap(_ tensors: [GGUFTensorInfo], file: String) throws {
        let sorted = tensors.filter { $0.byteCount > 0 }.sorted { $0.offset < $1.offset }
        for (first, second) in zip(sorted, sorted.dropFirst()) where first.offset + first.byteCount > second.offset {
            throw FormatError.malformed(file: file, field: "tensor '\(second.name)' offset",
                                        problem: "its data at file offset \(second.offset) overlaps tensor '\(first.name)' (bytes \(first.offset)..<\(first.offset + first.byteCount))",
                                        expected: "tensors whose data do not overlap")
        }
    }
}

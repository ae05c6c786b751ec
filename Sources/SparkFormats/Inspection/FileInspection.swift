/// What `allspark inspect` shows about a file: a few header facts, the metadata and the tensor
/// table, independent of how it is printed (see `InspectionReport`).
public struct FileInspection: Sendable {
    public struct Entry: Sendable {
        public var key: String
        /// The type as the format names it ("UINT32", "ARRAY[STRING]" ...).
        public var type: String
        public var value: JSONValue
    }

    public struct TensorRow: Sendable {
        public var index: Int
        public var name: String
        public var type: String
        /// Row-major shape (outermost first).
        public var shape: [Int]
        public var bytes: Int
        /// Format-specific columns for the JSON form (GGUF's ggml dimensions and offset ...).
        public var details: [(key: String, value: JSONValue)]
    }

    public var path: String
    public var format: FileFormat
    /// Header facts in order: ("version", 3), ("alignment", 32) ...
    public var facts: [(key: String, value: JSONValue)]
    /// A one-line summary of well-known keys, if the format has any.
    public var summary: String?
    public var metadata: [Entry]
    public var tensors: [TensorRow]

    /// Opens `path`, whatever its format, and collects what to show.
    public static func inspect(path: String) throws -> FileInspection {
        switch try FileFormat.detect(path: path) {
        case .gguf: return try inspect(GGUFFile(path: path))
        case .safetensors: return try inspect(SafetensorsFile(path: path))
        case .npy: return inspect(npy: try NPY.read(path: path), path: path)
        case .npz: return inspect(npz: try NPZ.read(path: path), path: path)
        case .onnx: return inspect(try ONNXModel(path: path))
        }
    }

    static func inspect(_ file: GGUFFile) -> FileInspection {
        let entries = file.metadata.map { Entry(key: $0.key, type: file.typeName(ofKey: $0.key) ?? "?", value: json($0.value)) }
        let rows = file.tensors.enumerated().map { index, info in
            TensorRow(index: index, name: info.name, type: info.type.name, shape: info.rowMajorShape, bytes: info.byteCount,
                      details: [("ggml_dimensions", .array(info.dimensions.map { .integer($0) })), ("offset", .integer(info.offset))])
        }
        let parameters = file.tensors.reduce(0) { $0 + $1.elementCount }
        return FileInspection(path: file.path, format: .gguf,
                              facts: [("version", .integer(file.version)), ("alignment", .integer(file.alignment)),
                                      ("file_size", .integer(file.fileSize)), ("data_offset", .integer(file.dataOffset)),
                                      ("parameters", .integer(parameters))],
                              summary: ggufSummary(file, parameters: parameters), metadata: entries, tensors: rows)
    }

    /// Well-known keys, as GGUF names them: general.architecture and its block_count and
    /// embedding_length, and the tokenizer's vocabulary.
    static func ggufSummary(_ file: GGUFFile, parameters: Int) -> String {
        var parts: [String] = []
        let architecture = file.value("general.architecture")?.string
        if let architecture {
            if let layers = file.value("\(architecture).block_count")?.int {
                parts.append("\(layers) layers (\(architecture).block_count)")
            }
            if let width = file.value("\(architecture).embedding_length")?.int {
                parts.append("width \(width) (\(architecture).embedding_length)")
            }
        }
        if let tokens = file.value("tokenizer.ggml.tokens")?.array?.count {
            parts.append("\(groupedDigits(tokens)) tokens (tokenizer.ggml.tokens)")
        }
        parts.append(file.tensors.count == 1 ? "1 tensor" : "\(file.tensors.count) tensors")
        return (architecture.map { "\($0): " } ?? "") + parts.joined(separator: ", ")
    }

    static func inspect(_ file: SafetensorsFile) -> FileInspection {
        let entries = file.metadata.sorted { $0.key < $1.key }.map { Entry(key: $0.key, type: "STRING", value: .string($0.value)) }
        let rows = file.tensors.enumerated().map { index, info in
            TensorRow(index: index, name: info.name, type: info.dtype.rawValue, shape: info.shape, bytes: info.byteCount,
                      details: [("data_offsets", .array([.integer(info.dataOffsets.lowerBound), .integer(info.dataOffsets.upperBound)]))])
        }
        let parameters = file.tensors.reduce(0) { $0 + $1.elementCount }
        return FileInspection(path: file.path, format: .safetensors,
                              facts: [("file_size", .integer(file.fileSize)), ("data_offset", .integer(file.dataOffset)),
                                      ("parameters", .integer(parameters))],
                              summary: nil,
                              metadata: entries, tensors: rows)
    }

    static func inspect(npy array: NumpyArray, path: String) -> FileInspection {
        FileInspection(path: path, format: .npy, facts: npyFacts(array), summary: nil, metadata: [],
                       tensors: [row(0, "(array)", array)])
    }

    static func inspect(npz arrays: [String: NumpyArray], path: String) -> FileInspection {
        let rows = arrays.keys.sorted().enumerated().map { row($0, $1, arrays[$1]!) }
        return FileInspection(path: path, format: .npz, facts: [("arrays", .integer(arrays.count))],
                              summary: nil, metadata: [], tensors: rows)
    }

    private static func npyFacts(_ array: NumpyArray) -> [(key: String, value: JSONValue)] {
        let order: String
        switch array.byteOrderAsRead {
        case .little: order = "little-endian"
        case .big: order = "big-endian"
        case .notApplicable: order = "n/a"
        }
        return [("byte_order", .string(order)), ("fortran_order", .bool(array.fortranOrderAsRead))]
    }

    private static func row(_ index: Int, _ name: String, _ array: NumpyArray) -> TensorRow {
        TensorRow(index: index, name: name, type: array.dtype.typeCode, shape: array.shape,
                  bytes: array.count * array.dtype.itemSize, details: [])
    }

    /// A GGUF value as JSON; float32 values print in their shortest float32 form (1e-05, not
    /// 9.999999747378752e-06).
    static func json(_ value: GGUFValue) -> JSONValue {
        switch value {
        case .uint8(let v): return .integer(v)
        case .int8(let v): return .integer(v)
        case .uint16(let v): return .integer(v)
        case .int16(let v): return .integer(v)
        case .uint32(let v): return .integer(v)
        case .int32(let v): return .integer(v)
        case .uint64(let v): return .integer(v)
        case .int64(let v): return .integer(v)
        case .float32(let v): return v.isFinite ? .number(shortest(v)) : .string(String(v))
        case .float64(let v): return .float(v)
        case .bool(let v): return .bool(v)
        case .string(let v): return .string(v)
        case .array(let items): return .array(items.map(json))
        }
    }

    private static func shortest(_ v: Float) -> String {
        if v == v.rounded() && abs(v) < 1e7 { return String(Int(v)) }
        return String(describing: v)
    }
}

/// 49152 → "49,152".
func groupedDigits(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var result = ""
    for (index, digit) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
        result.append(digit)
    }
    return (value < 0 ? "-" : "") + result
}

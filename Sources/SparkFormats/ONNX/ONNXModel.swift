import SparkEngine

/// An ONNX model file (`ModelProto`), memory-mapped: its version, operator sets, the graph's nodes
/// (name, operator, inputs, outputs), inputs and outputs, and its initialisers (the weights),
/// readable as Float32 tensors by name.
///
/// Only what a weight importer and `allspark inspect` need is decoded; node attributes, docs and
/// metadata are skipped. Weights stored outside the file (`external_data`) are refused.
public final class ONNXModel: @unchecked Sendable {
    public struct Node: Sendable, Equatable {
        public let name: String
        public let opType: String
        public let inputs: [String]
        public let outputs: [String]
    }

    /// A graph input or output: its name, element type and dimensions (a number, or a symbolic name).
    public struct ValueInfo: Sendable, Equatable {
        public let name: String
        public let elementType: ONNXDataType?
        public let dimensions: [String]
    }

    public struct Initialiser: @unchecked Sendable {
        public let name: String
        public let dataType: ONNXDataType
        public let shape: [Int]
        public let elementCount: Int
        /// `raw_data`, or the packed `float_data` (both little-endian), inside the mapping.
        let data: UnsafeRawBufferPointer
        public var byteCount: Int { data.count }
    }

    /// Bounds a lying file cannot push past (docs/LIMITS.md).
    public enum Limits {
        public static let nodes = 1_000_000
        public static let initialisers = 100_000
        public static let dimensions = 32
        public static let namesPerNode = 10_000
    }

    public let path: String
    public let irVersion: Int64
    public let producer: String
    /// (domain, version); the default domain is "".
    public let operatorSets: [(domain: String, version: Int64)]
    public let graphName: String
    public let nodes: [Node]
    public let inputs: [ValueInfo]
    public let outputs: [ValueInfo]
    public let initialisers: [Initialiser]
    public var fileSize: Int { mapped.bytes.count }

    private let mapped: MappedFile
    private let index: [String: Int]

    public init(path: String) throws {
        mapped = try MappedFile(path: path)
        self.path = path
        var model = ProtobufReader(mapped.bytes, file: path, context: "ModelProto")
        var irVersion: Int64 = 0, producer = "", operatorSets: [(String, Int64)] = []
        var graph: UnsafeRawBufferPointer?
        while let field = try model.next() {
            switch (field.number, field.wireType) {
            case (1, .varint): irVersion = field.int64
            case (2, .lengthDelimited): producer = field.string
            case (7, .lengthDelimited): graph = field.bytes
            case (8, .lengthDelimited): operatorSets.append(try Self.operatorSet(field.bytes, file: path))
            default: continue
            }
        }
        guard let graph else {
            throw FormatError.malformed(file: path, field: "ModelProto.graph", problem: "no graph (is this an ONNX model?)",
                                        expected: "a ModelProto with a graph (field 7)")
        }
        guard irVersion > 0 else {
            throw FormatError.malformed(file: path, field: "ModelProto.ir_version", problem: "missing or \(irVersion)",
                                        expected: "an IR version ≥ 1")
        }
        self.irVersion = irVersion; self.producer = producer; self.operatorSets = operatorSets
        let parsed = try GraphParser(file: path).parse(graph)
        graphName = parsed.name; nodes = parsed.nodes; inputs = parsed.inputs; outputs = parsed.outputs
        initialisers = parsed.initialisers
        var index: [String: Int] = [:]
        for (position, initialiser) in parsed.initialisers.enumerated() where index[initialiser.name] == nil {
            index[initialiser.name] = position
        }
        self.index = index
    }

    public func initialiser(_ name: String) -> Initialiser? { index[name].map { initialisers[$0] } }

    /// The initialiser `name` as Float32 (FLOAT, FLOAT16, BFLOAT16 and DOUBLE; others are an error).
    public func tensor(_ name: String) throws -> Tensor {
        guard let found = initialiser(name) else { throw FormatError.notFound(file: path, name: name, kind: "initialiser") }
        return try tensor(found)
    }

    public func tensor(_ initialiser: Initialiser) throws -> Tensor {
        let count = initialiser.elementCount, raw = initialiser.data
        guard let itemSize = initialiser.dataType.floatItemSize else {
            throw FormatError.unsupported(file: path, field: "initialiser '\(initialiser.name)' data_type",
                                          feature: "converting \(initialiser.dataType) to Float32", supported: "FLOAT, FLOAT16, BFLOAT16, DOUBLE")
        }
        guard raw.count == count * itemSize else {
            throw FormatError.malformed(file: path, field: "initialiser '\(initialiser.name)' data",
                                        problem: "\(raw.count) bytes for shape \(initialiser.shape)",
                                        expected: "\(count) × \(itemSize) = \(count * itemSize) bytes")
        }
        let scalars = [Float](unsafeUninitializedCapacity: count) { buffer, initialised in
            if count > 0, let source = raw.baseAddress, let destination = buffer.baseAddress {
                switch initialiser.dataType {
                case .float16: HalfPrecision.widenF16(source, count: count, into: destination)
                case .bfloat16: HalfPrecision.widenBF16(source, count: count, into: destination)
                case .double:
                    for i in 0..<count {
                        destination[i] = Float(Double(bitPattern: UInt64(littleEndian: source.loadUnaligned(fromByteOffset: 8 &* i, as: UInt64.self))))
                    }
                default:
                    for i in 0..<count {
                        destination[i] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 &* i, as: UInt32.self)))
                    }
                }
            }
            initialised = count
        }
        return Tensor(shape: initialiser.shape, scalars: scalars)
    }

    private static func operatorSet(_ bytes: UnsafeRawBufferPointer, file: String) throws -> (String, Int64) {
        var reader = ProtobufReader(bytes, file: file, context: "ModelProto.opset_import")
        var domain = "", version: Int64 = 0
        while let field = try reader.next() {
            switch (field.number, field.wireType) {
            case (1, .lengthDelimited): domain = field.string
            case (2, .varint): version = field.int64
            default: continue
            }
        }
        return (domain, version)
    }
}

/// ONNX's `TensorProto.DataType` values.
public enum ONNXDataType: Int64, Sendable, CustomStringConvertible {
    case float = 1, uint8 = 2, int8 = 3, uint16 = 4, int16 = 5, int32 = 6, int64 = 7, string = 8, bool = 9
    case float16 = 10, double = 11, uint32 = 12, uint64 = 13, complex64 = 14, complex128 = 15, bfloat16 = 16

    /// Bytes per element of the types `ONNXModel.tensor` converts to Float32; nil for the others.
    var floatItemSize: Int? {
        switch self {
        case .float: return 4
        case .float16, .bfloat16: return 2
        case .double: return 8
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .float: return "FLOAT"
        case .uint8: return "UINT8"
        case .int8: return "INT8"
        case .uint16: return "UINT16"
        case .int16: return "INT16"
        case .int32: return "INT32"
        case .int64: return "INT64"
        case .string: return "STRING"
        case .bool: return "BOOL"
        case .float16: return "FLOAT16"
        case .double: return "DOUBLE"
        case .uint32: return "UINT32"
        case .uint64: return "UINT64"
        case .complex64: return "COMPLEX64"
        case .complex128: return "COMPLEX128"
        case .bfloat16: return "BFLOAT16"
        }
    }
}

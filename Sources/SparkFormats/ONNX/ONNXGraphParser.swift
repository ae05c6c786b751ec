/// Decodes an ONNX `GraphProto`: nodes, inputs, outputs and initialisers (field numbers from
/// onnx.proto: GraphProto node 1, name 2, initializer 5, input 11, output 12; NodeProto input 1,
/// output 2, name 3, op_type 4; TensorProto dims 1, data_type 2, float_data 4, name 8, raw_data 9,
/// data_location 14; ValueInfoProto name 1, type 2).
struct GraphParser {
    let file: String

    struct Parsed {
        var name = ""
        var nodes: [ONNXModel.Node] = []
        var inputs: [ONNXModel.ValueInfo] = []
        var outputs: [ONNXModel.ValueInfo] = []
        var initialisers: [ONNXModel.Initialiser] = []
    }

    func parse(_ bytes: UnsafeRawBufferPointer) throws -> Parsed {
        var graph = ProtobufReader(bytes, file: file, context: "GraphProto")
        var parsed = Parsed()
        while let field = try graph.next() {
            guard field.wireType == .lengthDelimited else { continue }
            switch field.number {
            case 1:
                guard parsed.nodes.count < ONNXModel.Limits.nodes else { throw tooMany("node", ONNXModel.Limits.nodes) }
                parsed.nodes.append(try node(field.bytes, position: parsed.nodes.count))
            case 2: parsed.name = field.string
            case 5:
                guard parsed.initialisers.count < ONNXModel.Limits.initialisers else { throw tooMany("initializer", ONNXModel.Limits.initialisers) }
                parsed.initialisers.append(try initialiser(field.bytes, position: parsed.initialisers.count))
            case 11: parsed.inputs.append(try valueInfo(field.bytes, context: "GraphProto.input[\(parsed.inputs.count)]"))
            case 12: parsed.outputs.append(try valueInfo(field.bytes, context: "GraphProto.output[\(parsed.outputs.count)]"))
            default: continue
            }
        }
        return parsed
    }

    private func node(_ bytes: UnsafeRawBufferPointer, position: Int) throws -> ONNXModel.Node {
        let context = "GraphProto.node[\(position)]"
        var reader = ProtobufReader(bytes, file: file, context: context)
        var name = "", opType = "", inputs: [String] = [], outputs: [String] = []
        while let field = try reader.next() {
            guard field.wireType == .lengthDelimited else { continue }
            switch field.number {
            case 1: inputs.append(field.string)
            case 2: outputs.append(field.string)
            case 3: name = field.string
            case 4: opType = field.string
            default: continue
            }
            guard inputs.count + outputs.count <= ONNXModel.Limits.namesPerNode else {
                throw reader.malformed("inputs and outputs", problem: "more than \(ONNXModel.Limits.namesPerNode)",
                                       expected: "at most \(ONNXModel.Limits.namesPerNode)")
            }
        }
        return ONNXModel.Node(name: name, opType: opType, inputs: inputs, outputs: outputs)
    }

    private func initialiser(_ bytes: UnsafeRawBufferPointer, position: Int) throws -> ONNXModel.Initialiser {
        var reader = ProtobufReader(bytes, file: file, context: "GraphProto.initializer[\(position)]")
        var dims: [Int64] = [], dataType: Int64 = 0, name = ""
        var raw: UnsafeRawBufferPointer?, packedFloats: UnsafeRawBufferPointer?, external = false
        while let field = try reader.next() {
            switch (field.number, field.wireType) {
            case (1, _): try field.appendInt64s(to: &dims, limit: ONNXModel.Limits.dimensions, file: file, context: reader.context + ".dims")
            case (2, .varint): dataType = field.int64
            case (4, .lengthDelimited): packedFloats = field.bytes
            case (4, .fixed32):
                throw FormatError.unsupported(file: file, field: "\(reader.context) float_data", feature: "unpacked float_data",
                                              supported: "raw_data or packed float_data")
            case (8, .lengthDelimited): name = field.string
            case (9, .lengthDelimited): raw = field.bytes
            case (13, .lengthDelimited): external = true
            case (14, .varint): external = external || field.integer == 1
            default: continue
            }
        }
        let context = "initializer '\(name)'"
        if external {
            throw FormatError.unsupported(file: file, field: context, feature: "weights in an external data file",
                                          supported: "weights inside the .onnx file")
        }
        guard let type = ONNXDataType(rawValue: dataType) else {
            throw FormatError.malformed(file: file, field: "\(context) data_type", problem: "\(dataType)", expected: "an ONNX TensorProto.DataType (1–16)")
        }
        let shape = dims.compactMap { Int(exactly: $0) }
        guard shape.count == dims.count else {
            throw FormatError.malformed(file: file, field: "\(context) dims", problem: "\(dims)", expected: "dimensions that fit in Int")
        }
        let count = try CheckedSize.elementCount(shape, file: file, field: "\(context) dims")
        return ONNXModel.Initialiser(name: name, dataType: type, shape: shape, elementCount: count,
                                     data: raw ?? packedFloats ?? UnsafeRawBufferPointer(start: nil, count: 0))
    }

    /// ValueInfoProto → name, TypeProto.tensor_type (1) → elem_type (1), shape (2) → dim (1) →
    /// dim_value (1) or dim_param (2).
    private func valueInfo(_ bytes: UnsafeRawBufferPointer, context: String) throws -> ONNXModel.ValueInfo {
        var reader = ProtobufReader(bytes, file: file, context: context)
        var name = "", elementType: ONNXDataType?, dimensions: [String] = []
        while let field = try reader.next() {
            switch (field.number, field.wireType) {
            case (1, .lengthDelimited): name = field.string
            case (2, .lengthDelimited):
                var type = ProtobufReader(field.bytes, file: file, context: context + ".type")
                while let typeField = try type.next() {
                    guard typeField.number == 1, typeField.wireType == .lengthDelimited else { continue }
                    var tensor = ProtobufReader(typeField.bytes, file: file, context: context + ".type.tensor_type")
                    while let tensorField = try tensor.next() {
                        if tensorField.number == 1, tensorField.wireType == .varint { elementType = ONNXDataType(rawValue: tensorField.int64) }
                        if tensorField.number == 2, tensorField.wireType == .lengthDelimited {
                            dimensions = try shape(tensorField.bytes, context: context + ".type.tensor_type.shape")
                        }
                    }
                }
            default: continue
            }
        }
        return ONNXModel.ValueInfo(name: name, elementType: elementType, dimensions: dimensions)
    }

    private func shape(_ bytes: UnsafeRawBufferPointer, context: String) throws -> [String] {
        var reader = ProtobufReader(bytes, file: file, context: context)
        var dimensions: [String] = []
        while let field = try reader.next() {
            guard field.number == 1, field.wireType == .lengthDelimited else { continue }
            guard dimensions.count < ONNXModel.Limits.dimensions else { throw tooMany("\(context) dim", ONNXModel.Limits.dimensions) }
            var dimension = ProtobufReader(field.bytes, file: file, context: context + ".dim")
            var text = "?"
            while let value = try dimension.next() {
                if value.number == 1, value.wireType == .varint { text = String(value.int64) }
                if value.number == 2, value.wireType == .lengthDelimited { text = value.string }
            }
            dimensions.append(text)
        }
        return dimensions
    }

    private func tooMany(_ what: String, _ limit: Int) -> FormatError {
        .malformed(file: file, field: "GraphProto.\(what)", problem: "more than \(limit) entries", expected: "at most \(limit) (docs/LIMITS.md)")
    }
}

import Testing
@testable import SparkFormats

/// Our ONNX reader on small models written here field by field (protobuf's wire format), and on
/// lying and truncated ones: every problem is a FormatError naming the file and the field.
@Suite struct ONNXModelTests {
    /// Protobuf records: key = field << 3 | wire type; varints base 128, little end first.
    struct Message {
        var bytes: [UInt8] = []
        static func varint(_ value: UInt64) -> [UInt8] {
            var v = value, out: [UInt8] = []
            repeat { out.append(UInt8(v & 0x7F) | (v >= 0x80 ? 0x80 : 0)); v >>= 7 } while v > 0
            return out
        }
        mutating func integer(_ field: UInt64, _ value: UInt64) { bytes += Self.varint(field << 3) + Self.varint(value) }
        mutating func data(_ field: UInt64, _ value: [UInt8], claimedLength: UInt64? = nil) {
            bytes += Self.varint(field << 3 | 2) + Self.varint(claimedLength ?? UInt64(value.count)) + value
        }
        mutating func text(_ field: UInt64, _ value: String) { data(field, Array(value.utf8)) }
        mutating func message(_ field: UInt64, _ value: Message) { data(field, value.bytes) }
    }

    static func floats(_ values: [Float]) -> [UInt8] {
        values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
    }

    /// W: [2, 3] FLOAT (raw_data) and b: [3] (packed float_data), one MatMul node, input x [batch, 2].
    static func model(dims: [UInt64] = [2, 3], rawData: [UInt8]? = nil, external: Bool = false) -> [UInt8] {
        var weight = Message()
        for d in dims { weight.integer(1, d) }
        weight.integer(2, 1)
        weight.text(8, "W")
        weight.data(9, rawData ?? floats([1, 2, 3, 4, 5, 6]))
        if external { weight.integer(14, 1) }
        var bias = Message()
        bias.data(1, Message.varint(3))                 // packed dims
        bias.integer(2, 1)
        bias.text(8, "b")
        bias.data(4, floats([0.5, -0.5, 0.25]))          // packed float_data
        var node = Message()
        node.text(1, "x"); node.text(1, "W"); node.text(2, "y"); node.text(3, "/layer/MatMul"); node.text(4, "MatMul")
        var dimension0 = Message(); dimension0.text(2, "batch")
        var dimension1 = Message(); dimension1.integer(1, 2)
        var shape = Message(); shape.message(1, dimension0); shape.message(1, dimension1)
        var tensorType = Message(); tensorType.integer(1, 1); tensorType.message(2, shape)
        var type = Message(); type.message(1, tensorType)
        var input = Message(); input.text(1, "x"); input.message(2, type)
        var graph = Message()
        graph.message(1, node); graph.text(2, "tiny"); graph.message(5, weight); graph.message(5, bias); graph.message(11, input)
        var opset = Message(); opset.integer(2, 14)
        var model = Message()
        model.integer(1, 7); model.text(2, "test"); model.message(8, opset); model.message(7, graph)
        return model.bytes
    }

    @Test func readsNodesInitialisersAndInputs() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("tiny.onnx", Self.model())
        #expect(try FileFormat.detect(path: path) == .onnx)
        let model = try ONNXModel(path: path)
        #expect(model.irVersion == 7 && model.producer == "test" && model.graphName == "tiny")
        #expect(model.operatorSets.count == 1 && model.operatorSets[0].version == 14)
        #expect(model.nodes == [ONNXModel.Node(name: "/layer/MatMul", opType: "MatMul", inputs: ["x", "W"], outputs: ["y"])])
        #expect(model.inputs == [ONNXModel.ValueInfo(name: "x", elementType: .float, dimensions: ["batch", "2"])])
        let weight = try model.tensor("W")
        #expect(weight.shape == [2, 3] && weight.scalars == [1, 2, 3, 4, 5, 6])
        let bias = try model.tensor("b")
        #expect(bias.shape == [3] && bias.scalars == [0.5, -0.5, 0.25])
        let inspection = try FileInspection.inspect(path: path)
        #expect(inspection.format == .onnx && inspection.tensors.map(\.name) == ["W", "b"])
    }

    @Test func everyTruncationIsRefused() throws {
        try expectEveryTruncationRefused("tiny.onnx", Self.model()) { path in
            let model = try ONNXModel(path: path)
            _ = try model.tensor("W"); _ = try model.tensor("b")
        }
    }

    @Test func lyingSizesAreRefused() {
        // Data that does not fill the claimed shape, and a shape of 2⁶² × 2⁶² elements.
        expectMalformedFile("short.onnx", Self.model(rawData: Self.floats([1, 2, 3])), mentions: ["initialiser 'W'", "12 bytes"]) {
            _ = try ONNXModel(path: $0).tensor("W")
        }
        expectMalformedFile("huge.onnx", Self.model(dims: [1 << 62, 1 << 62]), mentions: ["initializer 'W' dims", "overflows"]) {
            _ = try ONNXModel(path: $0)
        }
        // A length-delimited field that claims 2⁶² bytes.
        var model = Message(); model.integer(1, 7); model.data(7, [0, 0], claimedLength: 1 << 62)
        expectMalformedFile("length.onnx", model.bytes, mentions: ["ModelProto field 7 length", "4611686018427387904"]) {
            _ = try ONNXModel(path: $0)
        }
        // An eleven-byte varint.
        expectMalformedFile("varint.onnx", [0x08] + [UInt8](repeating: 0xFF, count: 10) + [0x01], mentions: ["varint"]) {
            _ = try ONNXModel(path: $0)
        }
    }

    @Test func externalWeightsAndMissingGraphsAreRefusedClearly() {
        let external = expectFormatError(["initializer 'W'", "external data file"]) {
            let directory = try TemporaryDirectory()
            _ = try ONNXModel(path: try directory.write("external.onnx", Self.model(external: true)))
        }
        #expect(external != nil)
        var noGraph = Message(); noGraph.integer(1, 7); noGraph.text(2, "test")
        expectMalformedFile("nograph.onnx", noGraph.bytes, mentions: ["ModelProto.graph", "no graph"]) { _ = try ONNXModel(path: $0) }
    }
}

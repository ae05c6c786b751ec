extension FileInspection {
    /// An ONNX model: its versions and producer, the graph's inputs, outputs and operator counts,
    /// and the initialisers as the tensor table.
    static func inspect(_ model: ONNXModel) -> FileInspection {
        let rows = model.initialisers.enumerated().map { index, initialiser in
            TensorRow(index: index, name: initialiser.name, type: initialiser.dataType.description, shape: initialiser.shape,
                      bytes: initialiser.byteCount, details: [])
        }
        let parameters = model.initialisers.reduce(0) { $0 + $1.elementCount }
        let opsets = model.operatorSets.map { "\($0.domain.isEmpty ? "ai.onnx" : $0.domain) \($0.version)" }
        var entries = (model.inputs.map { ("input", $0) } + model.outputs.map { ("output", $0) }).map { kind, value in
            Entry(key: "\(kind) \(value.name)", type: value.elementType?.description ?? "?",
                  value: .string("[" + value.dimensions.joined(separator: ", ") + "]"))
        }
        var counts: [String: Int] = [:]
        for node in model.nodes { counts[node.opType, default: 0] += 1 }
        entries += counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map {
            Entry(key: "operator \($0.key)", type: "COUNT", value: .integer($0.value))
        }
        let summary = "graph '\(model.graphName)': \(groupedDigits(model.nodes.count)) nodes, "
            + "\(groupedDigits(model.initialisers.count)) initialisers, \(groupedDigits(parameters)) parameters"
        return FileInspection(path: model.path, format: .onnx,
                              facts: [("ir_version", .integer(Int(model.irVersion))), ("producer", .string(model.producer)),
                                      ("opsets", .string(opsets.joined(separator: ", "))), ("file_size", .integer(model.fileSize)),
                                      ("nodes", .integer(model.nodes.count)), ("parameters", .integer(parameters))],
                              summary: summary, metadata: entries, tensors: rows)
    }
}

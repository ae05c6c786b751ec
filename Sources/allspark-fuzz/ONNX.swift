#if ALLSPARK_FUZZ
import SparkFormats

extension FuzzTarget {
    /// The ONNX model (protobuf: graph, nodes, value infos, initialisers), every small initialiser
    /// as Float32, and the inspection that `allspark inspect` prints.
    static let onnx = FuzzTarget(name: "onnx", maxLength: 16 << 10) { bytes in
        let path = try FuzzFile.write(bytes, extension: "onnx")
        let model = try ONNXModel(path: path)
        for initialiser in model.initialisers where initialiser.elementCount <= 1 << 16 {
            _ = try? model.tensor(initialiser)
        }
        _ = try FileInspection.inspect(path: path)
    }
}
#endif

#if ALLSPARK_FUZZ
import SparkFormats

extension FuzzTarget {
    /// The GGUF header and tensor table; then every small tensor is dequantised, which checks that
    /// what the parser accepted really lies inside the file.
    static let gguf = FuzzTarget(name: "gguf", maxLength: 64 << 10) { bytes in
        let file = try GGUFFile(path: FuzzFile.write(bytes, extension: "gguf"))
        for info in file.tensors where info.type.isSupportedForDequantisation && info.elementCount <= 1 << 16 {
            _ = try file.dequantize(info)
        }
    }
}
#endif

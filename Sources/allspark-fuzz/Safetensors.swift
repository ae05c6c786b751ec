#if ALLSPARK_FUZZ
import SparkFormats

extension FuzzTarget {
    /// The safetensors header (length, JSON, tensor table); then every small tensor as Float32.
    static let safetensors = FuzzTarget(name: "safetensors", maxLength: 16 << 10) { bytes in
        let file = try SafetensorsFile(path: FuzzFile.write(bytes, extension: "safetensors"))
        for info in file.tensors where info.dtype.isConvertibleToFloat && info.elementCount <= 1 << 16 {
            _ = try file.tensor(info.name)
        }
    }
}
#endif

import SparkEngine
import SparkFormats

extension ParameterStore {
    /// Writes the parameters of `modules` (all modules when empty) to a safetensors file as
    /// `dtype`, with `metadata` (its module list is set to what is written). The file is written
    /// beside `path` and renamed into place, so a crash never leaves half a checkpoint. F32 round
    /// trips bit for bit; F16 and BF16 round to nearest even.
    public func save(to path: String, modules: [String] = [], dtype: SafetensorsDType = .F32,
                     metadata: CheckpointMetadata) throws {
        let tree = parameters
        let names = self.names().filter { modules.isEmpty || modules.contains(ParameterName.module(of: $0)) }
        var written = metadata
        var seen: [String] = []
        for name in names where !seen.contains(ParameterName.module(of: name)) { seen.append(ParameterName.module(of: name)) }
        written.modules = seen
        try SafetensorsWriter.write(names.map { (name: $0, tensor: tree[$0]!, dtype: dtype) },
                                    metadata: written.dictionary, to: path)
    }
}

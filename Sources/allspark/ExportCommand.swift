import AllSpark
import ArgumentParser
import Foundation
import SparkFormats

/// `allspark export`: a checkpoint rewritten in another float type (F16 for the committed weights).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Rewrite a safetensors checkpoint as F32, F16 or BF16, metadata kept.",
        discussion: """
            Every tensor is converted (round to nearest even); the metadata block is copied and \
            allspark.exported_from names the source file. Training writes F32 checkpoints; the \
            weights committed under weights/ are F16 copies made with this command.
            """)

    @Argument(help: "The checkpoint to read.") var input: String
    @Option(help: "Where to write it.") var out: String
    @Option(help: "F32, F16 or BF16.") var dtype: String = "F16"

    func validate() throws {
        guard let type = SafetensorsDType(rawValue: dtype), type.isConvertibleToFloat else {
            throw ValidationError("--dtype must be F32, F16 or BF16")
        }
    }

    func run() throws {
        try reportingErrors("export") {
            let file = try SafetensorsFile(path: input)
            let type = SafetensorsDType(rawValue: dtype)!
            var metadata = file.metadata
            metadata["allspark.exported_from"] = (input as NSString).lastPathComponent
            try SafetensorsWriter.write(try file.tensors.map { (name: $0.name, tensor: try file.tensor($0.name), dtype: type) },
                                        metadata: metadata, to: out)
            let bytes = (try? FileManager.default.attributesOfItem(atPath: out)[.size] as? Int) ?? 0
            let scalars = file.tensors.reduce(0) { $0 + $1.elementCount }
            print("\(out): \(file.tensors.count) tensors, \(scalars) parameters, \(bytes) bytes (\(type.rawValue))")
        }
    }
}

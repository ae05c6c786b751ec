import Foundation
import SparkFormats

/// One safetensors checkpoint opened for loading, and the modules it covers.
///
/// A checkpoint covers the modules its metadata lists (`allspark.modules`, comma-separated, as
/// `save` writes it); without that key, every module one of its tensors belongs to. For a covered
/// module loading is strict: each parameter must be in the file with the right shape and a float
/// dtype, and the file may hold nothing the module does not ask for.
public struct CheckpointSource: @unchecked Sendable {
    public static let modulesKey = "allspark.modules"

    public let file: SafetensorsFile
    public let modules: Set<String>

    public var path: String { file.path }

    public init(file: SafetensorsFile) {
        self.file = file
        if let listed = file.metadata[Self.modulesKey] {
            modules = Set(listed.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        } else {
            modules = Set(file.tensors.map { ParameterName.module(of: $0.name) })
        }
    }

    public init(path: String) throws {
        self.init(file: try SafetensorsFile(path: path))
    }

    public func covers(module: String) -> Bool { modules.contains(module) }
}

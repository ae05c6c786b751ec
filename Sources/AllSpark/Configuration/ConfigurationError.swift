/// A configuration that cannot be used. The message names the file, the key (as a dotted path,
/// e.g. `modalities.rgb.encoder.depth`) and what is allowed there.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    public var keyPath: String
    public var problem: String

    public init(file: String, keyPath: String, problem: String) {
        self.file = file; self.keyPath = keyPath; self.problem = problem
    }

    public var description: String {
        keyPath.isEmpty ? "\(file): \(problem)" : "\(file): \(keyPath): \(problem)"
    }
}

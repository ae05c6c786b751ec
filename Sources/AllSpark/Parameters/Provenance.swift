/// Where a component's weights come from. Every front end shows it next to the numbers the
/// component produced, so an untrained encoder's output is never mistaken for a prediction.
public enum Provenance: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Real pretrained weights (the language model).
    case pretrained(source: String)
    /// Every parameter came from this checkpoint file.
    case checkpoint(file: String)
    /// Some parameters came from the checkpoint, the rest were initialised.
    case partial(file: String, initialised: Int, total: Int, seed: UInt64)
    /// No trained weights: initialised from the documented seeded scheme.
    case untrained(seed: UInt64)

    public var description: String {
        switch self {
        case .pretrained(let source): return "pretrained: \(source)"
        case .checkpoint(let file): return "checkpoint: \(file)"
        case .partial(let file, let initialised, let total, let seed):
            return "partly untrained: \(total - initialised)/\(total) tensors from \(file), \(initialised) initialised (seed \(seed))"
        case .untrained(let seed): return "untrained (seed \(seed))"
        }
    }

    /// True only when every parameter is trained (pretrained or from a checkpoint).
    public var isTrained: Bool {
        switch self {
        case .pretrained, .checkpoint: return true
        case .partial, .untrained: return false
        }
    }
}

import Foundation
import SparkEngine
import SparkFormats

/// Hands out AllSpark's parameters by their PyTorch-style names (`encoders.rgb.blocks.3.attn.qkv.weight`):
/// from the checkpoint when it holds the name (shape checked), otherwise initialised.
///
/// Initialisation is seeded per tensor: the generator of a tensor is seeded with
/// `seed ^ FNV-1a-64(name)`, so a tensor's values depend only on the seed and its own name — adding
/// or reordering other parameters never changes it, and the same seed gives the same numbers on
/// every machine. The store records which names came from where, for provenance and for the
/// "missing / unexpected tensors" report.
public final class ParameterStore: @unchecked Sendable {
    public let seed: UInt64
    public let checkpoint: SafetensorsFile?
    private let lock = NSLock()
    private var loaded: Set<String> = []
    private var initialised: Set<String> = []

    public init(seed: UInt64, checkpoint: SafetensorsFile? = nil) {
        self.seed = seed; self.checkpoint = checkpoint
    }

    /// Opens the checkpoint at `path` when given.
    public convenience init(seed: UInt64, checkpointPath: String?) throws {
        try self.init(seed: seed, checkpoint: checkpointPath.map { try SafetensorsFile(path: $0) })
    }

    /// The tensor called `name` with `shape`.
    public func tensor(_ name: String, _ shape: [Int], _ initialiser: Initialiser) throws -> Tensor {
        if let checkpoint, let info = checkpoint.tensors.first(where: { $0.name == name }) {
            guard info.shape == shape else {
                throw ConfigurationError(file: checkpoint.path, keyPath: name,
                                         problem: "checkpoint tensor has shape \(info.shape); the configuration needs \(shape)")
            }
            let value = try checkpoint.tensor(name)
            record(name, loaded: true)
            return value
        }
        var generator = SeededRandomGenerator(seed: seed ^ Self.fnv1a(name))
        record(name, loaded: false)
        return initialiser.make(shape, generator: &generator)
    }

    private func record(_ name: String, loaded isLoaded: Bool) {
        lock.lock(); defer { lock.unlock() }
        if isLoaded { loaded.insert(name) } else { initialised.insert(name) }
    }

    /// Where the parameters under `prefix` came from.
    public func provenance(prefix: String) -> Provenance {
        lock.lock(); defer { lock.unlock() }
        let fromFile = loaded.filter { $0.hasPrefix(prefix) }.count
        let fresh = initialised.filter { $0.hasPrefix(prefix) }.count
        if fromFile == 0 { return .untrained(seed: seed) }
        let file = checkpoint?.path ?? "checkpoint"
        if fresh == 0 { return .checkpoint(file: file) }
        return .partial(file: file, initialised: fresh, total: fromFile + fresh, seed: seed)
    }

    /// Names requested but initialised (absent from the checkpoint), sorted.
    public var missingFromCheckpoint: [String] {
        lock.lock(); defer { lock.unlock() }
        return checkpoint == nil ? [] : initialised.sorted()
    }

    /// Checkpoint tensors under `prefix` that no component asked for (after the components under
    /// that prefix were built), sorted.
    public func unexpectedInCheckpoint(prefix: String = "") -> [String] {
        lock.lock(); defer { lock.unlock() }
        guard let checkpoint else { return [] }
        return checkpoint.tensors.map(\.name).filter { $0.hasPrefix(prefix) && !loaded.contains($0) }.sorted()
    }

    /// 64-bit FNV-1a of the UTF-8 bytes.
    public static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }
}

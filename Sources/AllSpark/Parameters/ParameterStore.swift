import Foundation
import SparkEngine
import SparkFormats

/// AllSpark's parameter tree: every parameter of the encoders, bridges, Lynx adapters and heads
/// under its PyTorch-style name (`encoders.rgb.blocks.3.attn.qkv.weight`), with its current value.
///
/// Components are built from the store: `tensor(_:_:_:)` hands out a parameter's value — the one
/// the tree already holds, else the checkpoint's when a checkpoint covers the parameter's module,
/// else a seeded initialisation — and records it. Training updates values in the tree
/// (`update(from:strict:)`) and components are rebuilt from it; `save` writes (part of) the tree
/// as a checkpoint.
///
/// Initialisation is seeded per tensor: the generator of a tensor is seeded with
/// `seed ^ FNV-1a-64(name)`, so a tensor's values depend only on the seed and its own name — adding
/// or reordering other parameters never changes it, and the same seed gives the same numbers on
/// every machine.
///
/// Loading is strict for the modules a checkpoint covers (see `CheckpointSource`): a missing
/// tensor, a wrong shape or dtype, or a tensor nothing asks for is a `CheckpointMismatch` listing
/// every offender, raised by `verify(modules:)` once the components of those modules are built.
/// Nothing is silently initialised in a module a checkpoint names.
public final class ParameterStore: @unchecked Sendable {
    public let seed: UInt64
    public let checkpoints: [CheckpointSource]
    private let lock = NSLock()
    private var values: [String: Tensor] = [:]
    /// Insertion order of `values`, so listings and saved files are in the order modules declare.
    private var order: [String] = []
    private var fromCheckpoint: [String: String] = [:]
    private var problems: [String: CheckpointMismatch.Problem] = [:]
    private var frozenPrefixes: [String] = []
    private var unfrozenPrefixes: [String] = []

    public init(seed: UInt64, checkpoints: [CheckpointSource] = []) {
        self.seed = seed; self.checkpoints = checkpoints
    }

    /// The store with the checkpoint at `path` when given.
    public convenience init(seed: UInt64, checkpointPath: String?) throws {
        try self.init(seed: seed, checkpointPaths: checkpointPath.map { [$0] } ?? [])
    }

    public convenience init(seed: UInt64, checkpointPaths: [String]) throws {
        self.init(seed: seed, checkpoints: try checkpointPaths.map { try CheckpointSource(path: $0) })
    }

    /// The first checkpoint's path, for messages (nil without a checkpoint).
    public var checkpointPath: String? { checkpoints.first?.path }

    // MARK: - Handing out parameters

    /// The parameter called `name` with `shape`.
    ///
    /// Never throws for a checkpoint problem (those are collected and reported together by
    /// `verify`); the initialised value stands in meanwhile, so construction can go on and find
    /// every other problem too.
    public func tensor(_ name: String, _ shape: [Int], _ initialiser: Initialiser) throws -> Tensor {
        lock.lock(); defer { lock.unlock() }
        if let existing = values[name] {
            guard existing.shape == shape else {
                throw ConfigurationError(file: checkpointPath ?? "parameters", keyPath: name,
                                         problem: "asked for with shape \(shape), but the tree holds shape \(existing.shape)")
            }
            return existing
        }
        let value = loadOrInitialise(name, shape, initialiser)
        values[name] = value
        order.append(name)
        return value
    }

    private func loadOrInitialise(_ name: String, _ shape: [Int], _ initialiser: Initialiser) -> Tensor {
        let module = ParameterName.module(of: name)
        if let source = checkpoints.first(where: { $0.covers(module: module) }) {
            if let info = source.file.info(name) {
                if !info.dtype.isConvertibleToFloat {
                    problems[name] = .wrongDType(name: name, found: info.dtype.rawValue)
                } else if info.shape != shape {
                    problems[name] = .wrongShape(name: name, found: info.shape, expected: shape)
                } else if let value = try? source.file.tensor(name) {
                    fromCheckpoint[name] = source.path
                    return value
                }
            } else {
                problems[name] = .missing(name: name, expectedShape: shape)
            }
        }
        var generator = SeededRandomGenerator(seed: seed ^ Self.fnv1a(name))
        return initialiser.make(shape, generator: &generator)
    }

    /// Throws one `CheckpointMismatch` naming every problem in `modules` (call it after their
    /// components are built): tensors missing from, wrongly shaped in, or left unused in the
    /// checkpoints that cover them, and modules two checkpoints both claim.
    public func verify(modules: [String]) throws {
        lock.lock(); defer { lock.unlock() }
        var found: [CheckpointMismatch.Problem] = []
        var files: Set<String> = []
        for module in modules {
            let sources = checkpoints.filter { $0.covers(module: module) }
            if sources.count > 1 {
                found.append(.coveredTwice(module: module, files: sources.map(\.path)))
                sources.forEach { files.insert($0.path) }
            }
            guard let source = sources.first else { continue }
            let requested = order.filter { ParameterName.module(of: $0) == module }
            for name in requested { if let problem = problems[name] { found.append(problem); files.insert(source.path) } }
            let asked = Set(requested)
            for info in source.file.tensors where ParameterName.module(of: info.name) == module && !asked.contains(info.name) {
                found.append(.unexpected(name: info.name, shape: info.shape))
                files.insert(source.path)
            }
        }
        if !found.isEmpty { throw CheckpointMismatch(files: files.sorted(), problems: found) }
    }

    // MARK: - The tree

    /// Every parameter handed out so far, by name.
    public var parameters: [String: Tensor] {
        lock.lock(); defer { lock.unlock() }
        return values
    }

    /// Names of the parameters under `prefix` (whole components), in declaration order.
    public func names(under prefix: String = "") -> [String] {
        lock.lock(); defer { lock.unlock() }
        return order.filter { ParameterName.isUnder($0, prefix: prefix) }
    }

    /// The parameters under `prefix`, by name.
    public func parameters(under prefix: String) -> [String: Tensor] {
        lock.lock(); defer { lock.unlock() }
        return values.filter { ParameterName.isUnder($0.key, prefix: prefix) }
    }

    /// Replaces parameter values. Strict: every name must already be in the tree with the same
    /// shape (one error lists every name that is not). Not strict: unknown names are added.
    /// Components built before the update keep the old values; rebuild them
    /// (`AllSparkModel.rebuildComponents`).
    public func update(from new: [String: Tensor], strict: Bool = true) throws {
        lock.lock(); defer { lock.unlock() }
        if strict {
            var found: [CheckpointMismatch.Problem] = []
            for (name, tensor) in new.sorted(by: { $0.key < $1.key }) {
                if let existing = values[name] {
                    if existing.shape != tensor.shape { found.append(.wrongShape(name: name, found: tensor.shape, expected: existing.shape)) }
                } else {
                    found.append(.unexpected(name: name, shape: tensor.shape))
                }
            }
            if !found.isEmpty { throw CheckpointMismatch(files: ["update"], problems: found) }
        }
        for (name, tensor) in new {
            if values[name] == nil { order.append(name) }
            values[name] = tensor
        }
    }

    // MARK: - Freezing

    /// Marks the parameters under each prefix frozen (not trained).
    public func freeze(_ prefixes: [String]) {
        lock.lock(); defer { lock.unlock() }
        frozenPrefixes += prefixes
        unfrozenPrefixes.removeAll { p in prefixes.contains(p) }
    }

    /// Undoes `freeze` for these prefixes (a later, more specific unfreeze wins over a freeze).
    public func unfreeze(_ prefixes: [String]) {
        lock.lock(); defer { lock.unlock() }
        unfrozenPrefixes += prefixes
    }

    public func isFrozen(_ name: String) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return isFrozenLocked(name)
    }

    private func isFrozenLocked(_ name: String) -> Bool {
        let frozen = frozenPrefixes.filter { ParameterName.isUnder(name, prefix: $0) }.map(\.count).max()
        let unfrozen = unfrozenPrefixes.filter { ParameterName.isUnder(name, prefix: $0) }.map(\.count).max()
        guard let frozen else { return false }
        return unfrozen.map { $0 < frozen } ?? true
    }

    /// The names of the trainable (not frozen) parameters under `prefix`, in declaration order.
    public func trainableNames(under prefix: String = "") -> [String] {
        lock.lock(); defer { lock.unlock() }
        return order.filter { ParameterName.isUnder($0, prefix: prefix) && !isFrozenLocked($0) }
    }

    // MARK: - Counts and provenance

    /// One row per module, in declaration order: tensors, scalars, and how many are trainable.
    public func counts(under prefix: String = "") -> [ModuleCount] {
        lock.lock(); defer { lock.unlock() }
        var rows: [ModuleCount] = []
        var index: [String: Int] = [:]
        for name in order where ParameterName.isUnder(name, prefix: prefix) {
            let module = ParameterName.module(of: name)
            if index[module] == nil { index[module] = rows.count; rows.append(ModuleCount(module: module)) }
            let scalars = values[name]!.count
            rows[index[module]!].tensors += 1
            rows[index[module]!].scalars += scalars
            if !isFrozenLocked(name) { rows[index[module]!].trainableScalars += scalars }
        }
        return rows
    }

    /// Where the parameters under `prefix` came from.
    public func provenance(prefix: String) -> Provenance {
        lock.lock(); defer { lock.unlock() }
        let names = order.filter { ParameterName.isUnder($0, prefix: prefix) }
        let loaded = names.filter { fromCheckpoint[$0] != nil }
        if loaded.isEmpty { return .untrained(seed: seed) }
        let file = fromCheckpoint[loaded[0]]!
        if loaded.count == names.count { return .checkpoint(file: file) }
        return .partial(file: file, initialised: names.count - loaded.count, total: names.count, seed: seed)
    }

    /// The checkpoint covering `module`, if any.
    public func checkpoint(covering module: String) -> CheckpointSource? {
        checkpoints.first { $0.covers(module: module) }
    }

    /// Names requested under a checkpoint-covered module that the checkpoint lacks, sorted.
    public var missingFromCheckpoint: [String] {
        lock.lock(); defer { lock.unlock() }
        return problems.compactMap { if case .missing = $0.value { return $0.key } else { return nil } }.sorted()
    }

    /// Checkpoint tensors under `prefix` that no component asked for (after the components under
    /// that prefix were built), sorted.
    public func unexpectedInCheckpoint(prefix: String = "") -> [String] {
        lock.lock(); defer { lock.unlock() }
        return checkpoints.flatMap { source in
            source.file.tensors.map(\.name).filter { ParameterName.isUnder($0, prefix: prefix) && values[$0] == nil }
        }.sorted()
    }

    /// 64-bit FNV-1a of the UTF-8 bytes.
    public static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }
}

/// A module's share of the parameter tree.
public struct ModuleCount: Equatable, Sendable {
    public var module: String
    public var tensors = 0
    public var scalars = 0
    public var trainableScalars = 0
}

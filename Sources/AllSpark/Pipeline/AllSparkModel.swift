import AllSparkData
import Foundation
import SparkEngine
import SparkLM

/// The parts of the model one modality uses.
public struct ModalityComponents: Sendable {
    public let modality: Modality
    public let section: ModalitySection
    /// nil for text and code (the tokenizer is their encoder).
    public let encoder: (any ModalityEncoder)?
    public let bridge: ModalityBridge?
    public let head: TaskHead
    public let encoderProvenance: Provenance?
    public let bridgeProvenance: Provenance?
    public let headProvenance: Provenance?
}

/// The whole AllSpark model for one configuration: the language model (loaded once, with its Lynx
/// adapters) and, built the first time a modality is used, that modality's encoder, bridge and
/// head. Only the modalities in use are allocated (a paper-size bridge alone is ~50 M parameters).
public final class AllSparkModel: @unchecked Sendable {
    public let configuration: AllSparkConfiguration
    public let languageModel: LanguageModel
    public let store: ParameterStore
    public private(set) var adapterProvenance: Provenance?
    private var built: [Modality: ModalityComponents] = [:]
    /// Adapter sets of the modalities whose section says `ownAdapters`, built on first use.
    private var ownAdapterSets: [Modality: (adapters: [Int: LynxAdapter], provenance: Provenance)] = [:]
    private var neighbours: EmbeddingNeighbours?
    private let lock = NSLock()
    /// Modules whose weights come from a pretrained file (the RGB backbone's ONNX): frozen, and
    /// never written into a trained checkpoint.
    public let pretrainedModules: Set<String>
    /// RMS of the token embeddings: the scale bridge outputs are initialised to.
    public let embeddingScale: Float

    public init(configuration: AllSparkConfiguration) throws {
        self.configuration = configuration
        guard let gguf = configuration.languageModel.gguf else {
            throw ConfigurationError(file: configuration.path, keyPath: "languageModel.gguf",
                                     problem: "missing; this configuration only describes shapes (use `allspark shapes`), it cannot run")
        }
        languageModel = try LanguageModel(path: gguf, maxContext: configuration.languageModel.maxContext)
        if configuration.languageModel.numerics == .reference { languageModel.decoder.numerics = .reference }
        // A pretrained RGB backbone (ONNX) is one more checkpoint, converted in memory, and frozen.
        let pretrained = try configuration.modalities[.rgb].flatMap { try RGBEncoder.pretrainedCheckpoint(section: $0) }
        store = ParameterStore(seed: configuration.seed,
                               checkpoints: try configuration.checkpoints.map { try CheckpointSource(path: $0) } + (pretrained.map { [$0] } ?? []))
        if let pretrained { store.freeze(Array(pretrained.modules)) }
        pretrainedModules = pretrained?.modules ?? []
        embeddingScale = Self.embeddingRMS(languageModel)
        try installAdapters()
    }

    /// Builds the Lynx adapters from the tree and puts them into the language model.
    private func installAdapters() throws {
        let (adapters, provenance) = try makeAdapters(module: ParameterName.sharedAdapters)
        languageModel.decoder.adapters = adapters
        adapterProvenance = adapters.isEmpty ? nil : provenance
    }

    /// One adapter set from the tree (module `llm.adapters` or `adapters.<modality>`), checked.
    private func makeAdapters(module: String) throws -> (adapters: [Int: LynxAdapter], provenance: Provenance) {
        let lm = languageModel.configuration
        let adapters = try LynxAdapter.makeAll(store, module: module, frequency: configuration.languageModel.adapterFrequency,
                                               layers: lm.layerCount, width: lm.width)
        if !adapters.isEmpty { try store.verify(modules: [module]) }
        return (adapters, store.provenance(prefix: module))
    }

    /// The module of the adapters `modality` runs with: its own set or the shared one.
    public func adapterModule(_ modality: Modality) throws -> String {
        try configuration.section(modality).ownAdapters ? ParameterName.ownAdapters(ofModality: modality.rawValue) : ParameterName.sharedAdapters
    }

    /// The Lynx adapters `modality` runs the language model with (its own set, built on first use,
    /// or the shared set in the decoder), and where their values came from.
    public func adapters(_ modality: Modality) throws -> (adapters: [Int: LynxAdapter], provenance: Provenance?) {
        guard try configuration.section(modality).ownAdapters else { return (languageModel.decoder.adapters, adapterProvenance) }
        lock.lock(); defer { lock.unlock() }
        if let existing = ownAdapterSets[modality] { return existing }
        let made = try makeAdapters(module: ParameterName.ownAdapters(ofModality: modality.rawValue))
        ownAdapterSets[modality] = made
        return (made.adapters, made.provenance)
    }

    /// A language-model cache for one sequence of `modality`: every pass over it runs that
    /// modality's adapters (`KVCache.adapters`).
    public func languageModelCache(_ modality: Modality) throws -> KVCache {
        guard try configuration.section(modality).ownAdapters else { return languageModel.makeCache() }
        return languageModel.makeCache(adapters: try adapters(modality).adapters)
    }

    /// Forgets the built components and adapters so that they are built again from the tree's
    /// current values (after `store.update`, e.g. a training step or a loaded checkpoint).
    public func rebuildComponents() throws {
        lock.lock()
        built = [:]
        ownAdapterSets = [:]
        lock.unlock()
        try installAdapters()
    }

    /// The components of `modality`, building them on first use.
    public func components(_ modality: Modality) throws -> ModalityComponents {
        lock.lock(); defer { lock.unlock() }
        if let existing = built[modality] { return existing }
        let section = try configuration.section(modality)
        let width = languageModel.configuration.width
        var encoder: (any ModalityEncoder)?
        var bridge: ModalityBridge?
        if !modality.usesTokenizer {
            let made = try EncoderCatalog.make(modality, section: section, store: store)
            encoder = made
            bridge = try ModalityBridge(store, prefix: "bridges.\(modality.rawValue)", section: configuration.bridge(modality),
                                        encoderWidth: made.specification.tokenWidth, width: width, outputScale: embeddingScale)
        }
        let head = try TaskHead(store, modality: modality, section: section.head, width: width)
        try store.verify(modules: ParameterName.modules(ofModality: modality.rawValue))
        let components = ModalityComponents(
            modality: modality, section: section, encoder: encoder, bridge: bridge, head: head,
            encoderProvenance: encoder.map { _ in store.provenance(prefix: "encoders.\(modality.rawValue)") },
            bridgeProvenance: bridge.map { _ in store.provenance(prefix: "bridges.\(modality.rawValue)") },
            headProvenance: head.linear.map { _ in store.provenance(prefix: "heads.\(modality.rawValue)") })
        built[modality] = components
        return components
    }

    /// The language lens, built on first use (one pass over the embedding matrix).
    public func languageLens() -> EmbeddingNeighbours {
        lock.lock(); defer { lock.unlock() }
        if let neighbours { return neighbours }
        let made = EmbeddingNeighbours(decoder: languageModel.decoder)
        neighbours = made
        return made
    }

    /// The prompts of `modality` (`AllSparkConfiguration.prompts`).
    public func prompts(_ modality: Modality) throws -> PromptLibrary {
        try configuration.prompts(modality)
    }

    /// Provenance of every component in use, for status lines ("encoder rgb: untrained (seed 1)").
    public func provenanceLines(for modality: Modality) -> [(component: String, provenance: Provenance)] {
        var lines: [(String, Provenance)] = [("language model", .pretrained(source: "\(languageModel.displayName) (\(languageModel.path))"))]
        if (try? configuration.section(modality).ownAdapters) == true {
            if let own = try? adapters(modality), let provenance = own.provenance { lines.append(("adapters \(modality.rawValue)", provenance)) }
        } else if let adapterProvenance {
            lines.append(("adapters", adapterProvenance))
        }
        if let c = built[modality] {
            if let p = c.encoderProvenance { lines.append(("encoder \(modality.rawValue)", p)) }
            if let p = c.bridgeProvenance { lines.append(("bridge \(modality.rawValue)", p)) }
            if let p = c.headProvenance { lines.append(("head \(modality.rawValue)", p)) }
        }
        return lines
    }

    static func embeddingRMS(_ lm: LanguageModel) -> Float {
        // A spread of rows is enough for a scale.
        var sum: Double = 0, count = 0
        for id in stride(from: 0, to: lm.configuration.vocabularySize, by: 97) {
            if let row = try? lm.decoder.embedding(of: Int32(id)) {
                for v in row { sum += Double(v) * Double(v) }
                count += row.count
            }
        }
        return count > 0 ? Float((sum / Double(count)).squareRoot()) : 1
    }
}

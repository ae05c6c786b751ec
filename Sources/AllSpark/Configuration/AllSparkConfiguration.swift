import AllSparkData
import Foundation

/// One modality's part of the configuration. `input` and `encoder` are read by that modality's
/// encoder type (each encoder defines its own keys); `head` is common to all.
public struct ModalitySection: Sendable, Equatable {
    public var input: ConfigObject
    public var encoder: ConfigObject
    public var head: HeadSection
    /// The prompt file (default `prompts/<modality>.txt`).
    public var prompts: String
    /// This modality's bridge when its `"bridge"` object changes some of the top-level bridge's
    /// keys (a small bridge for a modality whose checkpoint must stay small); nil: the top level's.
    public var bridge: BridgeSection?
    /// `"ownAdapters": true`: this modality runs the language model with its own Lynx adapter set
    /// (`adapters.<modality>.<layer>.…`) instead of the shared one (`llm.adapters.…`), so that
    /// training its adapters (text, code: nothing else before the language model can learn)
    /// changes no other modality's answers.
    public var ownAdapters: Bool

    static let allowedKeys = ["input", "encoder", "head", "prompts", "bridge", "ownAdapters"]

    public init(input: ConfigObject, encoder: ConfigObject, head: HeadSection, prompts: String, bridge: BridgeSection? = nil,
                ownAdapters: Bool = false) {
        self.input = input; self.encoder = encoder; self.head = head; self.prompts = prompts; self.bridge = bridge
        self.ownAdapters = ownAdapters
    }
}

/// The whole model's configuration: language model, bridge, sequence layout and one section per
/// modality. `configs/allspark-tiny.json` is the default that runs; `configs/allspark-paper.json`
/// holds the paper's sizes for shape-only use.
public struct AllSparkConfiguration: Sendable, Equatable {
    public var path: String
    public var name: String
    /// Seed of every untrained parameter's initialisation (see `ParameterStore`).
    public var seed: UInt64
    /// Safetensors checkpoints with AllSpark's own parts (PyTorch-style names), each covering the
    /// modules it names (see `CheckpointSource`); `"checkpoint"` in the file is one path or a list.
    public var checkpoints: [String]
    /// The first checkpoint; setting it replaces the list with that one file (nil: none).
    public var checkpoint: String? {
        get { checkpoints.first }
        set { checkpoints = newValue.map { [$0] } ?? [] }
    }
    public var languageModel: LanguageModelSection
    public var bridge: BridgeSection
    public var sequence: SequenceSection
    public var modalities: [Modality: ModalitySection]
    /// Where the user's own prompts are saved and read (`PromptLibrary`); not read from the file but
    /// set by whoever opens it (`--prompt-dir`), so the session, the REPL and the TUI all see the
    /// same prompts. nil: `$XDG_STATE_HOME/allspark/prompts`.
    public var promptUserDirectory: String?

    static let allowedKeys = ["name", "seed", "checkpoint", "languageModel", "bridge", "sequence", "modalities"]

    public static let defaultPath = "configs/allspark-trained.json"

    /// Reads and validates a configuration file; every problem names the key.
    public static func load(path: String) throws -> AllSparkConfiguration {
        try parse(ConfigObject.read(path: path))
    }

    public static func parse(_ root: ConfigObject) throws -> AllSparkConfiguration {
        try root.checkKeys(allowedKeys)
        guard let name = root.dictionary["name"] as? String, !name.isEmpty else {
            throw root.error("name", "missing or not a string")
        }
        var seed: UInt64 = 0
        if let value = root.dictionary["seed"] {
            guard let number = value as? NSNumber, let exact = UInt64(exactly: number.doubleValue) else {
                throw root.error("seed", "expected a non-negative integer")
            }
            seed = exact
        }
        var checkpoints: [String] = []
        if let value = root.dictionary["checkpoint"], !(value is NSNull) {
            if let text = value as? String {
                checkpoints = [text]
            } else if let list = value as? [Any], let texts = list as? [String] {
                checkpoints = texts
            } else {
                throw root.error("checkpoint", "expected a file path (string), a list of file paths, or null")
            }
        }
        let bridgeObject = try root.object("bridge")
        let modalitiesObject = try root.object("modalities")
        var modalities: [Modality: ModalitySection] = [:]
        for key in modalitiesObject.keys {
            guard let modality = Modality(rawValue: key) else {
                throw modalitiesObject.error(key, "unknown modality; allowed: " + Modality.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let section = try modalitiesObject.object(key)
            try section.checkKeys(ModalitySection.allowedKeys)
            var prompts = "prompts/\(key).txt"
            if let value = section.dictionary["prompts"] {
                guard let text = value as? String else { throw section.error("prompts", "expected a file path (string)") }
                prompts = text
            }
            var bridge: BridgeSection?
            if let changes = try section.optionalObject("bridge") {
                try changes.checkKeys(BridgeSection.allowedKeys)
                bridge = try ConfigObject(file: changes.file, keyPath: changes.keyPath,
                                          dictionary: ConfigObject.merge(bridgeObject.dictionary, changes.dictionary)).decode(BridgeSection.self)
            }
            var ownAdapters = false
            if let value = section.dictionary["ownAdapters"] {
                guard let flag = value as? Bool else { throw section.error("ownAdapters", "expected true or false") }
                ownAdapters = flag
            }
            modalities[modality] = ModalitySection(
                input: try section.optionalObject("input") ?? ConfigObject(file: section.file, keyPath: section.path("input"), dictionary: [:]),
                encoder: try section.optionalObject("encoder") ?? ConfigObject(file: section.file, keyPath: section.path("encoder"), dictionary: [:]),
                head: try section.object("head").decode(HeadSection.self),
                prompts: prompts, bridge: bridge, ownAdapters: ownAdapters)
        }
        let configuration = AllSparkConfiguration(
            path: root.file, name: name, seed: seed, checkpoints: checkpoints,
            languageModel: try root.object("languageModel").decode(LanguageModelSection.self),
            bridge: try bridgeObject.decode(BridgeSection.self),
            sequence: try root.object("sequence").decode(SequenceSection.self),
            modalities: modalities)
        // Every encoder checks its own sections now, so a bad key fails at load, not at first use.
        for (modality, section) in modalities {
            _ = try EncoderCatalog.specification(for: modality, section: section, languageModelWidth: configuration.languageModelWidthForShapes)
        }
        return configuration
    }

    /// The section of `modality`, or an error saying the configuration does not include it.
    public func section(_ modality: Modality) throws -> ModalitySection {
        guard let section = modalities[modality] else {
            throw ConfigurationError(file: path, keyPath: "modalities", problem: "has no '\(modality.rawValue)' section; configured: "
                + modalities.keys.sorted().map(\.rawValue).joined(separator: ", "))
        }
        return section
    }

    /// `modality`'s bridge: its own `"bridge"` changes over the top-level bridge, else the top level's.
    public func bridge(_ modality: Modality) -> BridgeSection {
        modalities[modality]?.bridge ?? bridge
    }

    /// Which hidden state `modality`'s head reads: its own `head.pooling`, else `sequence.headPooling`.
    public func headPooling(_ modality: Modality) -> HeadPooling {
        modalities[modality]?.head.pooling ?? sequence.headPooling
    }

    /// The language model's width as written in the configuration (shape-only), or SmolLM2's 576
    /// when the width comes from the GGUF at run time.
    public var languageModelWidthForShapes: Int { languageModel.width ?? 576 }
}

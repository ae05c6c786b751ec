/// The language model a configuration uses: a GGUF file to run, or (shape-only configurations
/// such as the paper's Vicuna-7B) just its sizes.
public struct LanguageModelSection: ConfigSection, Equatable {
    /// Path of the GGUF file, relative to the working directory; nil when only shapes are needed.
    public var gguf: String?
    /// A Lynx adapter follows every `adapterFrequency`-th decoder layer (0: none).
    public var adapterFrequency: Int
    /// The system turn's text; nil uses the model's chat template default.
    public var systemPrompt: String?
    /// Most positions the KV cache may hold (the model's own context is the upper bound).
    public var maxContext: Int?
    /// Sizes for shape-only use when no GGUF is read.
    public var name: String?
    public var width: Int?
    public var layers: Int?
    public var heads: Int?
    public var vocabulary: Int?
    /// How the decoder rounds (`DecoderNumerics`); nil: llama.cpp-compatible.
    public var numerics: LanguageModelNumerics?

    public static let allowedKeys = ["gguf", "adapterFrequency", "systemPrompt", "maxContext", "name", "width", "layers", "heads", "vocabulary",
                                     "numerics"]

    public mutating func validate(in object: ConfigObject) throws {
        if adapterFrequency < 0 { throw object.error("adapterFrequency", "is \(adapterFrequency); expected 0 (no adapters) or a positive integer") }
        if let maxContext, maxContext < 16 { throw object.error("maxContext", "is \(maxContext); expected at least 16") }
        if gguf == nil && (width == nil || layers == nil || vocabulary == nil) {
            throw object.error(nil, "needs either 'gguf' (a model file) or 'width', 'layers' and 'vocabulary' (shape-only)")
        }
        for (key, value) in [("width", width), ("layers", layers), ("heads", heads), ("vocabulary", vocabulary)] {
            if let value, value <= 0 { throw object.error(key, "is \(value); expected a positive integer") }
        }
    }
}

/// `languageModel.numerics`: "llama-compatible" rounds as llama.cpp does (greedy text agrees with
/// it token for token; `allspark chat` and `bench llm` use it); "reference" computes in Float32
/// through BLAS, closer to exact arithmetic (the numerics training uses), but greedy text can part
/// from llama.cpp's at a near-tie. Speeds of both: README, "Speed".
public enum LanguageModelNumerics: String, Codable, Sendable, Equatable {
    case llamaCompatible = "llama-compatible"
    case reference
}

/// Lynx's resampler: learnable queries cross-attending to the encoder tokens (ARCHITECTURE.md).
public struct BridgeSection: ConfigSection, Equatable {
    public var queries: Int
    public var depth: Int
    public var heads: Int
    public var headWidth: Int
    public var ffnMultiple: Int

    public static let allowedKeys = ["queries", "depth", "heads", "headWidth", "ffnMultiple"]

    public mutating func validate(in object: ConfigObject) throws {
        for (key, value) in [("queries", queries), ("depth", depth), ("heads", heads), ("headWidth", headWidth)] {
            try requirePositive(value, key, in: object)
        }
        // 0: no feed-forward sub-layer (ModalityBridge).
        if ffnMultiple < 0 { throw object.error("ffnMultiple", "is \(ffnMultiple); expected 0 (no feed-forward) or a positive integer") }
    }
}

/// Which hidden state the task head reads.
public enum HeadPooling: String, Codable, Sendable, CaseIterable {
    /// The final-norm hidden state at the last position (the generation prompt's end).
    case last
    /// The mean of the final-norm hidden states over the modality token positions.
    case modalityMean = "modality-mean"

    /// What the head reads, and what that means for prompts, in a few words for reports.
    public var explanation: String {
        switch self {
        case .last: return "the last position, which has read the whole sequence, prompt included"
        case .modalityMean: return "the mean over the modality positions, which come before the prompt: it does not reach them"
        }
    }
}

public struct SequenceSection: ConfigSection, Equatable {
    /// Only "chatml" (the instruct model's template) is implemented.
    public var layout: String
    public var headPooling: HeadPooling

    public static let allowedKeys = ["layout", "headPooling"]

    public mutating func validate(in object: ConfigObject) throws {
        if layout != "chatml" { throw object.error("layout", "is '\(layout)'; allowed: chatml") }
    }
}

/// What a modality's task head predicts (SPEC-MODALITIES.md, "Tasks, heads").
public enum HeadKind: String, Codable, Sendable, CaseIterable {
    /// Linear layer to class logits; softmax probabilities, top-k with label names.
    case classification
    /// Linear layer to standardised values, unscaled with the stored mean and std.
    case regression
    /// Linear layer to `steps × 2` future offsets, unscaled, added to the last observed position.
    case trajectory
    /// Linear layer to `nodes × horizon` values, unscaled.
    case graph
    /// Identity logits plus the pooled embedding; gallery images ranked by cosine similarity.
    case reidentification
    /// Linear layer to a depth grid of the reference view, unscaled with the head's mean and std (in the scene's units).
    case depth
    /// No head: the language model's own generation answers (text, code).
    case generation
}

/// What a re-identification query's sequence reads.
public enum QuerySequence: String, Codable, Sendable, CaseIterable {
    /// The infrared query and gallery image 0, side by side (the paper's pair input).
    case pair
    /// The infrared query alone, as each gallery image's sequence reads that image alone: query
    /// and gallery then land in one embedding space, and training ranks the gallery directly
    /// (`ModalityTrainer.galleryRankingStep`).
    case alone
}

/// How a classification's answer sentence says its class (what the answer loss teaches and what
/// the LaRF score reads).
public enum AnswerForm: String, Codable, Sendable, CaseIterable {
    /// "A Meadows.", "An Asphalt." (the default).
    case withArticle
    /// "Meadows.", "Asphalt.": for label sets whose articles differ, where "A"/"An" as the first
    /// token would already decide between the vowel-initial classes and the rest (hsi's greedy
    /// answers for Asphalt began "A" and went on to another class).
    case className
}

public struct HeadSection: ConfigSection, Equatable {
    public var kind: HeadKind
    /// Class names, in logit order (classification, re-identification identities).
    public var labels: [String]?
    /// Name of the regression target ("PM2.5") and its unit ("µg/m³").
    public var target: String?
    public var unit: String?
    /// Unscaling: value = standardised · std + mean (one entry, or one per output).
    public var mean: [Float]?
    public var std: [Float]?
    /// Future steps (trajectory) or horizon (graph).
    public var steps: Int?
    /// Depth grid rows and columns.
    public var grid: [Int]?
    /// Number of identities when labels are not listed (re-identification).
    public var identities: Int?
    /// Number of graph nodes the head predicts for (graph).
    public var nodes: Int?
    /// Which hidden state this head reads, when not `sequence.headPooling`.
    public var pooling: HeadPooling?
    /// What a re-identification query's sequence reads (default `pair`).
    public var querySequence: QuerySequence?
    /// How a classification's answer says its class (default `withArticle`).
    public var answer: AnswerForm?

    public static let allowedKeys = ["kind", "labels", "target", "unit", "mean", "std", "steps", "grid", "identities", "nodes", "pooling",
                                     "querySequence", "answer"]

    public mutating func validate(in object: ConfigObject) throws {
        switch kind {
        case .classification:
            guard let labels, !labels.isEmpty else { throw object.error("labels", "missing or empty; a classification head needs its class names") }
        case .regression, .trajectory, .graph, .depth:
            if let std, std.contains(where: { !($0 > 0) }) { throw object.error("std", "must be positive numbers") }
            if let mean, let std, mean.count != std.count { throw object.error("std", "has \(std.count) values but 'mean' has \(mean.count)") }
        case .reidentification:
            guard (labels?.count ?? identities ?? 0) > 0 else { throw object.error("identities", "missing; a re-identification head needs 'identities' or 'labels'") }
        case .generation:
            break
        }
        if answer != nil, kind != .classification {
            throw object.error("answer", "applies to a classification head only; this head is '\(kind.rawValue)'")
        }
        if querySequence != nil, kind != .reidentification {
            throw object.error("querySequence", "applies to a re-identification head only; this head is '\(kind.rawValue)'")
        }
        if kind == .trajectory || kind == .graph, (steps ?? 0) <= 0 {
            throw object.error("steps", "missing or not positive; a \(kind.rawValue) head needs the number of future steps")
        }
        if kind == .graph, (nodes ?? 0) <= 0 {
            throw object.error("nodes", "missing or not positive; a graph head needs the number of nodes it predicts")
        }
        if kind == .depth, grid?.count != 2 || grid!.contains(where: { $0 <= 0 }) {
            throw object.error("grid", "expected [rows, columns] of positive integers")
        }
    }

    /// Whether the query's sequence reads the query alone and training ranks each sample's gallery.
    public var ranksGallery: Bool { kind == .reidentification && querySequence == .alone }

    /// Number of classes or identities.
    public var classCount: Int { labels?.count ?? identities ?? 0 }

    /// How many values the head's linear layer produces (0 for generation).
    public var outputCount: Int {
        switch kind {
        case .classification, .reidentification: return classCount
        case .regression: return Swift.max(mean?.count ?? 1, 1)
        case .trajectory: return (steps ?? 0) * 2
        case .graph: return (nodes ?? 0) * (steps ?? 0)
        case .depth: return (grid ?? [0, 0]).reduce(1, *)
        case .generation: return 0
        }
    }

    /// The head's output shape as the spec writes it ([classes], [1], [steps, 2], [nodes, steps], [rows, cols]).
    public var outputShape: [Int] {
        switch kind {
        case .classification, .reidentification: return [classCount]
        case .regression: return [outputCount]
        case .trajectory: return [steps ?? 0, 2]
        case .graph: return [nodes ?? 0, steps ?? 0]
        case .depth: return grid ?? []
        case .generation: return []
        }
    }

    /// Maps a standardised value back to the target's units (entry `index`, or the single entry).
    /// The inverse of `unscale`: a value in the target's units → the head's output units.
    public func scale(_ value: Float, index: Int = 0) -> Float {
        let m = mean.map { $0.count == 1 ? $0[0] : $0[index % $0.count] } ?? 0
        let s = std.map { $0.count == 1 ? $0[0] : $0[index % $0.count] } ?? 1
        return (value - m) / s
    }

    public func unscale(_ value: Float, index: Int = 0) -> Float {
        let m = mean.map { $0.count == 1 ? $0[0] : $0[index % $0.count] } ?? 0
        let s = std.map { $0.count == 1 ? $0[0] : $0[index % $0.count] } ?? 1
        return value * s + m
    }
}

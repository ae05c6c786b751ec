import AllSparkData
import Foundation
import SparkLM

/// The shapes every stage of every modality produces for a configuration, computed without
/// allocating weights or reading samples (`allspark shapes`).
public struct ShapeReport: Sendable, Codable {
    public struct Row: Sendable, Codable, Equatable {
        public var modality: String
        public var input: [Int]
        public var encoderTokens: [Int]
        /// nil for text and code, which skip the bridge.
        public var bridgeOutput: [Int]?
        /// Modality positions in the sequence (-1: as many as the sample's tokens).
        public var sequenceModalityPositions: Int
        /// Positions of the template, system text and default prompt, when a tokenizer is available.
        public var sequenceTextPositions: Int?
        public var sequenceWidth: Int
        public var headOutput: [Int]
        public var headKind: String
        public var encoder: String

        /// "[32 + 51, 576]", "[n + 40, 576]", "[32 + t, 4096]"
        public var sequenceDescription: String {
            let m = sequenceModalityPositions < 0 ? "n" : "\(sequenceModalityPositions)"
            let t = sequenceTextPositions.map(String.init) ?? "t"
            if sequenceModalityPositions >= 0, let text = sequenceTextPositions {
                return "[\(sequenceModalityPositions + text), \(sequenceWidth)]"
            }
            return "[\(m) + \(t), \(sequenceWidth)]"
        }
    }

    public var configuration: String
    public var languageModel: String
    public var rows: [Row]

    /// Builds the report. With `tokenizer`, the sequence's text positions are counted for each
    /// modality's default prompt; without, they are left symbolic.
    public static func make(_ configuration: AllSparkConfiguration, tokenizer: (BPETokenizer, ChatTemplate)? = nil,
                            width: Int? = nil) throws -> ShapeReport {
        let lmWidth = width ?? configuration.languageModel.width ?? 576
        let vocabulary = tokenizer?.0.vocabularySize
        var rows: [Row] = []
        for modality in Modality.allCases {
            guard let section = configuration.modalities[modality] else { continue }
            let encoder = try EncoderCatalog.specification(for: modality, section: section, languageModelWidth: lmWidth)
            let bridge = modality.usesTokenizer ? nil : ModalityBridge.outputShape(section: configuration.bridge(modality), width: lmWidth)
            var textPositions: Int?
            if let (tokenizer, template) = tokenizer {
                let library = try configuration.prompts(modality, includingUser: false)
                let assembler = SequenceAssembler(tokenizer: tokenizer, template: template,
                                                  systemPrompt: configuration.languageModel.systemPrompt, maximumLength: Int.max)
                textPositions = try assembler.assemble(.tokens([]), prompt: library.defaultPrompt.text).count
            }
            rows.append(Row(modality: modality.rawValue, input: encoder.inputShape, encoderTokens: encoder.tokenShape,
                            bridgeOutput: bridge, sequenceModalityPositions: bridge?[0] ?? -1,
                            sequenceTextPositions: textPositions, sequenceWidth: lmWidth,
                            headOutput: section.head.kind == .generation ? [vocabulary ?? configuration.languageModel.vocabulary ?? -1] : section.head.outputShape,
                            headKind: section.head.kind.rawValue, encoder: encoder.summary))
        }
        return ShapeReport(configuration: configuration.name,
                           languageModel: configuration.languageModel.name ?? configuration.languageModel.gguf ?? "?", rows: rows)
    }

    /// A fixed-width table.
    public var table: String {
        func shape(_ s: [Int]?) -> String {
            guard let s else { return "—" }
            return s.map { $0 < 0 ? "n" : "\($0)" }.joined(separator: " × ")
        }
        var lines = ["\(configuration) (language model: \(languageModel))",
                     TextColumns.row([("modality", 11), ("input", 22), ("encoder N×D", 13), ("bridge", 11), ("sequence", 16), ("head output", 0)])]
        for r in rows {
            lines.append(TextColumns.row([(r.modality, 11), (shape(r.input), 22), (shape(r.encoderTokens), 13),
                                          (shape(r.bridgeOutput), 11), (r.sequenceDescription, 16),
                                          (r.headKind == "generation" ? "vocabulary logits (generation)" : "\(shape(r.headOutput)) (\(r.headKind))", 0)]))
        }
        return lines.joined(separator: "\n")
    }
}

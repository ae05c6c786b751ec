import AllSparkData

/// The encoder type of each modality. Text and code have none: the language model's tokenizer
/// and embedding are their encoder (the paper, §3.3.1), handled by the pipeline.
public enum EncoderCatalog {
    /// The encoder type for `modality`, nil for text and code.
    public static func encoderType(for modality: Modality) -> (any ModalityEncoder.Type)? {
        switch modality {
        case .text, .code: return nil
        // One line per modality, in Modality order.
        case .rgb: return RGBEncoder.self
        case .msi: return MSIEncoder.self
        case .hsi: return HSIEncoder.self
        case .table: return TableEncoder.self
        case .trajectory: return TrajectoryEncoder.self
        case .sar: return SAREncoder.self
        case .infrared: return InfraredEncoder.self
        case .graph: return GraphEncoder.self
        case .oblique: return ObliqueEncoder.self
        case .video: return VideoEncoder.self
        case .pointcloud: return PointCloudEncoder.self
        }
    }

    /// Shapes for a modality's section; text and code give `[-1, languageModelWidth]`.
    public static func specification(for modality: Modality, section: ModalitySection,
                                     languageModelWidth: Int) throws -> EncoderSpecification {
        if modality.usesTokenizer {
            try section.encoder.checkKeys([])
            return EncoderSpecification(inputShape: [-1], tokenShape: [-1, languageModelWidth],
                                        summary: "the language model's tokenizer and token embedding (no encoder)")
        }
        guard let type = encoderType(for: modality) else {
            throw ConfigurationError(file: section.encoder.file, keyPath: section.encoder.keyPath,
                                     problem: "no encoder is implemented for '\(modality.rawValue)' yet")
        }
        return try type.specification(section: section)
    }

    /// Builds the encoder of `modality` with parameters from `store`.
    public static func make(_ modality: Modality, section: ModalitySection, store: ParameterStore) throws -> any ModalityEncoder {
        guard let type = encoderType(for: modality) else {
            throw ConfigurationError(file: section.encoder.file, keyPath: section.encoder.keyPath,
                                     problem: "'\(modality.rawValue)' has no encoder of its own")
        }
        return try type.init(section: section, store: store)
    }
}

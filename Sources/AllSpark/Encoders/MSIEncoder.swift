import AllSparkData
import SparkEngine

/// MSI: a ViT whose patch embedding takes every band of the multispectral image (the paper §3.3.2
/// extends the standard ViT's PatchEmbed to the band count; paper size ViT-B/16, 12 blocks × 768, on
/// EuroSAT's 13 Sentinel-2 bands at 224 × 224 → CLS + 14 × 14 patches = 197 tokens).
///
/// Preprocessing: the configured bands are chosen — `input.select` by name (the band sidecar's
/// names, Sentinel-2 style "B8A"/"B08A" alike) or `input.bandIndices` by index; without either the
/// sample must have exactly `input.bands` bands — then the image is cropped to its central square
/// and resized bilinearly to `input.size` × `input.size` (`SquareInput`), and each band is
/// standardised: with the dataset statistics `input.mean`/`input.std` (one value, or one per band,
/// in the loader's reflectance units) when configured, otherwise by the band's own mean and
/// standard deviation over the image.
public final class MSIEncoder: ModalityEncoder {
    public static let modality = Modality.msi

    struct InputSection: SquareImageInput, Equatable {
        var size: Int
        var bands: Int
        var select: [String]?
        var bandIndices: [Int]?
        var mean: [Float]?
        var std: [Float]?
        static let allowedKeys = ["size", "bands", "select", "bandIndices", "mean", "std"]

        mutating func validate(in object: ConfigObject) throws {
            try requirePositive(size, "size", in: object)
            try requirePositive(bands, "bands", in: object)
            if select != nil && bandIndices != nil {
                throw object.error("bandIndices", "given together with 'select'; choose bands either by name or by index")
            }
            if let select, select.count != bands {
                throw object.error("select", "names \(select.count) bands; expected \(bands) ('bands')")
            }
            if let bandIndices {
                if bandIndices.count != bands { throw object.error("bandIndices", "has \(bandIndices.count) indices; expected \(bands) ('bands')") }
                if let negative = bandIndices.first(where: { $0 < 0 }) { throw object.error("bandIndices", "contains \(negative); expected indices ≥ 0") }
            }
            try ChannelStatistics.validate(mean: mean, std: std, channels: bands, in: object)
        }
    }

    public let specification: EncoderSpecification
    let input: InputSection
    let backbone: VisionTransformer

    public static func specification(section: ModalitySection) throws -> EncoderSpecification {
        let (input, vit, side) = try sections(section)
        return EncoderSpecification(inputShape: [input.bands, input.size, input.size],
                                    tokenShape: [VisionTransformer.tokenCount(gridSide: side), vit.width],
                                    summary: "\(vit.summary) over \(input.bands) bands, CLS")
    }

    static func sections(_ section: ModalitySection) throws -> (InputSection, VisionTransformerSection, Int) {
        try VisionTransformerSection.read(section, input: InputSection.self)
    }

    public init(section: ModalitySection, store: ParameterStore) throws {
        let (input, vit, side) = try Self.sections(section)
        self.input = input
        specification = try Self.specification(section: section)
        backbone = try VisionTransformer(store, Self.parameterPrefix, section: vit, channels: input.bands, gridSide: side)
    }

    public func encode(_ sample: Sample) throws -> EncoderOutput {
        let (resized, normalised) = try preprocess(sample)
        let side = backbone.gridSide
        return EncoderOutput(input: resized, tokens: backbone(normalised), layout: .grid(rows: side, columns: side, leading: 1))
    }

    /// The network's input: the chosen bands, centred on the input square, normalised.
    public func prepare(_ sample: Sample) throws -> Tensor { try preprocess(sample).normalised }

    func preprocess(_ sample: Sample) throws -> (resized: Tensor, normalised: Tensor) {
        guard case .multispectral(let image, let names, let wavelengths) = sample.content else {
            throw EncoderInputError(.msi, "expected a multispectral image sample, got \(sample.content.kindName)")
        }
        let bands = try chooseBands(image, names: names, wavelengths: wavelengths)
        let resized = try EncoderInputError.preprocessing(.msi) { try SquareInput.centred(bands, side: input.size) }
        let normalised = try EncoderInputError.preprocessing(.msi) {
            if let mean = input.mean, let std = input.std {
                return try ChannelNormalisation.normalise(resized, mean: ChannelStatistics.perChannel(mean, channels: input.bands),
                                                          std: ChannelStatistics.perChannel(std, channels: input.bands))
            }
            return try ChannelStatistics.standardisedPerChannel(resized)
        }
        return (resized, normalised)
    }

    func chooseBands(_ image: Tensor, names: [String], wavelengths: [Float]) throws -> Tensor {
        guard image.rank == 3, image.dim(1) > 0, image.dim(2) > 0 else {
            throw EncoderInputError(.msi, "expected bands [bands, height, width], got shape \(image.shape)")
        }
        if let select = input.select {
            return try EncoderInputError.preprocessing(.msi) {
                try BandSelection.select(image, names: names, wavelengths: wavelengths, named: select).tensor
            }
        }
        if let indices = input.bandIndices {
            return try EncoderInputError.preprocessing(.msi) {
                try BandSelection.select(image, names: names, wavelengths: wavelengths, indices: indices).tensor
            }
        }
        guard image.dim(0) == input.bands else {
            throw EncoderInputError(.msi, "the sample has \(image.dim(0)) bands and the configuration takes \(input.bands); "
                + "choose them with input.select (band names) or input.bandIndices")
        }
        return image
    }
}

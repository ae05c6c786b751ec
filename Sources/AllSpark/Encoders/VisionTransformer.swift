import SparkEngine

/// The sizes of a ViT backbone, as written in an encoder section.
public struct VisionTransformerSection: ConfigSection, Equatable {
    public var width: Int
    public var depth: Int
    public var heads: Int
    public var patch: Int
    public var mlpRatio: Float?
    /// An ONNX export of a pretrained DINOv2 ViT whose weights this backbone takes (frozen);
    /// relative to the working directory. RGB only (`DINOv2Import`).
    public var pretrained: String?

    public static let allowedKeys = ["width", "depth", "heads", "patch", "mlpRatio", "pretrained"]

    public mutating func validate(in object: ConfigObject) throws {
        for (key, value) in [("width", width), ("depth", depth), ("heads", heads), ("patch", patch)] {
            try requirePositive(value, key, in: object)
        }
        if width % heads != 0 { throw object.error("heads", "\(heads) does not divide the width \(width)") }
        if let mlpRatio, !(mlpRatio > 0) { throw object.error("mlpRatio", "expected a positive number") }
        if let pretrained, !pretrained.hasSuffix(".onnx") {
            throw object.error("pretrained", "is '\(pretrained)'; expected an .onnx file (a DINOv2 ViT exported from Hugging Face's Dinov2Model)")
        }
    }

    /// An image encoder's input section and ViT sizes read from `section`, with the patch grid's
    /// side (RGB, MSI and oblique share this).
    /// Only RGB's backbone may be `pretrained` (`allowsPretrained`).
    static func read<Input: SquareImageInput>(_ section: ModalitySection, input: Input.Type,
                                              allowsPretrained: Bool = false) throws -> (Input, VisionTransformerSection, Int) {
        let decoded = try section.input.decode(Input.self)
        let vit = try section.encoder.decode(VisionTransformerSection.self)
        if vit.pretrained != nil, !allowsPretrained {
            throw section.encoder.error("pretrained", "pretrained ViT weights are read for the rgb encoder only")
        }
        return (decoded, vit, try vit.gridSide(inputSize: decoded.size, input: section.input))
    }

    /// "ViT 2×192, 4 heads, patch 8"
    public var summary: String { "ViT \(depth)×\(width), \(heads) heads, patch \(patch)" + (pretrained.map { ", pretrained \($0), frozen" } ?? "") }

    /// Patches per side for a square input of `size`, or an error naming `input.size`.
    public func gridSide(inputSize size: Int, input: ConfigObject) throws -> Int {
        guard size >= patch, size % patch == 0 else {
            throw input.error("size", "is \(size); expected a multiple of the encoder's patch size \(patch)")
        }
        return size / patch
    }
}

/// An input section of a square image (its side in pixels, `input.size`).
protocol SquareImageInput: ConfigSection {
    var size: Int { get }
}

/// A ViT backbone (Dosovitskiy et al. 2021, timm layout): a strided convolution cuts the image into
/// patch × patch tokens (`patch_embed.proj`), a CLS token is prepended (`cls_token`), learned
/// position embeddings are added (`pos_embed`), then pre-norm blocks and a final LayerNorm (`norm`).
/// Used for RGB (3 channels), MSI (N bands in the patch embedding) and each oblique view.
public struct VisionTransformer: Sendable {
    public let section: VisionTransformerSection
    /// The parameter-tree prefix (`encoders.rgb`, `encoders.oblique` …).
    public let prefix: String
    public let channels: Int
    public let gridSide: Int
    let patchEmbedding: PatchEmbedding
    let classToken: Tensor
    let positions: Tensor
    /// `<prefix>.blocks.<i>` and `<prefix>.norm`, as every other transformer encoder has them.
    let stack: TransformerStack

    public init(_ store: ParameterStore, _ prefix: String, section: VisionTransformerSection, channels: Int, gridSide: Int) throws {
        self.section = section; self.prefix = prefix; self.channels = channels; self.gridSide = gridSide
        let d = section.width, p = section.patch
        patchEmbedding = try PatchEmbedding(store, prefix + ".patch_embed.proj", width: d, channels: channels, kernel: [p, p], stride: [p, p])
        classToken = try store.tensor(prefix + ".cls_token", [1, d], .truncatedNormal(std: 0.02))
        positions = try store.tensor(prefix + ".pos_embed", [1 + gridSide * gridSide, d], .truncatedNormal(std: 0.02))
        stack = try TransformerStack(store, prefix, section: TransformerStackSection(width: d, depth: section.depth, heads: section.heads,
                                                                                    mlpRatio: section.mlpRatio))
    }

    /// Tokens per image: CLS + grid².
    public static func tokenCount(gridSide: Int) -> Int { 1 + gridSide * gridSide }

    /// image `[channels, side, side]` → tokens `[1 + grid², width]` (CLS first, then the patch grid
    /// in row-major order).
    public func callAsFunction(_ image: Tensor) -> Tensor {
        stack(Tensor.concatenate([classToken, patchEmbedding(image)], axis: 0) + positions)
    }
}

import SparkEngine

/// The sizes of a ViT backbone, as written in an encoder section.
public struct VisionTransformerSection: ConfigSection, Equatable {
    public var width: Int
    public var depth: Int
    public var heads: Int
    public var patch: Int
    public var mlpRatio: Float?

    public static let allowedKeys = ["width", "depth", "heads", "patch", "mlpRatio"]

    public mutating func validate(in object: ConfigObject) throws {
        for (key, value) in [("width", width), ("depth", depth), ("heads", heads), ("patch", patch)] {
            try requirePositive(value, key, in: object)
        }
        if width % heads != 0 { throw object.error("heads", "\(heads) does not divide the width \(width)") }
        if let mlpRatio, !(mlpRatio > 0) { throw object.error("mlpRatio", "expected a positive number") }
    }

    /// Patches per side for a square input of `size`, or an error naming `input.size`.
    public func gridSide(inputSize size: Int, input: ConfigObject) throws -> Int {
        guard size >= patch, size % patch == 0 else {
            throw input.error("size", "is \(size); expected a multiple of the encoder's patch size \(patch)")
        }
        return size / patch
    }
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
    let patchWeight: Tensor
    let patchBias: Tensor
    let classToken: Tensor
    let positions: Tensor
    let blocks: [TransformerBlock]
    let norm: LayerNormLayer

    public init(_ store: ParameterStore, _ prefix: String, section: VisionTransformerSection, channels: Int, gridSide: Int) throws {
        self.section = section; self.prefix = prefix; self.channels = channels; self.gridSide = gridSide
        let d = section.width, p = section.patch
        patchWeight = try store.tensor(prefix + ".patch_embed.proj.weight", [d, channels, p, p], .kaimingUniform(fanIn: channels * p * p))
        patchBias = try store.tensor(prefix + ".patch_embed.proj.bias", [d], .zeros)
        classToken = try store.tensor(prefix + ".cls_token", [1, d], .truncatedNormal(std: 0.02))
        positions = try store.tensor(prefix + ".pos_embed", [1 + gridSide * gridSide, d], .truncatedNormal(std: 0.02))
        blocks = try (0..<section.depth).map {
            try TransformerBlock(store, prefix + ".blocks.\($0)", width: d, heads: section.heads, mlpRatio: section.mlpRatio ?? 4)
        }
        norm = try LayerNormLayer(store, prefix + ".norm", width: d)
    }

    /// Tokens per image: CLS + grid².
    public static func tokenCount(gridSide: Int) -> Int { 1 + gridSide * gridSide }

    /// image `[channels, side, side]` → tokens `[1 + grid², width]` (CLS first, then the patch grid
    /// in row-major order).
    public func callAsFunction(_ image: Tensor) -> Tensor {
        let d = section.width
        // [d, grid, grid] → [grid², d]
        let patches = image.conv2d(weight: patchWeight, bias: patchBias, stride: section.patch)
            .reshaped([d, gridSide * gridSide]).permuted([1, 0])
        var x = Tensor.concatenate([classToken, patches], axis: 0) + positions
        for block in blocks { x = block(x).output }
        return norm(x)
    }
}

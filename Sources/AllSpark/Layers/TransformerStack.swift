import SparkEngine

/// The sizes of a stack of pre-norm transformer blocks, as written in an encoder section
/// (HSI's band tokens, TubeViT's tube tokens).
public struct TransformerSizes: Sendable, Equatable {
    public var width: Int
    public var depth: Int
    public var heads: Int
    public var mlpRatio: Float

    /// Checks the sizes; errors name the key in `object` (`width`, `depth`, `heads`, `mlpRatio`).
    public static func validated(width: Int, depth: Int, heads: Int, mlpRatio: Float?, in object: ConfigObject) throws -> TransformerSizes {
        for (key, value) in [("width", width), ("depth", depth), ("heads", heads)] where value <= 0 {
            throw object.error(key, "is \(value); expected a positive integer")
        }
        if width % heads != 0 { throw object.error("heads", "\(heads) does not divide the width \(width)") }
        if let mlpRatio, !(mlpRatio > 0) || !mlpRatio.isFinite { throw object.error("mlpRatio", "expected a positive number") }
        return TransformerSizes(width: width, depth: depth, heads: heads, mlpRatio: mlpRatio ?? 4)
    }

    /// "6×768, 12 heads"
    public var summary: String { "\(depth)×\(width), \(heads) heads" }
}

/// `depth` timm-style pre-norm blocks (`<prefix>.blocks.<i>.…`) followed by a final LayerNorm
/// (`<prefix>.norm`): the transformer encoder that the HSI and video encoders put on top of their
/// own token embeddings.
public struct TransformerStack: Sendable {
    public let blocks: [TransformerBlock]
    public let norm: LayerNormLayer

    public init(_ store: ParameterStore, _ prefix: String, sizes: TransformerSizes) throws {
        blocks = try (0..<sizes.depth).map {
            try TransformerBlock(store, prefix + ".blocks.\($0)", width: sizes.width, heads: sizes.heads, mlpRatio: sizes.mlpRatio)
        }
        norm = try LayerNormLayer(store, prefix + ".norm", width: sizes.width)
    }

    /// tokens `[N, width]` → `[N, width]`.
    public func callAsFunction(_ tokens: Tensor) -> Tensor {
        var x = tokens
        for block in blocks { x = block(x).output }
        return norm(x)
    }
}

import SparkEngine

/// The sizes of a plain stack of transformer blocks, as written in an encoder section (table,
/// trajectory, HSI, video; the point-cloud section embeds the same four keys).
public struct TransformerStackSection: ConfigSection, Equatable {
    public var width: Int
    public var depth: Int
    public var heads: Int
    /// Hidden width of each block's MLP as a multiple of `width` (default 4).
    public var mlpRatio: Float?

    public static let allowedKeys = ["width", "depth", "heads", "mlpRatio"]

    public init(width: Int, depth: Int, heads: Int, mlpRatio: Float?) {
        self.width = width; self.depth = depth; self.heads = heads; self.mlpRatio = mlpRatio
    }

    public mutating func validate(in object: ConfigObject) throws {
        for (key, value) in [("width", width), ("depth", depth), ("heads", heads)] {
            try requirePositive(value, key, in: object)
        }
        if width % heads != 0 { throw object.error("heads", "\(heads) does not divide the width \(width)") }
        if let mlpRatio, !(mlpRatio > 0 && mlpRatio <= 64) { throw object.error("mlpRatio", "is \(mlpRatio); expected a number in (0, 64]") }
    }

    /// Builds and checks sizes read by an encoder's own section; errors name the key in `object`.
    public static func validated(width: Int, depth: Int, heads: Int, mlpRatio: Float?, in object: ConfigObject) throws -> TransformerStackSection {
        var section = TransformerStackSection(width: width, depth: depth, heads: heads, mlpRatio: mlpRatio)
        try section.validate(in: object)
        return section
    }

    /// "2 blocks × 256, 8 heads"
    public var summary: String { "\(depth) block\(depth == 1 ? "" : "s") × \(width), \(heads) heads" }
}

/// `depth` pre-norm transformer blocks (`<prefix>.blocks.<i>`, timm layout) followed by a final
/// LayerNorm (`<prefix>.norm`): the transformer behind the table, trajectory, point-cloud, HSI and
/// video encoders. Position embeddings are either added once by the caller, or — as Point-BERT does —
/// passed as `positions` and added again before every block.
public struct TransformerStack: Sendable {
    public let section: TransformerStackSection
    let blocks: [TransformerBlock]
    let norm: LayerNormLayer

    public init(_ store: ParameterStore, _ prefix: String, section: TransformerStackSection) throws {
        self.section = section
        blocks = try (0..<section.depth).map {
            try TransformerBlock(store, prefix + ".blocks.\($0)", width: section.width, heads: section.heads,
                                 mlpRatio: section.mlpRatio ?? 4)
        }
        norm = try LayerNormLayer(store, prefix + ".norm", width: section.width)
    }

    /// x `[N, width]` → `[N, width]`; `positions` `[N, width]` is added before each block when given.
    public func callAsFunction(_ x: Tensor, positions: Tensor? = nil) -> Tensor {
        var y = x
        for block in blocks {
            if let positions { y += positions }
            y = block(y).output
        }
        return norm(y)
    }
}

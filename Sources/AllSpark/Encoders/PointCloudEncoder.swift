import AllSparkData
import SparkEngine

/// Point cloud: Point-BERT's transformer (Yu et al. 2022; the paper §3.3.3). The cloud is cut
/// into `groups` local patches: farthest-point sampling picks the centres, each centre's
/// `groupSize` nearest points form its group, taken relative to the centre (`PointGrouping`). A
/// mini-PointNet turns each group into one token (`encoder.*`, see `MiniPointNet`). A CLS token
/// (`cls_token`) is prepended; the positions are an MLP of the centre coordinates (`pos_embed`:
/// Linear 3 → 128, GELU, Linear 128 → D) with a learned one for the CLS token (`cls_pos`), added,
/// as Point-BERT's `TransformerEncoder` does, before every one of the `depth` blocks
/// (`blocks.<i>`); a final LayerNorm (`norm`). Paper size: 1024 points, 64 centres, 32-NN,
/// 12 blocks × 384 → 65 × 384 tokens (CLS first, then one per group in FPS order).
///
/// Preprocessing: the whole cloud is centred on its centroid and scaled into the unit sphere
/// (`PointNormalisation`, Point-BERT's `pc_normalize`), then reduced to `points` points —
/// farthest-point sampling (`sampling: "fps"`, the default, as Point-BERT's ModelNet evaluation)
/// or a seeded random subset (`"random"`). Clouds larger than 8 × `points` are first thinned to
/// a seeded random 8 × `points` (ModelNet's 8192 for 1024) so that FPS costs a bounded time; clouds
/// with fewer points are padded with seeded random repeats, as ModelNet loaders do. FPS starts at
/// point 0, as `pointnet2_ops.furthest_point_sample` does, so no seed enters the centres.
public final class PointCloudEncoder: ModalityEncoder {
    public static let modality = Modality.pointcloud

    enum SamplingMethod: String, Codable, Sendable { case fps, random }

    struct InputSection: ConfigSection, Equatable {
        /// Points fed to the grouping (1024 in Point-BERT's ModelNet40 setting).
        var points: Int
        var sampling: SamplingMethod?
        /// Seed of the random thinning, subset and padding.
        var seed: UInt64?
        static let allowedKeys = ["points", "sampling", "seed"]
        mutating func validate(in object: ConfigObject) throws {
            try requirePositive(points, "points", in: object)
            if points > 1 << 20 { throw object.error("points", "is \(points); expected at most \(1 << 20)") }
        }
        var method: SamplingMethod { sampling ?? .fps }
    }

    struct EncoderSection: ConfigSection, Equatable {
        var width: Int
        var depth: Int
        var heads: Int
        var mlpRatio: Float?
        /// Group centres (tokens besides CLS) and points per group.
        var groups: Int
        var groupSize: Int
        static let allowedKeys = ["width", "depth", "heads", "mlpRatio", "groups", "groupSize"]
        mutating func validate(in object: ConfigObject) throws {
            var stack = self.stack
            try stack.validate(in: object)
            try requirePositive(groups, "groups", in: object)
            try requirePositive(groupSize, "groupSize", in: object)
        }
        var stack: TransformerStackSection { TransformerStackSection(width: width, depth: depth, heads: heads, mlpRatio: mlpRatio) }
    }

    /// Hidden width of the centre-position MLP (Point-BERT's `pos_embed`).
    static let positionHidden = 128
    /// Clouds above this multiple of `points` are thinned at random before FPS.
    static let thinningFactor = 8

    public let specification: EncoderSpecification
    let input: InputSection
    let section: EncoderSection
    let groupEncoder: MiniPointNet
    let classToken: Tensor
    let classPosition: Tensor
    let position1: Linear
    let position2: Linear
    let stack: TransformerStack

    public static func specification(section: ModalitySection) throws -> EncoderSpecification {
        let (input, encoder) = try sections(section)
        return EncoderSpecification(
            inputShape: [input.points, 3], tokenShape: [1 + encoder.groups, encoder.width],
            summary: "Point-BERT: FPS to \(encoder.groups) centres, \(encoder.groupSize)-NN groups, mini-PointNet, CLS, \(encoder.stack.summary)")
    }

    static func sections(_ section: ModalitySection) throws -> (InputSection, EncoderSection) {
        let input = try section.input.decode(InputSection.self)
        let encoder = try section.encoder.decode(EncoderSection.self)
        for (key, value) in [("groups", encoder.groups), ("groupSize", encoder.groupSize)] where value > input.points {
            throw section.encoder.error(key, "is \(value); expected at most the \(input.points) points of input.points")
        }
        return (input, encoder)
    }

    public init(section: ModalitySection, store: ParameterStore) throws {
        let (input, encoder) = try Self.sections(section)
        self.input = input; self.section = encoder
        specification = try Self.specification(section: section)
        let prefix = Self.parameterPrefix, d = encoder.width
        groupEncoder = try MiniPointNet(store, prefix + ".encoder", outputs: d)
        classToken = try store.tensor(prefix + ".cls_token", [1, d], .truncatedNormal(std: 0.02))
        classPosition = try store.tensor(prefix + ".cls_pos", [1, d], .truncatedNormal(std: 0.02))
        position1 = try Linear(store, prefix + ".pos_embed.0", inputs: 3, outputs: Self.positionHidden)
        position2 = try Linear(store, prefix + ".pos_embed.2", inputs: Self.positionHidden, outputs: d)
        stack = try TransformerStack(store, prefix, section: encoder.stack)
    }

    public func encode(_ sample: Sample) throws -> EncoderOutput {
        let cloud = try preprocess(sample)
        let groupTokens = groupEncoder(cloud.neighbourhoods, groups: section.groups, size: section.groupSize)
        let positions = Tensor.concatenate([classPosition, position2(position1(cloud.centres).gelu())], axis: 0)
        let tokens = stack(Tensor.concatenate([classToken, groupTokens], axis: 0), positions: positions)
        return EncoderOutput(
            input: cloud.points, tokens: tokens, layout: .points(centres: cloud.centres, leading: 1),
            extras: ["group_indices": Tensor(shape: [section.groups, section.groupSize], scalars: cloud.groups.flatMap { $0.map(Float.init) }),
                     "normalisation": Tensor(shape: [4], scalars: cloud.normalisation.centre + [cloud.normalisation.scale])])
    }

    /// The network's input, its two parts in one tensor `[groups · groupSize + groups, 3]`: the
    /// neighbourhoods (each group's points relative to its centre, group after group) in the first
    /// `groups · groupSize` rows, then the `groups` centres (which the position MLP reads).
    /// `forward` splits it again.
    public func prepare(_ sample: Sample) throws -> Tensor {
        let cloud = try preprocess(sample)
        return Tensor.concatenate([cloud.neighbourhoods, cloud.centres], axis: 0)
    }

    /// A cloud cut into groups: everything the network reads or `encode` reports.
    struct GroupedCloud {
        /// The `input.points` points fed to the grouping, normalised `[points, 3]`.
        var points: Tensor
        /// The centroid and scale that normalised the cloud.
        var normalisation: (centre: [Float], scale: Float)
        /// Group centres in FPS order `[groups, 3]`.
        var centres: Tensor
        /// Each group's point indices into `points`, nearest first.
        var groups: [[Int]]
        /// Each group's points minus its centre, group after group `[groups · groupSize, 3]`.
        var neighbourhoods: Tensor
    }

    /// The cloud validated, normalised, sampled to `input.points` and grouped.
    func preprocess(_ sample: Sample) throws -> GroupedCloud {
        guard case .pointCloud(let cloud, _) = sample.content else {
            throw EncoderInputError(.pointcloud, "expected a point cloud sample, got \(sample.content.kindName)")
        }
        guard cloud.rank == 2, cloud.dim(1) == 3, cloud.dim(0) >= 1 else {
            throw EncoderInputError(.pointcloud, "the cloud has shape \(cloud.shape); expected [points ≥ 1, 3] (x, y, z)")
        }
        if let bad = cloud.scalars.firstIndex(where: { !$0.isFinite }) {
            throw EncoderInputError(.pointcloud, "point \(bad / 3) has a coordinate \(cloud.scalars[bad]); expected finite coordinates")
        }
        let normalised = PointNormalisation.centredInUnitSphere(cloud)
        let points = PointSampling.gather(normalised.points, sampledIndices(normalised.points))

        let centreIndices = PointSampling.farthestPointIndices(points, count: section.groups, startIndex: 0)
        let centres = PointSampling.gather(points, centreIndices)
        let groups = PointGrouping.nearestNeighbours(of: centres, in: points, k: section.groupSize)
        return GroupedCloud(points: points, normalisation: (normalised.centre, normalised.scale), centres: centres, groups: groups,
                            neighbourhoods: PointGrouping.neighbourhoods(points, centres: centres, groups: groups))
    }

    /// Indices of the `input.points` points the encoder takes from a cloud of `points.dim(0)`.
    func sampledIndices(_ points: Tensor) -> [Int] {
        let n = points.dim(0), wanted = input.points, seed = input.seed ?? 0
        if n <= wanted || input.method == .random {
            // Without replacement when n ≥ wanted; all points plus random repeats otherwise.
            return PointSampling.randomIndices(pointCount: n, count: wanted, seed: seed)
        }
        let limit = Self.thinningFactor * wanted
        if n <= limit {
            return PointSampling.farthestPointIndices(points, count: wanted, startIndex: 0)
        }
        let thinned = PointSampling.randomIndices(pointCount: n, count: limit, seed: seed)
        return PointSampling.farthestPointIndices(PointSampling.gather(points, thinned), count: wanted, startIndex: 0)
            .map { thinned[$0] }
    }
}

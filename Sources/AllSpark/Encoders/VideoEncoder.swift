import Foundation
import AllSparkData
import SparkEngine

/// Video: TubeViT's sparse tubes (Piergiovanni et al., "Rethinking Video ViTs: Sparse Video Tubes",
/// CVPR 2023) and a transformer of `depth` blocks (the paper §3.3.3: 6 blocks). Each tube shape is
/// a Conv3d from the 3 colour channels to the width with its own weights (`tubes.<k>.weight`
/// `[D, 3, t, h, w]`, `tubes.<k>.bias`), kernel t×h×w, stride per axis, no padding — so tubes are
/// sparse: large strides sample the clip instead of tiling it. Every tube token gets a fixed
/// sin-cos position embedding of the tube's centre (frame, row, column) in input coordinates, as
/// TubeViT does, so tubes of different shapes share one coordinate frame. The tube sets are
/// concatenated in configuration order, then pre-norm blocks and a final LayerNorm; no CLS token.
/// Paper size (SPEC-MODALITIES.md): 32 × 224 × 224 with tubes 8×8×8/(16,32,32) → 98,
/// 16×4×4/(6,32,32) → 147, 4×12×12/(16,32,32) → 98, 1×16×16/(32,16,16) → 196: 539 tokens × 768.
///
/// Preprocessing: `input.frames` frames spread uniformly over the clip (`FrameSampling`, each at
/// the centre of its segment; short clips repeat frames), each cropped to its central square and
/// resized bilinearly to `input.size` × `input.size` (`SquareInput`), then normalised per channel
/// with `input.mean` / `input.std` (ImageNet's by default). With `input.motion` "differences"
/// the network reads each frame minus the one before it instead (mean 0, std 0.1 by default).
public final class VideoEncoder: ModalityEncoder {
    public static let modality = Modality.video

    struct InputSection: ConfigSection, Equatable {
        var frames: Int
        var size: Int
        var mean: [Float]?
        var std: [Float]?
        /// "frames" (default): the network reads the frames. "differences": it reads each sampled
        /// frame minus the one before it (TSN's "RGB difference", Wang et al. 2016), so a static
        /// background vanishes and what moves is most of what is left; the first difference is
        /// the second's copy, so every tube keeps its frame count.
        var motion: VideoMotionInput?
        static let allowedKeys = ["frames", "size", "mean", "std", "motion"]
        mutating func validate(in object: ConfigObject) throws {
            try requirePositive(frames, "frames", in: object)
            try requirePositive(size, "size", in: object)
            if motion == .differences && frames < 2 {
                throw object.error("frames", "is \(frames); motion \"differences\" needs at least 2 frames")
            }
            try ChannelStatistics.validate(mean: mean, std: std, channels: 3, in: object)
        }
        var readsDifferences: Bool { motion == .differences }
        /// Differences default to mean 0 and standard deviation 0.1 (a moving edge changes a pixel
        /// by tenths; ImageNet's statistics describe frames, not their differences).
        var channelMean: [Float] { ChannelStatistics.perChannel(mean ?? (readsDifferences ? [0] : ChannelNormalisation.imageNetMean), channels: 3) }
        var channelStd: [Float] { ChannelStatistics.perChannel(std ?? (readsDifferences ? [0.1] : ChannelNormalisation.imageNetStd), channels: 3) }
    }

    struct EncoderSection: ConfigSection, Equatable {
        var width: Int
        var depth: Int
        var heads: Int
        var mlpRatio: Float?
        /// One [t, h, w] kernel and one [t, h, w] stride per tube shape.
        var tubeKernels: [[Int]]
        var tubeStrides: [[Int]]
        /// The fixed position embedding's scale (TubeViT's: 1, the default). At 1 its sines
        /// (RMS 0.71, the same for every clip) outweigh what an untrained tube embedding makes of a
        /// small actor on a mostly static background: two different clips then gave bridge
        /// outputs that differed by a quarter of their size (two RGB scenes: 1.5 times), and the
        /// head learned nothing in 300 steps. A smaller scale lets the clip's content lead.
        var positionScale: Float?
        static let allowedKeys = ["width", "depth", "heads", "mlpRatio", "tubeKernels", "tubeStrides", "positionScale"]

        mutating func validate(in object: ConfigObject) throws {
            let sizes = try sizes(in: object)
            if sizes.width % 6 != 0 {
                throw object.error("width", "is \(sizes.width); expected a multiple of 6 (the position embedding gives each of frame, row and column a sine and a cosine half)")
            }
            if tubeKernels.isEmpty { throw object.error("tubeKernels", "is empty; expected at least one tube shape [frames, height, width]") }
            if tubeStrides.count != tubeKernels.count {
                throw object.error("tubeStrides", "has \(tubeStrides.count) entries; expected \(tubeKernels.count), one per tube kernel")
            }
            if let positionScale, !(positionScale.isFinite && positionScale >= 0) {
                throw object.error("positionScale", "is \(positionScale); expected a finite number ≥ 0")
            }
            for (key, list) in [("tubeKernels", tubeKernels), ("tubeStrides", tubeStrides)] {
                if let bad = list.firstIndex(where: { $0.count != 3 || $0.contains { $0 <= 0 } }) {
                    throw object.error(key, "entry \(bad) is \(list[bad]); expected three positive integers [frames, height, width]")
                }
            }
        }

        func sizes(in object: ConfigObject) throws -> TransformerStackSection {
            try TransformerStackSection.validated(width: width, depth: depth, heads: heads, mlpRatio: mlpRatio, in: object)
        }

        var tubes: [TubeShape] { zip(tubeKernels, tubeStrides).map { TubeShape(kernel: $0, stride: $1) } }
    }

    public let specification: EncoderSpecification
    let input: InputSection
    let tubes: [TubeShape]
    let grids: [TubeGrid]
    /// One Conv3d per tube shape, `encoders.video.tubes.<k>`.
    let tubeEmbeddings: [PatchEmbedding]
    /// The fixed position embedding of every tube token, `[N, D]`, computed once.
    let positions: Tensor
    let transformer: TransformerStack

    public static func specification(section: ModalitySection) throws -> EncoderSpecification {
        let (input, sizes, _, grids) = try sections(section)
        let shapes = grids.map { "\($0.name) → \($0.count)" }.joined(separator: ", ")
        return EncoderSpecification(inputShape: [input.frames, 3, input.size, input.size],
                                    tokenShape: [grids.reduce(0) { $0 + $1.count }, sizes.width],
                                    summary: "TubeViT sparse tubes (\(shapes))\(input.readsDifferences ? " on frame differences" : ""), transformer \(sizes.summary)")
    }

    static func sections(_ section: ModalitySection) throws -> (InputSection, TransformerStackSection, [TubeShape], [TubeGrid]) {
        let input = try section.input.decode(InputSection.self)
        let encoder = try encoderSection(section)
        let tubes = encoder.tubes
        let grids = try tubes.enumerated().map { index, tube -> TubeGrid in
            guard let grid = tube.grid(frames: input.frames, height: input.size, width: input.size) else {
                let axis = tube.kernel[0] > input.frames ? "frames" : "size"
                throw section.input.error(axis, "is \(axis == "frames" ? input.frames : input.size); tube \(index) (kernel \(tube.kernel)) does not fit — expected at least \(axis == "frames" ? tube.kernel[0] : max(tube.kernel[1], tube.kernel[2]))")
            }
            return grid
        }
        return (input, try encoder.sizes(in: section.encoder), tubes, grids)
    }

    static func encoderSection(_ section: ModalitySection) throws -> EncoderSection {
        try section.encoder.decode(EncoderSection.self)
    }

    public init(section: ModalitySection, store: ParameterStore) throws {
        let (input, sizes, tubes, grids) = try Self.sections(section)
        let positionScale = try Self.encoderSection(section).positionScale ?? 1
        self.input = input
        self.tubes = tubes
        self.grids = grids
        specification = try Self.specification(section: section)
        let prefix = Self.parameterPrefix
        tubeEmbeddings = try tubes.enumerated().map { index, tube in
            try PatchEmbedding(store, Self.tubeName(index), width: sizes.width, channels: 3, kernel: tube.kernel, stride: tube.stride)
        }
        positions = Tensor.concatenate(zip(tubes, grids).map { tube, grid in
            SinusoidalPosition.embedding(tube.centres(grid), width: sizes.width)
        }, axis: 0) * positionScale
        transformer = try TransformerStack(store, prefix, section: sizes)
    }

    /// The parameter-tree prefix of tube shape `index`'s Conv3d.
    static func tubeName(_ index: Int) -> String { "\(parameterPrefix).tubes.\(index)" }

    public func encode(_ sample: Sample) throws -> EncoderOutput {
        let (frames, volume) = try preprocess(sample)
        return EncoderOutput(input: frames, tokens: transformer(tubeTokens(volume)), layout: .tubes(grids))
    }

    /// The network's input: the normalised clip, channels first `[3, T, S, S]`.
    public func prepare(_ sample: Sample) throws -> Tensor { try preprocess(sample).volume }

    /// The sampled, cropped and resized frames `[T, 3, S, S]` (shown as the input) and their
    /// normalised form with channels first, `[3, T, S, S]`, as Conv3d takes them (the network's input).
    func preprocess(_ sample: Sample) throws -> (frames: Tensor, volume: Tensor) {
        guard case .video(let clip, _) = sample.content else {
            throw EncoderInputError(.video, "expected a video sample, got \(sample.content.kindName)")
        }
        guard clip.rank == 4, clip.dim(0) > 0, clip.dim(1) == 3, clip.dim(2) > 0, clip.dim(3) > 0 else {
            throw EncoderInputError(.video, "expected frames [frames, 3, height, width], got shape \(clip.shape)")
        }
        let frames = try EncoderInputError.preprocessing(.video) {
            try SquareInput.centred(FrameSampling.sample(clip, target: input.frames), side: input.size)
        }
        let read = input.readsDifferences ? Self.frameDifferences(frames) : frames
        let normalised = try EncoderInputError.preprocessing(.video) {
            try ChannelNormalisation.normalise(read, mean: input.channelMean, std: input.channelStd)
        }
        return (frames, normalised.permuted([1, 0, 2, 3]))
    }

    /// Each frame of `[T, C, H, W]` minus the frame before it; frame 0 gets frame 1's difference.
    static func frameDifferences(_ frames: Tensor) -> Tensor {
        let count = frames.dim(0), size = frames.count / count
        guard count >= 2 else { return Tensor(shape: frames.shape, scalars: [Float](repeating: 0, count: frames.count)) }
        var scalars = [Float](repeating: 0, count: frames.count)
        frames.scalars.withUnsafeBufferPointer { source in
            for t in 0..<count {
                let later = max(t, 1), earlier = later - 1
                for i in 0..<size { scalars[t * size + i] = source[later * size + i] - source[earlier * size + i] }
            }
        }
        return Tensor(shape: frames.shape, scalars: scalars)
    }

    /// The tube tokens of a normalised clip `[3, T, S, S]` with their position embeddings, before
    /// the transformer: `[N, D]`, tube sets in configuration order, each in (frame, row, column) order.
    func tubeTokens(_ volume: Tensor) -> Tensor {
        Tensor.concatenate(tubeEmbeddings.map { $0(volume) }, axis: 0) + positions
    }
}

/// What the video network reads: the frames, or their differences (`input.motion`).
enum VideoMotionInput: String, Codable, Sendable, Equatable {
    case frames
    case differences
}

/// One TubeViT tube shape: a kernel [t, h, w] moved by a stride [t, h, w] without padding.
struct TubeShape: Sendable, Equatable {
    var kernel: [Int]
    var stride: [Int]

    /// "8×8×8/16,32,32"
    var name: String {
        kernel.map(String.init).joined(separator: "×") + "/" + stride.map(String.init).joined(separator: ",")
    }

    /// Tubes per axis over a frames × height × width clip, ⌊(size − kernel) / stride⌋ + 1 each; nil
    /// when the kernel is larger than the clip along some axis.
    func grid(frames: Int, height: Int, width: Int) -> TubeGrid? {
        let counts = zip([frames, height, width], zip(kernel, stride)).map { size, window in
            ConvolutionArithmetic.outputSide(size, kernel: window.0, stride: window.1)
        }
        guard let t = counts[0], let h = counts[1], let w = counts[2] else { return nil }
        return TubeGrid(name: name, frames: t, rows: h, columns: w)
    }

    /// The centre (frame, row, column) of every tube of `grid`, in input coordinates, in the
    /// order of the Conv3d output (frames, then rows, then columns).
    func centres(_ grid: TubeGrid) -> [[Float]] {
        func centre(_ axis: Int, _ index: Int) -> Float { Float(index * stride[axis]) + Float(kernel[axis] - 1) / 2 }
        var result: [[Float]] = []
        result.reserveCapacity(grid.count)
        for t in 0..<grid.frames {
            for y in 0..<grid.rows {
                for x in 0..<grid.columns { result.append([centre(0, t), centre(1, y), centre(2, x)]) }
            }
        }
        return result
    }
}

/// Fixed sin-cos position embeddings of points with several coordinates (the 1-D form of
/// Vaswani et al. 2017, applied per axis as the 2-D/3-D forms of MAE and TubeViT): the width is
/// split into one block per axis; in each block of 2F channels, channel k < F is sin(p · ωₖ) and
/// channel F + k is cos(p · ωₖ), with ωₖ = 10000^(−k / F).
enum SinusoidalPosition {
    /// `[points, width]`; width must be a multiple of 2 × (coordinates per point).
    static func embedding(_ points: [[Float]], width: Int) -> Tensor {
        let axes = points.first?.count ?? 1
        precondition(width % (2 * axes) == 0, "sin-cos embedding width \(width) is not a multiple of \(2 * axes)")
        let half = width / (2 * axes)
        let frequencies = (0..<half).map { pow(10000, -Double($0) / Double(half)) }
        var scalars = [Float](repeating: 0, count: points.count * width)
        for (n, point) in points.enumerated() {
            for (axis, coordinate) in point.enumerated() {
                let base = n * width + axis * 2 * half
                for k in 0..<half {
                    let angle = Double(coordinate) * frequencies[k]
                    scalars[base + k] = Float(sin(angle))
                    scalars[base + half + k] = Float(cos(angle))
                }
            }
        }
        return Tensor(shape: [points.count, width], scalars: scalars)
    }
}

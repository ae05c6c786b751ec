import AllSparkData
import SparkEngine

/// How an encoder's tokens are arranged, so views can lay them out on the input's own axes
/// (the patch grid, the time axis, the point cloud).
public enum TokenLayout: Sendable, Equatable {
    /// A plain sequence; optional labels per token (table columns, band wavelengths, time steps).
    case sequence(labels: [String]?)
    /// `leading` extra tokens (CLS) followed by a rows × columns patch grid in row-major order.
    case grid(rows: Int, columns: Int, leading: Int)
    /// `count` views, each `leading` extra tokens then a rows × columns grid, concatenated.
    case views(count: Int, rows: Int, columns: Int, leading: Int)
    /// Groups of tokens, each a frames × rows × columns grid (TubeViT's tube sets), concatenated.
    case tubes([TubeGrid])
    /// `leading` extra tokens then one token per point group, with the group centres `[groups, 3]`.
    case points(centres: Tensor, leading: Int)
    /// steps × nodes positions (STAEformer's time × node grid), in row-major order.
    case timeByNode(steps: Int, nodes: Int)
}

public struct TubeGrid: Sendable, Equatable {
    public var name: String
    public var frames: Int
    public var rows: Int
    public var columns: Int
    public init(name: String, frames: Int, rows: Int, columns: Int) {
        self.name = name; self.frames = frames; self.rows = rows; self.columns = columns
    }
    public var count: Int { frames * rows * columns }
}

/// What an encoder produced for one sample.
public struct EncoderOutput: Sendable {
    /// The encoder's input after preprocessing (resized image, sampled points …), for display.
    public var input: Tensor
    /// `[N, D]` tokens.
    public var tokens: Tensor
    public var layout: TokenLayout
    /// Named intermediate tensors worth showing (per-view tokens, group centres, embeddings …).
    public var extras: [String: Tensor]
    /// Text and code: the tokenizer's ids, which enter the language model as ids (nil otherwise).
    public var tokenIds: [Int32]?

    public init(input: Tensor, tokens: Tensor, layout: TokenLayout, extras: [String: Tensor] = [:], tokenIds: [Int32]? = nil) {
        self.input = input; self.tokens = tokens; self.layout = layout; self.extras = extras; self.tokenIds = tokenIds
    }
}

/// Shapes an encoder promises for a configuration, computed without weights or samples
/// (`allspark shapes`).
public struct EncoderSpecification: Sendable, Equatable {
    /// The preprocessed input's shape, e.g. [3, 420, 420].
    public var inputShape: [Int]
    /// Tokens `[N, D]`; N is -1 when it depends on the sample (text, code).
    public var tokenShape: [Int]
    /// One line naming the architecture ("ViT 40×1408, patch 14, CLS").
    public var summary: String

    public init(inputShape: [Int], tokenShape: [Int], summary: String) {
        self.inputShape = inputShape; self.tokenShape = tokenShape; self.summary = summary
    }

    public var tokenWidth: Int { tokenShape.last ?? 0 }
}

/// A modality's encoder. One type per modality, one file each, parameters named
/// `encoders.<modality>.…`. Types validate their own `input` and `encoder` configuration sections.
public protocol ModalityEncoder: AnyObject, Sendable {
    static var modality: Modality { get }
    /// Validates the configuration and returns the shapes, allocating no weights.
    static func specification(section: ModalitySection) throws -> EncoderSpecification
    /// Builds the encoder, taking its parameters from `store`.
    init(section: ModalitySection, store: ParameterStore) throws
    var specification: EncoderSpecification { get }
    /// Preprocesses the sample as configured and encodes it. Wrong content for the modality or
    /// shapes the configuration cannot take are thrown as errors that say what was expected.
    func encode(_ sample: Sample) throws -> EncoderOutput
}

extension ModalityEncoder {
    /// `encoders.<modality>`
    public static var parameterPrefix: String { "encoders.\(modality.rawValue)" }
}

/// An error about a sample that does not fit the encoder (wrong kind of content, wrong size).
public struct EncoderInputError: Error, CustomStringConvertible, Equatable, Sendable {
    public var modality: Modality
    public var problem: String
    public init(_ modality: Modality, _ problem: String) { self.modality = modality; self.problem = problem }
    public var description: String { "\(modality.rawValue) encoder: \(problem)" }
}

/// An encoder whose sample holds a query and a gallery to rank (infrared re-identification):
/// the pipeline embeds each gallery image on its own and ranks it against the query.
public protocol GalleryEncoder: ModalityEncoder {
    /// Tokens of each gallery image alone, through the gallery (RGB) network.
    func encodeGallery(_ sample: Sample) throws -> [Tensor]
}

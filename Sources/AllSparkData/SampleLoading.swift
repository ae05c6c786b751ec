import Foundation

/// Limits that keep a loader from reading or allocating without bound. Every loader checks the
/// file size before reading and the declared sizes (pixels, points, rows, frames) before allocating.
public struct LoadLimits: Sendable, Equatable {
    /// Largest file a loader will read, in bytes.
    public var maxFileBytes: Int = 256 << 20
    /// Largest image, in pixels (width × height).
    public var maxPixels: Int = 16_000_000
    /// Most points in a point cloud file (before sampling).
    public var maxPoints: Int = 10_000_000
    /// Most rows in a table or trajectory file.
    public var maxRows: Int = 5_000_000
    /// Most frames read from a video.
    public var maxFrames: Int = 10_000
    /// Most elements of one NPY array.
    public var maxElements: Int = 200_000_000

    public init() {}
    public static let standard = LoadLimits()
}

/// One format reader for one modality: it turns a path into a validated `Sample`.
public protocol SampleLoader: Sendable {
    /// The modality it produces.
    var modality: Modality { get }
    /// File extensions it accepts ("png", "jpg"), or "/" for a folder.
    var fileExtensions: [String] { get }
    func load(path: String, limits: LoadLimits) throws -> Sample
}

/// A generator of synthetic samples for `allspark synth`: same seed, same bytes.
/// Each conforming type documents, in a comment block, the physical or statistical model it follows.
public protocol SyntheticGenerator: Sendable {
    var modality: Modality { get }
    /// Class names (classification), or the target's name and unit (regression), for the configs.
    var labelDescription: [String] { get }
    /// Writes `count` samples into `directory` (created if missing) plus a label file, and returns
    /// the paths written.
    func generate(count: Int, seed: UInt64, directory: String) throws -> [String]
}

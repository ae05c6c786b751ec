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
    /// Reads `path`. `options` choose a part of a larger file (a pedestrian and start frame in a
    /// trajectory file, a pixel of a hyperspectral cube, a window of a traffic series); each loader
    /// documents its keys and rejects unknown ones.
    func load(path: String, options: [String: String], limits: LoadLimits) throws -> Sample
}

/// A sample reference as typed by a user: a path with optional options after `#`,
/// e.g. `samples/trajectory/eth.txt#pedestrian=3&start=120`.
public struct SampleReference: Sendable, Equatable, Hashable {
    public var path: String
    public var options: [String: String]

    public init(path: String, options: [String: String] = [:]) {
        self.path = path; self.options = options
    }

    /// Parses `path#key=value&key=value`. A fragment entry without `=` is an error.
    public init(parsing text: String) throws {
        guard let hash = text.lastIndex(of: "#") else { self.init(path: text); return }
        let path = String(text[..<hash])
        var options: [String: String] = [:]
        for entry in text[text.index(after: hash)...].split(separator: "&") where !entry.isEmpty {
            guard let eq = entry.firstIndex(of: "=") else {
                throw DataError.invalidArgument("sample option '\(entry)' in '\(text)' is not key=value")
            }
            options[String(entry[..<eq])] = String(entry[entry.index(after: eq)...])
        }
        self.init(path: path, options: options)
    }

    /// The text form, options sorted by key.
    public var text: String {
        options.isEmpty ? path : path + "#" + options.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
    }
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

/// A generator whose samples continue one another (the days of one road network): `first` skips
/// that many, so a later split (validation, test) is the same world at a later time, the way
/// traffic data sets are split chronologically.
public protocol ContinuingGenerator: SyntheticGenerator {
    func generate(count: Int, seed: UInt64, first: Int, directory: String) throws -> [String]
}

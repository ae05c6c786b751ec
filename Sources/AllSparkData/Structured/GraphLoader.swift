import Foundation
import SparkEngine

/// Traffic-graph samples from a PEMS-style NPZ (`TrafficSeriesReader`) and an adjacency file
/// (`TrafficAdjacencyReader`): a window of 12 steps of every node, and the next 12 steps of
/// feature 0 as the label (`.futureSeries`, `[12, nodes]`) when the series has them.
///
/// Options:
/// - `start`: the window's first step (default 0).
/// - `adjacency`: the adjacency file, relative to the NPZ's folder (or absolute). Without it the
///   first that exists of `<name>.distances.csv`, `<name>.adjacency.npy`, `distances.csv`,
///   `adjacency.npy` in the NPZ's folder is used (`<name>` is the NPZ's name without `.npz`).
/// - `threshold`: the Gaussian-kernel weight below which an edge is dropped (default 0.1).
public struct GraphLoader: SampleLoader {
    public let modality = Modality.graph
    public let fileExtensions = ["npz"]

    public static let windowSteps = 12
    public static let horizonSteps = 12

    public init() {}

    public func load(path: String, options: [String: String], limits: LoadLimits) throws -> Sample {
        let options = try LoaderOptions(options, file: path, allowed: ["start", "adjacency", "threshold"])
        let threshold = try options.number("threshold", default: 0.1, in: 0...1)
        let start = try options.integer("start", default: 0, in: 0...Int(Int32.max))!
        let series = try TrafficSeriesReader.read(path, limits: limits)
        let window = Self.windowSteps, horizon = Self.horizonSteps
        guard series.steps >= window else {
            throw DataError.malformed(file: path, problem: "data has \(series.steps) steps; expected at least \(window) for one window")
        }
        guard start + window <= series.steps else {
            throw DataError.invalidArgument("\(path): option start=\(start) leaves fewer than \(window) steps; the series has \(series.steps) steps, so start must be 0...\(series.steps - window)")
        }
        let adjacencyPath = try Self.adjacencyFile(for: path, option: options.string("adjacency"))
        let adjacency = try TrafficAdjacencyReader.read(adjacencyPath, nodes: series.nodes, sensorIDs: series.sensorIDs,
                                                        threshold: threshold, limits: limits)
        let rows = series.data.slice(rows: start..<(start + window))
        var label: SampleLabel?
        if start + window + horizon <= series.steps {
            let future = series.data.slice(rows: (start + window)..<(start + window + horizon))
            let stride = series.features
            let speeds = (0..<(horizon * series.nodes)).map { future.scalars[$0 * stride] }
            label = .futureSeries(Tensor(shape: [horizon, series.nodes], scalars: speeds))
        }
        return Sample(modality: .graph, path: path,
                      content: .graph(series: rows, timeOfDay: Array(series.timeOfDay[start..<(start + window)]),
                                      dayOfWeek: Array(series.dayOfWeek[start..<(start + window)]), adjacency: adjacency),
                      label: label)
    }

    static func adjacencyFile(for path: String, option: String?) throws -> String {
        let folder = (path as NSString).deletingLastPathComponent
        func inFolder(_ name: String) -> String { name.hasPrefix("/") ? name : (folder as NSString).appendingPathComponent(name) }
        if let option {
            let chosen = inFolder(option)
            guard FileManager.default.fileExists(atPath: chosen) else {
                throw DataError.unreadable(file: chosen, problem: "no such file (option adjacency=\(option)); expected a from,to,cost CSV or an (N, N) NPY next to \(path)")
            }
            return chosen
        }
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let candidates = ["\(stem).distances.csv", "\(stem).adjacency.npy", "distances.csv", "adjacency.npy"]
        guard let found = candidates.map(inFolder).first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw DataError.unreadable(file: path, problem: "has no adjacency file next to it; expected one of \(candidates.joined(separator: ", ")) in \(folder.isEmpty ? "." : folder), or the option adjacency=FILE")
        }
        return found
    }
}

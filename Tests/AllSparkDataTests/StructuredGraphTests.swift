import Foundation
import Testing
import SparkEngine
import SparkFormats
@testable import AllSparkData

@Suite("Structured: traffic graphs (PEMS-style NPZ)")
struct StructuredGraphTests {
    /// T = 30 steps, N = 3 nodes, C = 2 features; data[t, n, c] = 10 t + n + 0.5 c.
    static func series(steps: Int = 30, nodes: Int = 3) -> NumpyArray {
        var values: [Float] = []
        for t in 0..<steps {
            for n in 0..<nodes {
                let base = Float(10 * t + n)
                values += [base, base + 0.5]
            }
        }
        return NumpyArray(shape: [steps, nodes, 2], floats: values)
    }

    static func calendar(steps: Int = 30) -> [(name: String, array: NumpyArray)] {
        [("time_of_day", NumpyArray(shape: [steps], floats: (0..<steps).map { Float($0) / 288 })),
         ("day_of_week", NumpyArray(shape: [steps], values: .int64([Int64](repeating: 2, count: steps))))]
    }

    /// The distance list of scripts/reference/structured_graph_reference.py.
    static let distances = "from,to,cost\n0,0,0\n0,1,1000\n1,2,2000\n0,2,3000\n2,0,500\n"

    func write(_ folder: StructuredTempFolder, _ name: String, _ arrays: [(name: String, array: NumpyArray)]) throws -> String {
        let path = folder.file(name)
        try NPZ.write(arrays, to: path, compressed: true)
        return path
    }

    func load(_ path: String, _ options: [String: String] = [:], limits: LoadLimits = .standard) throws -> Sample {
        try GraphLoader().load(path: path, options: options, limits: limits)
    }

    @Test func windowCalendarLabelAndGaussianKernelAdjacency() throws {
        let folder = try StructuredTempFolder()
        let path = try write(folder, "day.npz", [("data", Self.series())] + Self.calendar())
        try folder.write("distances.csv", Self.distances)
        let sample = try load(path, ["start": "5"])
        guard case .graph(let series, let timeOfDay, let dayOfWeek, let adjacency) = sample.content else { Issue.record("not a graph"); return }
        #expect(series.shape == [12, 3, 2])
        #expect(series[0, 1, 1] == 51.5 && series[11, 2, 0] == 162)
        #expect(timeOfDay == (5..<17).map { Float($0) / 288 })
        #expect(dayOfWeek == [Int](repeating: 2, count: 12))
        // DCRNN kernel, values from scripts/reference/structured_graph_reference.py (numpy):
        // σ = 1077.03296, w = exp(−(d/σ)²), w < 0.1 → 0.
        let expected: [Float] = [1.0, 0.4222874939441681, 0.0, 0.0, 0.0, 0.0, 0.8061243891716003, 0.0, 0.0]
        #expect(adjacency.shape == [3, 3])
        for (got, want) in zip(adjacency.scalars, expected) { #expect(abs(got - want) < 1e-6) }
        var future: [Float] = []
        for t in 17..<29 { for n in 0..<3 { future.append(Float(10 * t + n)) } }
        #expect(sample.label == .futureSeries(Tensor(shape: [12, 3], scalars: future)))
        // The last full window has no room for a future: no label.
        #expect(try load(path, ["start": "18"]).label == nil)
    }

    @Test func calendarFromStartAndInterval() throws {
        // 2012-03-01 00:00 UTC, a Thursday; values from scripts/reference/structured_graph_reference.py.
        let (tod, dow) = TrafficSeriesReader.derivedCalendar(startSeconds: 1_330_560_000, intervalMinutes: 5, steps: 301)
        #expect(tod[0] == 0 && dow[0] == 3)
        #expect(abs(tod[1] - 0.003472222) < 1e-7 && dow[1] == 3)
        #expect(abs(tod[150] - 0.5208333) < 1e-6 && dow[150] == 3)
        #expect(abs(tod[300] - 0.0416667) < 1e-6 && dow[300] == 4)
        // Before 1970: 1969-12-31 23:00 was a Wednesday (2).
        let (beforeTod, beforeDow) = TrafficSeriesReader.derivedCalendar(startSeconds: -3600, intervalMinutes: 60, steps: 2)
        #expect(beforeDow == [2, 3] && abs(beforeTod[0] - 23.0 / 24) < 1e-6 && beforeTod[1] == 0)

        let folder = try StructuredTempFolder()
        let path = try write(folder, "day.npz", [("data", Self.series()),
                                                 ("start", NumpyArray(shape: [], values: .int64([1_330_560_000]))),
                                                 ("interval_minutes", NumpyArray(shape: [], values: .float64([5])))])
        try folder.write("distances.csv", Self.distances)
        guard case .graph(_, let windowTod, let windowDow, _) = try load(path, ["start": "12"]).content else { Issue.record("not a graph"); return }
        #expect(windowDow.allSatisfy { $0 == 3 })
        #expect(abs(windowTod[0] - 12.0 / 288) < 1e-7)
    }

    @Test func sensorIDsMapTheDistanceCSVAndNPYAdjacencyIsRead() throws {
        let folder = try StructuredTempFolder()
        let ids = NumpyArray(shape: [3], values: .int64([717_001, 717_555, 716_900]))
        let path = try write(folder, "ids.npz", [("data", Self.series()), ("sensor_ids", ids)] + Self.calendar())
        try folder.write("ids.distances.csv", "from,to,cost\n717555,716900,100\n716900,717555,100\n")
        guard case .graph(_, _, _, let adjacency) = try load(path).content else { Issue.record("not a graph"); return }
        // Both listed distances are equal (σ = 0): each listed pair weighs 1.
        #expect(adjacency.scalars == [0, 0, 0, 0, 0, 1, 0, 1, 0])
        let matrix = NumpyArray(shape: [3, 3], floats: [1, 0.5, 0, 0.5, 1, 0.25, 0, 0.25, 1])
        try NPY.write(matrix, to: folder.file("weights.npy"))
        guard case .graph(_, _, _, let fromNPY) = try load(path, ["adjacency": "weights.npy"]).content else { Issue.record("not a graph"); return }
        #expect(fromNPY.scalars == matrix.floats())
    }

    @Test func badArchivesAreErrors() throws {
        let folder = try StructuredTempFolder()
        try folder.write("distances.csv", Self.distances)
        func check(_ name: String, _ arrays: [(name: String, array: NumpyArray)], _ mentions: [String], options: [String: String] = [:]) throws {
            let path = try write(folder, name, arrays)
            expectLoadError(file: path, mentions: mentions) { _ = try load(path, options) }
        }
        try check("nodata.npz", Self.calendar(), ["no array 'data'", "day_of_week, time_of_day", "expected data of shape (T, N, C)"])
        try check("rank.npz", [("data", NumpyArray(shape: [30, 3], floats: [Float](repeating: 1, count: 90)))] + Self.calendar(), ["shape [30, 3]", "expected (T, N, C)"])
        var values = Self.series().floats(); values[2 * 3 * 4 + 2 * 1 + 1] = .nan
        try check("nan.npz", [("data", NumpyArray(shape: [30, 3, 2], floats: values))] + Self.calendar(), ["nan at [4, 1, 1]", "expected finite values"])
        values[2 * 3 * 4 + 2 * 1 + 1] = -.infinity
        try check("inf.npz", [("data", NumpyArray(shape: [30, 3, 2], floats: values))] + Self.calendar(), ["-inf at [4, 1, 1]"])
        try check("nocal.npz", [("data", Self.series())], ["neither time_of_day and day_of_week nor start and interval_minutes"])
        try check("calshape.npz", [("data", Self.series())] + Self.calendar(steps: 29), ["shape [29]", "expected (30,) each"])
        try check("tod.npz", [("data", Self.series()), ("time_of_day", NumpyArray(shape: [30], floats: [Float](repeating: 1, count: 30))), Self.calendar()[1]], ["time_of_day[0] is 1.0", "[0, 1)"])
        try check("dow.npz", [("data", Self.series()), Self.calendar()[0], ("day_of_week", NumpyArray(shape: [30], values: .int64([Int64](repeating: 7, count: 30))))], ["day_of_week[0] is 7", "0 (Monday)"])
        try check("interval.npz", [("data", Self.series()), ("start", NumpyArray(shape: [], values: .int64([0]))), ("interval_minutes", NumpyArray(shape: [], values: .float64([0])))], ["interval_minutes", "(0, 10080]"])
        try check("ids.npz", [("data", Self.series()), ("sensor_ids", NumpyArray(shape: [2], values: .int64([1, 2])))] + Self.calendar(), ["sensor_ids has shape [2]", "expected (3,)"])
        try check("short.npz", [("data", Self.series(steps: 11))] + Self.calendar(steps: 11), ["11 steps", "at least 12"])
        try check("start.npz", [("data", Self.series())] + Self.calendar(), ["start=19", "0...18"], options: ["start": "19"])
        try check("option.npz", [("data", Self.series())] + Self.calendar(), ["unknown sample option", "row"], options: ["row": "1"])

        // Not an NPZ at all, a truncated one, an empty file, a folder, a file over the limits.
        let good = try write(folder, "good.npz", [("data", Self.series())] + Self.calendar())
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: good)))
        let notZip = try folder.write("text.npz", "data,time\n1,2\n")
        expectLoadError(file: notZip, mentions: ["expected a zip archive"]) { _ = try load(notZip) }
        let truncated = try folder.write("truncated.npz", bytes: Array(bytes.prefix(bytes.count - 30)))
        expectLoadError(file: truncated, mentions: ["end-of-central-directory", "expected a zip archive"]) { _ = try load(truncated) }
        let empty = try folder.write("empty.npz", bytes: [])
        expectLoadError(file: empty, mentions: ["empty", "expected a PEMS-style NPZ"]) { _ = try load(empty) }
        let directory = try folder.folder("dir.npz")
        expectLoadError(file: directory, mentions: ["is a folder"]) { _ = try load(directory) }
        expectLoadError(file: good, mentions: ["maxFileBytes"]) { _ = try load(good, limits: structuredLimits()) }
        var few = LoadLimits(); few.maxElements = 100
        expectLoadError(file: good, mentions: ["member 'data.npy'", "more than the limit of 100"]) { _ = try load(good, limits: few) }
    }

    @Test func badAdjacencyFilesAreErrors() throws {
        let folder = try StructuredTempFolder()
        let path = try write(folder, "day.npz", [("data", Self.series())] + Self.calendar())
        expectLoadError(file: path, mentions: ["no adjacency file", "day.distances.csv", "adjacency=FILE"]) { _ = try load(path) }
        func check(_ name: String, _ text: String, _ mentions: [String]) throws {
            let csv = try folder.write(name, text)
            expectLoadError(file: csv, mentions: mentions) { _ = try load(path, ["adjacency": name]) }
        }
        try check("header.csv", "a,b,c\n0,1,5\n", ["expected the columns from, to, cost"])
        try check("node.csv", "from,to,cost\n0,3,5\n", ["line 2", "node 3 is out of range", "0...2"])
        try check("cost.csv", "from,to,cost\n0,1,-5\n", ["line 2", "'-5'", "finite distance ≥ 0"])
        try check("nancost.csv", "from,to,cost\n0,1,nan\n", ["'nan'", "finite distance"])
        try check("ragged.csv", "from,to,cost\n0,1\n", ["line 2 has 2 fields"])
        try check("none.csv", "from,to,cost\n", ["lists no distances"])
        try NPY.write(NumpyArray(shape: [2, 2], floats: [1, 0, 0, 1]), to: folder.file("small.npy"))
        let small = folder.file("small.npy")
        expectLoadError(file: small, mentions: ["shape [2, 2]", "expected (3, 3)"]) { _ = try load(path, ["adjacency": "small.npy"]) }
        try NPY.write(NumpyArray(shape: [3, 3], floats: [1, 0, 0, 0, .nan, 0, 0, 0, 1]), to: folder.file("nan.npy"))
        expectLoadError(file: folder.file("nan.npy"), mentions: ["adjacency[1, 1] is nan", "finite weights"]) { _ = try load(path, ["adjacency": "nan.npy"]) }
        let missing = folder.file("missing.csv")
        expectLoadError(file: missing, mentions: ["no such file", "adjacency=missing.csv"]) { _ = try load(path, ["adjacency": "missing.csv"]) }
        try folder.folder("dir.csv")
        expectLoadError(file: folder.file("dir.csv"), mentions: ["is a folder"]) { _ = try load(path, ["adjacency": "dir.csv"]) }
        expectLoadError(file: path, mentions: ["threshold=2"]) { _ = try load(path, ["threshold": "2", "adjacency": "small.npy"]) }
    }
}

import Foundation
import SparkEngine
import SparkFormats

/// The weighted adjacency of a traffic graph, from a road-distance CSV or an `(N, N)` NPY matrix.
///
/// Distance CSV (`from,to,cost`, as METR-LA's `distances_la_2012.csv`): directed road distances
/// between sensors, by sensor id (the NPZ's `sensor_ids`) or, without ids, by node index. The
/// weights follow DCRNN (Li et al., ICLR 2018, `gen_adj_mx.py`): w = exp(−(d/σ)²) with σ the
/// standard deviation (ddof 0) of all listed distances, weights below `threshold` (default 0.1)
/// set to 0, pairs not listed 0. The diagonal is what the CSV says (DCRNN's files list each
/// sensor with itself at cost 0, giving 1). If every listed distance is the same (σ = 0), each
/// listed pair gets weight 1.
enum TrafficAdjacencyReader {
    static func read(_ path: String, nodes: Int, sensorIDs: [Int64]?, threshold: Double, limits: LoadLimits) throws -> Tensor {
        let (squared, overflow) = nodes.multipliedReportingOverflow(by: nodes)
        guard !overflow, squared <= limits.maxElements else {
            throw DataError.malformed(file: path, problem: "an adjacency for \(nodes) nodes needs \(overflow ? "more than \(Int.max)" : String(squared)) elements, more than \(limits.maxElements) (LoadLimits.maxElements)")
        }
        switch (path as NSString).pathExtension.lowercased() {
        case "csv": return try fromDistances(path, nodes: nodes, sensorIDs: sensorIDs, threshold: threshold, limits: limits)
        case "npy": return try fromMatrix(path, nodes: nodes, limits: limits)
        default:
            throw DataError.unreadable(file: path, problem: "is neither a .csv distance list nor an .npy matrix; expected an adjacency file")
        }
    }

    static func fromMatrix(_ path: String, nodes: Int, limits: LoadLimits) throws -> Tensor {
        let bytes = try LimitedFileReader.read(path, limits: limits, expected: "an (N, N) NPY adjacency matrix")
        let array = try translatingFormatErrors(file: path) { try NPY.decode(bytes, name: path, maxElements: limits.maxElements) }
        guard array.shape == [nodes, nodes] else {
            throw DataError.malformed(file: path, problem: "adjacency has shape \(array.shape); expected (\(nodes), \(nodes)) for the \(nodes) nodes of the series")
        }
        let values = array.floats()
        if let bad = values.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
            throw DataError.malformed(file: path, problem: "adjacency[\(bad / nodes), \(bad % nodes)] is \(values[bad]); expected finite weights ≥ 0")
        }
        return Tensor(shape: [nodes, nodes], scalars: values)
    }

    static func fromDistances(_ path: String, nodes: Int, sensorIDs: [Int64]?, threshold: Double, limits: LoadLimits) throws -> Tensor {
        let text = try UTF8TextReader.read(path, limits: limits, expected: "a from,to,cost distance CSV")
        let table = try CSVReader.parse(text, file: path, maxRows: limits.maxRows)
        let lowered = table.header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let from = lowered.firstIndex(of: "from"), let to = lowered.firstIndex(of: "to"), let cost = lowered.firstIndex(of: "cost") else {
            throw DataError.malformed(file: path, problem: "header is \(table.header.joined(separator: ",")); expected the columns from, to, cost")
        }
        var indexOfID: [Int64: Int] = [:]
        if let sensorIDs { for (i, id) in sensorIDs.enumerated() { indexOfID[id] = i } }
        func node(_ raw: String, line: Int, column: String) throws -> Int {
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            guard let value = Double(trimmed), value == value.rounded(), abs(value) < 1e15 else {
                throw DataError.malformed(file: path, problem: "line \(line), column \(column): '\(trimmed)' is not a whole number; expected a sensor id")
            }
            let id = Int64(value)
            if sensorIDs != nil {
                guard let index = indexOfID[id] else {
                    throw DataError.malformed(file: path, problem: "line \(line), column \(column): sensor \(id) is not among the series' sensor_ids; expected one of its \(nodes) sensors")
                }
                return index
            }
            guard id >= 0 && id < nodes else {
                throw DataError.malformed(file: path, problem: "line \(line), column \(column): node \(id) is out of range; expected a node index 0...\(nodes - 1) (the series has no sensor_ids)")
            }
            return Int(id)
        }
        var distance = [Double](repeating: .infinity, count: nodes * nodes)
        for (r, row) in table.rows.enumerated() {
            let line = table.rowLines[r]
            let a = try node(row[from], line: line, column: "from"), b = try node(row[to], line: line, column: "to")
            let text = row[cost].trimmingCharacters(in: .whitespaces)
            guard let d = Double(text), d.isFinite, d >= 0 else {
                throw DataError.malformed(file: path, problem: "line \(line), column cost: '\(text)'; expected a finite distance ≥ 0")
            }
            distance[a * nodes + b] = d
        }
        let listed = distance.filter(\.isFinite)
        guard !listed.isEmpty else {
            throw DataError.malformed(file: path, problem: "lists no distances; expected rows of from,to,cost")
        }
        let mean = listed.reduce(0, +) / Double(listed.count)
        let sigma = (listed.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(listed.count)).squareRoot()
        let weights: [Float] = distance.map { d in
            guard d.isFinite else { return 0 }
            guard sigma > 0 else { return 1 }
            let w = Foundation.exp(-(d / sigma) * (d / sigma))
            return w < threshold ? 0 : Float(w)
        }
        return Tensor(shape: [nodes, nodes], scalars: weights)
    }
}

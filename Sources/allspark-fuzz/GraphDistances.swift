#if ALLSPARK_FUZZ
@testable import AllSparkData

extension FuzzTarget {
    /// The from,to,cost distance CSV of a traffic graph, read both ways: by the node index and by
    /// the first eight sensor ids of samples/graph/distances.csv (the ids in the seed corpus).
    static let graphDistances = FuzzTarget(name: "graph-csv", maxLength: 8192) { bytes in
        let path = try FuzzFile.write(bytes, extension: "csv")
        _ = try? TrafficAdjacencyReader.fromDistances(path, nodes: 8, sensorIDs: nil, threshold: 0.1, limits: limits)
        _ = try TrafficAdjacencyReader.fromDistances(path, nodes: sensorIDs.count, sensorIDs: sensorIDs, threshold: 0.1, limits: limits)
    }

    private static let sensorIDs: [Int64] = [701565, 704070, 705430, 706747, 708511, 711370, 712283, 714996]
}
#endif

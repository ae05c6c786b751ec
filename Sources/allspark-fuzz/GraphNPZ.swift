#if ALLSPARK_FUZZ
@testable import AllSparkData

extension FuzzTarget {
    /// A PEMS-style traffic NPZ (data, calendar or start + interval, sensor ids).
    static let graphNPZ = FuzzTarget(name: "graph-npz", maxLength: 16 << 10) { bytes in
        _ = try TrafficSeriesReader.read(FuzzFile.write(bytes, extension: "npz"), limits: limits)
    }
}
#endif

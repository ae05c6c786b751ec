#if ALLSPARK_FUZZ
@testable import AllSparkData

extension FuzzTarget {
    /// ETH/UCY trajectory text: frame, pedestrian, x, y per line.
    static let eth = FuzzTarget(name: "eth", maxLength: 8192) { bytes in
        let text = try UTF8TextReader.decode(bytes, file: "fuzz.txt", expected: "ETH/UCY trajectories")
        _ = try ETHTrajectoryReader.parse(text, file: "fuzz.txt", maxRows: limits.maxRows)
    }
}
#endif

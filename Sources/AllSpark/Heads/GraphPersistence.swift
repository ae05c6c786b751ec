import SparkEngine

/// What persistence forecasts for each node of a traffic series: its last observed reading of
/// feature 0. A reading of 0 is a missing one (METR-LA's convention), so the last non-zero reading
/// in the window counts; a node that reported nothing gets `fallback` (the head's mean). The graph
/// head predicts each future value as a deviation from this, so a zero head is exactly the
/// persistence forecast and training learns the corrections (as the trajectory head does with
/// constant velocity).
public enum GraphPersistence {
    /// `series` `[steps, nodes, features]` → one value per node.
    public static func lastReadings(_ series: Tensor, fallback: Float) -> [Float] {
        guard series.rank == 3, series.dim(0) > 0, series.dim(2) > 0 else { return [] }
        let (steps, nodes, features) = (series.dim(0), series.dim(1), series.dim(2))
        return series.withUnsafeBufferPointer { x in
            (0..<nodes).map { node in
                for step in stride(from: steps - 1, through: 0, by: -1) {
                    let value = x[(step * nodes + node) * features]
                    if value != 0, value.isFinite { return value }
                }
                return fallback
            }
        }
    }
}

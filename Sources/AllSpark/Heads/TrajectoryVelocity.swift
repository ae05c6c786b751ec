import SparkEngine

/// The last observed step of a track `[steps, 2]` (position per frame): what constant velocity
/// extrapolates, and what the trajectory head's read-out adds per future step.
public enum TrajectoryVelocity {
    public static func lastStep(_ observed: Tensor) -> (x: Float, y: Float) {
        guard observed.rank == 2, observed.shape[1] == 2, observed.shape[0] >= 2 else { return (0, 0) }
        let n = observed.shape[0]
        let step = (observed[n - 1, 0] - observed[n - 2, 0], observed[n - 1, 1] - observed[n - 2, 1])
        return step.0.isFinite && step.1.isFinite ? step : (0, 0)
    }
}

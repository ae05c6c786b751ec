import SparkEngine

/// Trajectory coordinates relative to the last observed position, as TUTR and most ETH/UCY
/// predictors use: the model sees displacements, not the scene's absolute coordinates. The offset
/// is kept so that predictions map back to the scene (for ADE/FDE against the file's positions).
public enum TrajectoryNormalisation {
    public struct Result: Equatable {
        /// Observed positions `[steps, 2]` minus the offset (the last row is (0, 0)).
        public var observed: Tensor
        /// Neighbours' positions minus the same offset.
        public var neighbours: [Tensor]
        /// The last observed position (x, y) that was subtracted.
        public var offset: [Float]
    }

    public static func relativeToLastObserved(_ observed: Tensor, neighbours: [Tensor] = []) -> Result {
        precondition(observed.rank == 2 && observed.dim(1) == 2 && observed.dim(0) > 0, "observed must be [steps ≥ 1, 2], got \(observed.shape)")
        let last = observed.dim(0) - 1
        let offset = [observed[last, 0], observed[last, 1]]
        return Result(observed: shifted(observed, by: offset, sign: -1),
                      neighbours: neighbours.map { shifted($0, by: offset, sign: -1) }, offset: offset)
    }

    /// Positions `[steps, 2]` predicted in the relative frame, back in the scene's frame.
    public static func restore(_ relative: Tensor, offset: [Float]) -> Tensor {
        shifted(relative, by: offset, sign: 1)
    }

    private static func shifted(_ positions: Tensor, by offset: [Float], sign: Float) -> Tensor {
        precondition(positions.rank == 2 && positions.dim(1) == 2, "positions must be [steps, 2], got \(positions.shape)")
        var out = positions.scalars
        for i in 0..<out.count { out[i] += sign * offset[i % 2] }
        return Tensor(shape: positions.shape, scalars: out)
    }
}

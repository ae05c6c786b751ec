import SparkEngine

/// Centring a cloud on its centroid and scaling it into the unit sphere, as ModelNet pipelines
/// (PointNet++, PointBERT: `pc_normalize`) do before the encoder.
public enum PointNormalisation {
    public struct Result: Equatable {
        public var points: Tensor
        /// The centroid that was subtracted (x, y, z).
        public var centre: [Float]
        /// The largest distance from the centroid, by which points were divided (1 for a cloud
        /// with all points at its centroid, so nothing is divided by zero).
        public var scale: Float
    }

    public static func centredInUnitSphere(_ points: Tensor) -> Result {
        precondition(points.rank == 2 && points.dim(1) == 3, "points must be [n, 3], got \(points.shape)")
        let n = points.dim(0)
        guard n > 0 else { return Result(points: points, centre: [0, 0, 0], scale: 1) }
        var sum = [Double](repeating: 0, count: 3)
        for i in 0..<n { for k in 0..<3 { sum[k] += Double(points.scalars[3 * i + k]) } }
        let centre = sum.map { Float($0 / Double(n)) }
        var out = points.scalars
        var largest: Float = 0
        for i in 0..<n {
            var squared: Float = 0
            for k in 0..<3 {
                out[3 * i + k] -= centre[k]
                squared += out[3 * i + k] * out[3 * i + k]
            }
            largest = max(largest, squared.squareRoot())
        }
        let scale: Float = largest > 0 ? largest : 1
        for i in 0..<out.count { out[i] /= scale }
        return Result(points: Tensor(shape: points.shape, scalars: out), centre: centre, scale: scale)
    }
}

import SparkEngine

/// Choosing a fixed number of points from a cloud `[n, 3]`, as point-cloud encoders need
/// (PointBERT takes 1024 points and picks group centres by farthest-point sampling).
public enum PointSampling {
    /// Farthest-point sampling: starts from a seeded random point, then repeatedly takes the point
    /// farthest from all points taken so far. Returns `count` indices (≤ n; all n when count ≥ n,
    /// in FPS order). Ties go to the lowest index.
    public static func farthestPointIndices(_ points: Tensor, count: Int, seed: UInt64) -> [Int] {
        precondition(points.rank == 2 && points.dim(1) == 3, "points must be [n, 3], got \(points.shape)")
        guard points.dim(0) > 0 else { return [] }
        var random = DeterministicRandom(seed: seed)
        return farthestPointIndices(points, count: count, startIndex: random.integer(below: points.dim(0)))
    }

    /// Farthest-point sampling from a given first point.
    public static func farthestPointIndices(_ points: Tensor, count: Int, startIndex: Int) -> [Int] {
        precondition(points.rank == 2 && points.dim(1) == 3, "points must be [n, 3], got \(points.shape)")
        let n = points.dim(0)
        let wanted = min(max(count, 0), n)
        guard wanted > 0 else { return [] }
        precondition(startIndex >= 0 && startIndex < n, "start index \(startIndex) out of 0..<\(n)")
        var chosen = [startIndex]
        chosen.reserveCapacity(wanted)
        var nearest = [Float](repeating: .infinity, count: n)
        points.withUnsafeBufferPointer { p in
            nearest.withUnsafeMutableBufferPointer { d in
                var last = chosen[0]
                while chosen.count < wanted {
                    let lx = p[3 * last], ly = p[3 * last + 1], lz = p[3 * last + 2]
                    var best = 0
                    var bestDistance: Float = -1
                    for i in 0..<n {
                        let dx = p[3 * i] - lx, dy = p[3 * i + 1] - ly, dz = p[3 * i + 2] - lz
                        let distance = dx * dx + dy * dy + dz * dz
                        if distance < d[i] { d[i] = distance }
                        if d[i] > bestDistance { bestDistance = d[i]; best = i }
                    }
                    chosen.append(best)
                    last = best
                }
            }
        }
        return chosen
    }

    /// `count` indices chosen at random: without replacement (a seeded partial Fisher–Yates
    /// shuffle) when count ≤ n; when count > n, every point once and then random repeats, the way
    /// ModelNet loaders pad small clouds.
    public static func randomIndices(pointCount n: Int, count: Int, seed: UInt64) -> [Int] {
        guard n > 0, count > 0 else { return [] }
        var random = DeterministicRandom(seed: seed)
        if count > n {
            return Array(0..<n) + (0..<(count - n)).map { _ in random.integer(below: n) }
        }
        var order = Array(0..<n)
        for i in 0..<count { order.swapAt(i, i + random.integer(below: n - i)) }
        return Array(order[0..<count])
    }

    /// The rows `indices` of `points` (`[n, d]` → `[indices.count, d]`).
    public static func gather(_ points: Tensor, _ indices: [Int]) -> Tensor {
        let width = points.rank == 2 ? points.dim(1) : 1
        var scalars = [Float](); scalars.reserveCapacity(indices.count * width)
        for i in indices { scalars.append(contentsOf: points.scalars[(i * width)..<((i + 1) * width)]) }
        return Tensor(shape: [indices.count, width], scalars: scalars)
    }
}

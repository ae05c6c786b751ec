import SparkEngine

/// Point-BERT's grouping of a cloud into local patches: each group is the `k` points nearest to a
/// centre (squared Euclidean distance, the centre itself included when it is one of the points),
/// expressed relative to that centre.
enum PointGrouping {
    /// For each centre `[g, 3]`, the indices of its `k` nearest points of `points` `[n, 3]`,
    /// nearest first; equal distances go to the lower index. Requires 1 ≤ k ≤ n.
    static func nearestNeighbours(of centres: Tensor, in points: Tensor, k: Int) -> [[Int]] {
        let n = points.dim(0), groups = centres.dim(0)
        precondition(k >= 1 && k <= n, "k = \(k) must be in 1...\(n)")
        var distances = [Float](repeating: 0, count: n)
        return (0..<groups).map { g in
            let cx = centres.scalars[3 * g], cy = centres.scalars[3 * g + 1], cz = centres.scalars[3 * g + 2]
            points.withUnsafeBufferPointer { p in
                distances.withUnsafeMutableBufferPointer { d in
                    for i in 0..<n {
                        let dx = p[3 * i] - cx, dy = p[3 * i + 1] - cy, dz = p[3 * i + 2] - cz
                        d[i] = dx * dx + dy * dy + dz * dz
                    }
                }
            }
            return smallest(k, of: distances)
        }
    }

    /// Indices of the `k` smallest values, ascending by (value, index): one pass keeping the best
    /// `k` in order, so a cloud of n points costs about n comparisons per group rather than a sort.
    static func smallest(_ k: Int, of values: [Float]) -> [Int] {
        var bestValues = [Float](), bestIndices = [Int]()
        bestValues.reserveCapacity(k + 1); bestIndices.reserveCapacity(k + 1)
        for (i, value) in values.enumerated() {
            // An equal value never displaces an earlier index, and goes after the equal ones kept.
            if bestValues.count == k, !(value < bestValues[k - 1]) { continue }
            var position = bestValues.count
            while position > 0, value < bestValues[position - 1] { position -= 1 }
            bestValues.insert(value, at: position); bestIndices.insert(i, at: position)
            if bestValues.count > k { bestValues.removeLast(); bestIndices.removeLast() }
        }
        return bestIndices
    }

    /// The grouped points minus their centre: `[groups · k, 3]`, group after group, in the order
    /// of `groups`.
    static func neighbourhoods(_ points: Tensor, centres: Tensor, groups: [[Int]]) -> Tensor {
        let k = groups.first?.count ?? 0
        return Tensor(shape: [groups.count * k, 3], uninitializedWith: { out in
            var row = 0
            for (g, members) in groups.enumerated() {
                for i in members {
                    for axis in 0..<3 { out[3 * row + axis] = points.scalars[3 * i + axis] - centres.scalars[3 * g + axis] }
                    row += 1
                }
            }
        })
    }
}

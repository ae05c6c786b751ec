/// Column handling for table encoders. TabFormer embeds a discrete column by lookup and a
/// continuous one by first quantising it into bins; regression targets are standardised for
/// training and mapped back ("unscaled") with the stored mean and standard deviation.

/// Standardisation of one numeric column with a stored mean and standard deviation.
public struct ColumnStandardisation: Sendable, Equatable, Codable {
    public var mean: Double
    public var standardDeviation: Double

    public init(mean: Double, standardDeviation: Double) {
        self.mean = mean; self.standardDeviation = standardDeviation
    }

    /// Fits the numbers among `values` (missing values and categories are skipped), with the
    /// population standard deviation (ddof = 0, as scikit-learn's StandardScaler). A constant or
    /// empty column gets deviation 1 so that standardising never divides by zero.
    public init(fitting values: [TableValue]) {
        let numbers = values.compactMap { if case .number(let x) = $0 { return x } else { return nil } }
        guard !numbers.isEmpty else { self.init(mean: 0, standardDeviation: 1); return }
        let mean = numbers.reduce(0, +) / Double(numbers.count)
        let variance = numbers.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(numbers.count)
        self.init(mean: mean, standardDeviation: variance > 0 ? variance.squareRoot() : 1)
    }

    public func standardise(_ x: Double) -> Double { (x - mean) / standardDeviation }
    public func restore(_ z: Double) -> Double { z * standardDeviation + mean }
}

/// Quantisation of one continuous column into `binCount` bins by ascending edges; a missing value
/// has a bin of its own, `binCount` (so an embedding table needs `binCount + 1` rows).
public struct ColumnQuantisation: Sendable, Equatable, Codable {
    /// The `binCount − 1` interior edges, ascending: bin k holds edges[k−1] ≤ x < edges[k].
    public var edges: [Double]

    public var binCount: Int { edges.count + 1 }
    public var missingBin: Int { binCount }

    public init(edges: [Double]) {
        precondition(zip(edges, edges.dropFirst()).allSatisfy { $0 <= $1 }, "edges must ascend")
        self.edges = edges
    }

    /// Equal-width bins between `low` and `high`.
    public init(uniformFrom low: Double, to high: Double, binCount: Int) {
        precondition(binCount >= 1 && high >= low, "need binCount ≥ 1 and high ≥ low")
        self.init(edges: (1..<binCount).map { low + (high - low) * Double($0) / Double(binCount) })
    }

    /// Equal-frequency bins: edges at the k/binCount quantiles of the numbers among `values`,
    /// with linear interpolation between order statistics (numpy's default `quantile` method).
    public init(quantilesOf values: [TableValue], binCount: Int) {
        precondition(binCount >= 1, "need binCount ≥ 1")
        let sorted = values.compactMap { if case .number(let x) = $0 { return x } else { return nil } }.sorted()
        guard !sorted.isEmpty else { self.init(edges: [Double](repeating: 0, count: binCount - 1)); return }
        self.init(edges: (1..<binCount).map { k in
            let position = Double(k) / Double(binCount) * Double(sorted.count - 1)
            let below = Int(position.rounded(.down)), above = min(below + 1, sorted.count - 1)
            return sorted[below] + (sorted[above] - sorted[below]) * (position - Double(below))
        })
    }

    /// The bin of a number (binary search on the edges).
    public func bin(of x: Double) -> Int {
        var low = 0, high = edges.count
        while low < high {
            let mid = (low + high) / 2
            if x < edges[mid] { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// The bin of a table value: numbers by their edges, anything else in the missing bin.
    public func bin(of value: TableValue) -> Int {
        if case .number(let x) = value { return bin(of: x) }
        return missingBin
    }
}

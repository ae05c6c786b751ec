extension Tensor {
    /// Uniform values in [lower, upper] from `generator` (see `SeededRandomGenerator.fillUniform`).
    public init(randomUniform shape: [Int], lower: Float = 0, upper: Float = 1, generator: inout SeededRandomGenerator) {
        self.init(shape: shape, uninitializedWith: { generator.fillUniform($0, lower: lower, upper: upper) })
    }

    /// Normal values N(mean, std²) from `generator`, filled in row-major order by Box–Muller pairs.
    public init(randomNormal shape: [Int], mean: Float = 0, std: Float = 1, generator: inout SeededRandomGenerator) {
        self.init(shape: shape, uninitializedWith: { generator.fillNormal($0, mean: mean, std: std) })
    }

    /// Truncated normal values by resampling, with absolute bounds as PyTorch's `trunc_normal_`.
    /// The bounds default to mean ± 2·std. (PyTorch's own defaults are the absolute -2 and 2, which
    /// for the usual std = 0.02 truncate nothing; pass `lower: -2, upper: 2` to reproduce that.)
    public init(truncatedNormal shape: [Int], mean: Float = 0, std: Float = 1, lower: Float? = nil, upper: Float? = nil,
                generator: inout SeededRandomGenerator) {
        let low = lower ?? mean - 2 * std, high = upper ?? mean + 2 * std
        self.init(shape: shape, uninitializedWith: {
            generator.fillTruncatedNormal($0, mean: mean, std: std, lower: low, upper: high)
        })
    }
}

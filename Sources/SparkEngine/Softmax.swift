/// Which keys each query may attend to.
public enum AttentionMask: Sendable, Equatable {
    /// Every query sees every key.
    case full
    /// Query i sees keys 0...i + offset. With a key/value cache the queries are the last rows of
    /// a longer sequence: offset = number of keys before the first query (keys - queries).
    case causal(offset: Int = 0)

    /// Number of keys query `row` sees, out of `keys`.
    @inline(__always)
    func visibleKeys(forQuery row: Int, of keys: Int) -> Int {
        switch self {
        case .full: return keys
        case let .causal(offset): return Swift.max(0, Swift.min(keys, row + offset + 1))
        }
    }
}

extension Tensor {
    /// Softmax over the last axis, computed as exp(x - max) / Σ exp(x - max) so large inputs do not
    /// overflow. With a causal mask, the second-to-last axis indexes queries (a rank-1 tensor is
    /// one query, row 0): masked entries become exactly 0, and a row that sees no key is all 0.
    /// A NaN input, a +infinity or a row of only -infinity gives a NaN row, as in NumPy.
    public func softmax(mask: AttentionMask = .full) -> Tensor {
        var result = self
        result.applySoftmax(mask: mask)
        return result
    }

    /// Softmax over the last axis in place (see `softmax(mask:)`).
    public mutating func applySoftmax(mask: AttentionMask = .full) {
        precondition(rank >= 1, "softmax needs rank ≥ 1, got a scalar")
        let width = shape[rank - 1]
        if count == 0 || width == 0 { return }
        let rows = count / width
        let queries = rank >= 2 ? shape[rank - 2] : 1
        scalars.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            EngineThreads.parallelRanges(count: rows, grain: Swift.max(1, 8192 / width)) { range in
                for row in range {
                    let visible = mask.visibleKeys(forQuery: row % queries, of: width)
                    softmaxRow(base + row * width, width: width, visible: visible)
                }
            }
        }
    }
}

/// Softmax of p[0..<visible] in place; p[visible..<width] set to 0.
@inline(__always)
func softmaxRow(_ p: UnsafeMutablePointer<Float>, width: Int, visible: Int) {
    for j in visible..<width { p[j] = 0 }
    if visible == 0 { return }
    let peak = VectorMath.max(UnsafePointer(p), visible)
    if !peak.isFinite {
        // +infinity, all -infinity or all NaN: exp(x - max) is undefined (NumPy and PyTorch give
        // NaN too); a NaN row is visible in every summary instead of a made-up distribution.
        for j in 0..<visible { p[j] = .nan }
        return
    }
    for j in 0..<visible { p[j] = fastExp(p[j] - peak) }
    let total = VectorMath.sum(UnsafePointer(p), visible)
    let inverse = 1 / total
    for j in 0..<visible { p[j] *= inverse }
}

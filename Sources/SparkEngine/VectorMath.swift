/// Reductions over contiguous Float runs, written with SIMD accumulators.
///
/// Without fast-math the compiler may not reorder a floating-point sum, so a plain loop stays
/// scalar; sixteen lanes of partial sums let it use vector registers. The order of additions
/// therefore differs from a sequential sum by rounding only.
enum VectorMath {
    typealias Lanes = SIMD16<Float>

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> Lanes {
        UnsafeRawPointer(p).loadUnaligned(as: Lanes.self)
    }

    @inline(__always)
    static func sum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = Lanes()
        var i = 0
        while i + Lanes.scalarCount <= n {
            acc += load(p + i)
            i += Lanes.scalarCount
        }
        var total = acc.sum()
        while i < n { total += p[i]; i += 1 }
        return total
    }

    /// Σ (p[i] - center)², the second pass of a two-pass variance.
    @inline(__always)
    static func sumOfSquaredDeviations(_ p: UnsafePointer<Float>, _ n: Int, from center: Float) -> Float {
        var acc = Lanes()
        let c = Lanes(repeating: center)
        var i = 0
        while i + Lanes.scalarCount <= n {
            let d = load(p + i) - c
            acc += d * d
            i += Lanes.scalarCount
        }
        var total = acc.sum()
        while i < n { let d = p[i] - center; total += d * d; i += 1 }
        return total
    }

    @inline(__always)
    static func sumOfSquares(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        sumOfSquaredDeviations(p, n, from: 0)
    }

    /// Largest value; NaN is skipped unless every value is NaN. -infinity for n == 0.
    @inline(__always)
    static func max(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        var best = -Float.infinity
        for i in 0..<n where p[i] > best { best = p[i] }
        if best == -.infinity && n > 0 && (0..<n).allSatisfy({ p[$0].isNaN }) { return .nan }
        return best
    }
}

import Foundation

/// Summary statistics of a tensor for one-line display and NaN/Inf detection.
/// Statistics are over finite values only; NaN and Inf are counted separately.
public struct TensorSummary: Sendable, Equatable, Codable {
    public var count: Int
    public var min: Float
    public var max: Float
    public var mean: Float
    public var std: Float
    public var nanCount: Int
    public var infCount: Int

    public init(_ tensor: Tensor) {
        self.init(tensor.scalars)
    }

    public init<C: Collection>(_ values: C) where C.Element == Float {
        var lo = Float.infinity, hi = -Float.infinity
        var sum = 0.0, sumSquares = 0.0
        var finite = 0, nans = 0, infs = 0
        for v in values {
            if v.isNaN { nans += 1; continue }
            if v.isInfinite { infs += 1; continue }
            finite += 1
            lo = Swift.min(lo, v); hi = Swift.max(hi, v)
            let d = Double(v)
            sum += d; sumSquares += d * d
        }
        count = values.count
        nanCount = nans
        infCount = infs
        if finite == 0 {
            min = .nan; max = .nan; mean = .nan; std = .nan
        } else {
            let m = sum / Double(finite)
            min = lo; max = hi; mean = Float(m)
            std = Float(Foundation.sqrt(Swift.max(0, sumSquares / Double(finite) - m * m)))
        }
    }

    public var hasNonFinite: Bool { nanCount > 0 || infCount > 0 }

    /// e.g. "n=4608 x∈[-2.31, 3.02] μ=0.012 σ=0.998" plus NaN/Inf counts when present.
    public var line: String {
        var text = "n=\(count) x∈[\(Self.format(min)), \(Self.format(max))] μ=\(Self.format(mean)) σ=\(Self.format(std))"
        if nanCount > 0 { text += " NaN!\(nanCount)" }
        if infCount > 0 { text += " Inf!\(infCount)" }
        return text
    }

    public static func format(_ v: Float) -> String {
        if v.isNaN { return "nan" }
        let a = abs(v)
        if a != 0 && (a < 1e-3 || a >= 1e4) { return String(format: "%.2e", Double(v)) }
        return String(format: "%.3g", Double(v))
    }
}

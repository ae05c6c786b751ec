import Testing
@testable import SparkEngine

/// Test inputs shared with scripts/reference/engine_reference.py (its `pattern`): small integers
/// times a power of two, exact in Float32, so the script and the tests start from the same numbers.
/// Expected arrays in the tests keep the script's snake_case names so each can be traced to its line.
enum Pattern {
    static func values(_ count: Int, _ multiplier: Int, _ offset: Int, _ modulus: Int, _ scale: Float) -> [Float] {
        (0..<count).map { i in Float(((i * multiplier + offset) % modulus) - modulus / 2) * scale }
    }

    static func tensor(_ shape: [Int], _ multiplier: Int, _ offset: Int, _ modulus: Int, _ scale: Float) -> Tensor {
        Tensor(shape: shape, scalars: values(Tensor.elementCount(shape), multiplier, offset, modulus, scale))
    }
}

/// Expects |actual - expected| ≤ absolute + relative · |expected| elementwise (infinities must
/// match exactly, NaN must meet NaN), and reports the first few differences.
func expectClose(_ actual: [Float], _ expected: [Float], relative: Float = 1e-5, absolute: Float = 1e-6,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "count \(actual.count), expected \(expected.count)", sourceLocation: sourceLocation)
    guard actual.count == expected.count else { return }
    var differences: [String] = []
    for (i, (a, e)) in zip(actual, expected).enumerated() {
        let ok: Bool
        if e.isNaN { ok = a.isNaN } else if e.isInfinite { ok = a == e } else { ok = abs(a - e) <= absolute + relative * abs(e) }
        if !ok { differences.append("[\(i)] \(a) vs \(e)") }
    }
    #expect(differences.isEmpty, "\(differences.count) differ: \(differences.prefix(6).joined(separator: ", "))",
            sourceLocation: sourceLocation)
}

func expectClose(_ actual: Tensor, shape: [Int], _ expected: [Float], relative: Float = 1e-5, absolute: Float = 1e-6,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.shape == shape, sourceLocation: sourceLocation)
    expectClose(actual.scalars, expected, relative: relative, absolute: absolute, sourceLocation: sourceLocation)
}

import Foundation
import Testing
import SparkEngine
import SparkGrad

/// Reproducible uniform values for test inputs (SplitMix64; independent of the engine's generators).
struct TestRandom {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [lower, upper), as a Float (exact in Double).
    mutating func uniform(_ lower: Float = -1, _ upper: Float = 1) -> Float {
        lower + (upper - lower) * Float(next() >> 40) / Float(1 << 24)
    }

    mutating func tensor(_ shape: [Int], _ lower: Float = -1, _ upper: Float = 1) -> Tensor {
        Tensor(shape: shape, scalars: (0..<Tensor.elementCount(shape)).map { _ in uniform(lower, upper) })
    }
}

extension Ref {
    init(_ t: Tensor) { self.init(t.shape, t.scalars.map(Double.init)) }
}

/// Result of comparing a tape's gradients with central finite differences of a Float64 reference.
struct GradientReport: CustomStringConvertible {
    /// Per input: the largest |analytic − numeric| / max|numeric| (normwise relative error).
    var relativeErrors: [Double] = []
    /// Elements outside the tolerance: (input, element, analytic, numeric).
    var failures: [(Int, Int, Double, Double)] = []
    /// max |tape forward − reference forward| / max |reference forward|: the reference is the same function.
    var forwardError = 0.0
    var forwardTolerance = 0.0
    var missingGradients: [Int] = []
    var checkedElements = 0

    var passed: Bool { failures.isEmpty && missingGradients.isEmpty && forwardError <= forwardTolerance }

    var description: String {
        "relative errors \(relativeErrors.map { String(format: "%.2e", $0) }), forward error \(String(format: "%.2e", forwardError)), "
            + "\(checkedElements) elements checked, \(failures.count) outside tolerance"
            + (failures.isEmpty ? "" : ": " + failures.prefix(5).map { "input \($0.0)[\($0.1)] analytic \($0.2) numeric \($0.3)" }.joined(separator: "; "))
            + (missingGradients.isEmpty ? "" : ", no gradient for inputs \(missingGradients)")
    }
}

/// Checks the tape's backward of an operation against central finite differences.
///
/// The inputs become parameters (or constants, for the indices in `constants`), `forward` builds
/// the operation on the tape, and backward runs with a fixed random seed R of the output's shape,
/// so the gradients are those of L = Σ output ⊙ R. The numeric gradient perturbs each input element
/// by ±h in `reference` — the operation's Float64 forward — and takes (L₊ − L₋) / 2h. An element
/// passes when |analytic − numeric| ≤ rtol·|numeric| + atol·scale, scale being the largest
/// magnitude of that input's gradient. `samples` checks that many random elements per input
/// instead of all of them.
func gradientCheck(
    _ inputs: [Tensor], constants: Set<Int> = [], samples: Int? = nil,
    rtol: Double = 1e-3, atol: Double = 2e-5, step h: Double = 1e-5, forwardTolerance: Double = 1e-5, seed: UInt64 = 99,
    forward: ([Variable]) -> Variable, reference: ([Ref]) -> Ref
) -> GradientReport {
    var report = GradientReport()
    report.forwardTolerance = forwardTolerance
    var random = TestRandom(seed: seed)
    let tape = Tape()
    let variables = inputs.enumerated().map { constants.contains($0.offset) ? tape.constant($0.element) : tape.parameter($0.element) }
    let output = forward(variables)
    let r = random.tensor(output.shape)
    let rd = r.scalars.map(Double.init)
    let references = inputs.map(Ref.init)
    let expected = reference(references)
    precondition(expected.shape == output.shape, "reference shape \(expected.shape), tape output \(output.shape)")
    let forwardScale = Swift.max(expected.v.map(abs).max() ?? 0, 1e-30)
    report.forwardError = zip(output.value.scalars, expected.v).map { abs(Double($0) - $1) }.max() ?? 0
    report.forwardError /= forwardScale
    tape.backward(output, seed: r)

    func loss(_ arrays: [Ref]) -> Double {
        let y = reference(arrays)
        var total = 0.0
        for i in 0..<y.count { total += y.v[i] * rd[i] }
        return total
    }

    for (index, input) in inputs.enumerated() where !constants.contains(index) {
        guard let gradient = tape.gradient(variables[index]) else {
            report.missingGradients.append(index)
            continue
        }
        precondition(gradient.shape == input.shape)
        var elements = Array(0..<input.count)
        if let samples, samples < input.count {
            elements = (0..<samples).map { _ in Int(random.next() % UInt64(input.count)) }
        }
        var numeric = [Double]()
        for element in elements {
            var perturbed = references
            perturbed[index].v[element] = references[index].v[element] + h
            let plus = loss(perturbed)
            perturbed[index].v[element] = references[index].v[element] - h
            let minus = loss(perturbed)
            numeric.append((plus - minus) / (2 * h))
        }
        let analytic = elements.map { Double(gradient.scalars[$0]) }
        let scale = Swift.max(numeric.map(abs).max() ?? 0, gradient.scalars.map { Double(abs($0)) }.max() ?? 0, 1e-30)
        var worst = 0.0
        for (k, element) in elements.enumerated() {
            let difference = abs(analytic[k] - numeric[k])
            worst = Swift.max(worst, difference / scale)
            if difference > rtol * abs(numeric[k]) + atol * scale {
                report.failures.append((index, element, analytic[k], numeric[k]))
            }
        }
        report.relativeErrors.append(worst)
        report.checkedElements += elements.count
    }
    return report
}

/// Expects a passing gradient check, with the report in the failure message.
func expectGradients(_ report: GradientReport, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(report.passed, "\(report)", sourceLocation: sourceLocation)
}

/// The scalars' bit patterns, so equality means bit-identical (and NaN equals NaN).
func bits(_ t: Tensor) -> [UInt32] { t.scalars.map(\.bitPattern) }

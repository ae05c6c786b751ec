import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine

/// The ridge-regression baseline against numpy's solution of the same normal equations, exact
/// recovery of a noise-free linear map, refusals of unusable data, and its figures in the
/// trajectory evaluation against a hand computation.
struct LinearRegressionBaselineTests {
    static let inputs: [[Float]] = [[1, 2], [0, -1], [3, 1], [2, 2], [-1, 0.5], [0.5, 0.5]]
    static let targets: [[Float]] = [[1, 0], [2, 1], [0, 3], [1, 1], [4, -2], [0, 0.5]]

    /// numpy: W = solve(AᵀA + diag(0.5, 0.5, 0), AᵀY) with A = [X, 1]; then [1.5, −2, 1]·W.
    @Test func ridgeSolutionMatchesNumpy() throws {
        let fit = try #require(LinearRegressionBaseline(inputs: Self.inputs, targets: Self.targets, ridge: 0.5))
        let expected: [[Double]] = [[-0.82120194, 1.20455394], [0.11048899, -0.68570362], [1.99402762, 0.05057857]]
        for (row, values) in expected.enumerated() {
            for (column, value) in values.enumerated() { #expect(abs(fit.coefficients[row][column] - value) < 1e-7) }
        }
        let prediction = fit.predict([1.5, -2])
        #expect(abs(prediction[0] - 0.54124673) < 1e-5 && abs(prediction[1] - 3.22881672) < 1e-5)
    }

    @Test func recoversANoiseFreeLinearMap() throws {
        let inputs: [[Float]] = (0..<40).map { i in [Float(i % 7) - 3, Float(i % 5) * 0.5, Float(i % 3) - 1] }
        let targets = inputs.map { x in [2 * x[0] - x[1] + 0.5 * x[2] + 1, -x[2] + 3] }
        let fit = try #require(LinearRegressionBaseline(inputs: inputs, targets: targets, ridge: 1e-9))
        let prediction = fit.predict([0.25, -1, 2])
        #expect(abs(prediction[0] - (0.5 + 1 + 1 + 1)) < 1e-4)
        #expect(abs(prediction[1] - 1) < 1e-4)
    }

    @Test func refusesDataItCannotFit() {
        #expect(LinearRegressionBaseline(inputs: [], targets: []) == nil)
        #expect(LinearRegressionBaseline(inputs: [[1, 2], [3]], targets: [[1], [2]]) == nil)
        #expect(LinearRegressionBaseline(inputs: [[1, .nan]], targets: [[1]]) == nil)
        #expect(LinearRegressionBaseline(inputs: [[1, 2]], targets: [[.infinity]]) == nil)
        #expect(LinearRegressionBaseline(inputs: [[1, 2]], targets: [[1], [2]]) == nil)
        #expect(LinearRegressionBaseline(inputs: [[1, 2]], targets: [[1]], ridge: 0) == nil)
    }

    /// Twelve steps of one sample where every prediction is off by (3, 4) m for the model and
    /// where the linear baseline predicts the target exactly (targets linear in the inputs).
    @Test func trajectoryReportCarriesTheLinearBaselineBesideConstantVelocity() throws {
        let head = try StructuredEncoderTesting.tiny().section(.trajectory).head
        let steps = try #require(head.steps)
        func example(_ i: Int) -> TrainingExample {
            let input: [Float] = (0..<16).map { Float(($0 * 7 + i * 3) % 11) * 0.1 - 0.5 }
            // Deviations in metres: a fixed linear function of the input, scaled like the head's targets.
            var scaled: [Float] = []
            for k in 0..<(2 * steps) {
                let metres: Float = input[k % 16] * 0.3 - input[(k + 5) % 16] * 0.2 + 0.1
                scaled.append(head.scale(metres, index: k % 2))
            }
            return TrainingExample(reference: SampleReference(path: "s\(i)"), input: Tensor(shape: [8, 2], scalars: input),
                                   target: .values(scaled, observed: nil), answer: nil, label: "")
        }
        let training = (0..<60).map(example), evaluated = [example(100)]
        guard case .values(let scaled, _) = evaluated[0].target else { Issue.record("no target"); return }
        var off: [Float] = []
        for (index, value) in scaled.enumerated() {
            let axis = index % 2
            let shift: Float = axis == 0 ? 3 : 4
            off.append(head.scale(head.unscale(value, index: axis) + shift, index: axis))
        }
        let linear = try #require(ModalityTrainer.linearBaseline(fittedOn: training, evaluating: evaluated))
        #expect(linear.name == "linear regression")
        let report = ModalityTrainer.trajectory([Tensor(shape: [2 * steps], scalars: off)], evaluated, head: head, linear: linear)
        #expect(abs(report.model - 5) < 1e-3 && abs(report.extra["FDE"]! - 5) < 1e-3)
        let constantVelocity = (0..<steps).map { k -> Double in
            let x = Double(head.unscale(scaled[2 * k], index: 0)), y = Double(head.unscale(scaled[2 * k + 1], index: 1))
            return (x * x + y * y).squareRoot()
        }
        #expect(abs(report.baseline - constantVelocity.reduce(0, +) / Double(steps)) < 1e-5)
        #expect(try #require(report.extra["linear regression ADE"]) < 1e-2)
        #expect(try #require(report.extra["linear regression FDE"]) < 1e-2)
        // Fitted on the evaluated sample too: named as in-sample.
        #expect(ModalityTrainer.linearBaseline(fittedOn: training + evaluated, evaluating: evaluated)?.name == "linear regression (in-sample)")
        // Too few training samples for 17 coefficients per output: no linear baseline.
        #expect(ModalityTrainer.linearBaseline(fittedOn: Array(training.prefix(20)), evaluating: evaluated) == nil)
    }
}

import Testing
import SparkEngine
import SparkGrad

/// Losses against finite differences of the Float64 reference
/// (tolerance: |analytic − numeric| ≤ 1e-3·|numeric| + 2e-5·max|gradient|).
@Suite struct LossGradientTests {
    @Test func crossEntropy() {
        var random = TestRandom(seed: 51)
        let logits = random.tensor([5, 7], -3, 3)
        let targets = [0, 6, 3, 3, 1]
        expectGradients(gradientCheck([logits], forward: { v in Variable.crossEntropy(logits: v[0], targets: targets) },
                                      reference: { r in Reference.crossEntropy(r[0], targets) }))
    }

    @Test func crossEntropyIgnoredRowsAndWeights() {
        var random = TestRandom(seed: 52)
        let logits = random.tensor([5, 4], -3, 3)
        let targets = [2, -100, 0, 3, -100]
        let weights: [Float] = [0.5, 2, 1.5, 1, 3]
        expectGradients(gradientCheck(
            [logits], forward: { v in v[0].crossEntropy(targets: targets, ignoreIndex: -100, weights: weights) },
            reference: { r in Reference.crossEntropy(r[0], targets, ignore: -100, weights: weights.map(Double.init)) }))
        // Every row ignored: loss 0 and a zero gradient, not NaN.
        let tape = Tape()
        let x = tape.parameter(logits)
        let loss = x.crossEntropy(targets: [Int](repeating: -100, count: 5), ignoreIndex: -100)
        tape.backward(loss)
        #expect(loss.value.scalars == [0])
        #expect(tape.gradient(x)!.scalars.allSatisfy { $0 == 0 })
    }

    @Test func regressionLosses() {
        var random = TestRandom(seed: 53)
        let prediction = random.tensor([3, 4]), target = random.tensor([3, 4])
        expectGradients(gradientCheck([prediction, target], forward: { v in Variable.meanSquaredError(v[0], target: v[1]) },
                                      reference: { r in Reference.meanSquaredError(r[0], r[1]) }))
        expectGradients(gradientCheck([prediction], forward: { v in v[0].meanSquaredError(target: target) },
                                      reference: { r in Reference.meanSquaredError(r[0], Ref(target)) }))
        expectGradients(gradientCheck([prediction, target], forward: { v in Variable.meanAbsoluteError(v[0], target: v[1]) },
                                      reference: { r in Reference.meanAbsoluteError(r[0], r[1]) }))
        expectGradients(gradientCheck([prediction], forward: { v in v[0].meanAbsoluteError(target: target) },
                                      reference: { r in Reference.meanAbsoluteError(r[0], Ref(target)) }))
    }
}

import Testing
import SparkEngine
import SparkGrad

/// Linear layers, matrix products and elementwise arithmetic against finite differences of the
/// Float64 reference (tolerance: |analytic − numeric| ≤ 1e-3·|numeric| + 2e-5·max|gradient|).
@Suite struct LinearGradientTests {
    @Test func linearWithBiasOverLeadingAxes() {
        var random = TestRandom(seed: 1)
        let x = random.tensor([2, 3, 4]), w = random.tensor([5, 4]), b = random.tensor([5])
        expectGradients(gradientCheck([x, w, b], forward: { v in v[0].linear(weight: v[1], bias: v[2]) },
                                      reference: { r in Reference.linear(r[0], r[1], r[2]) }))
    }

    @Test func linearWithoutBiasAndConstantInput() {
        var random = TestRandom(seed: 2)
        let x = random.tensor([3, 6]), w = random.tensor([2, 6])
        expectGradients(gradientCheck([x, w], forward: { v in v[0].linear(weight: v[1]) },
                                      reference: { r in Reference.linear(r[0], r[1], nil) }))
        // A constant input gets no gradient; the weight still does.
        expectGradients(gradientCheck([x, w], constants: [0], forward: { v in v[0].linear(weight: v[1]) },
                                      reference: { r in Reference.linear(r[0], r[1], nil) }))
    }

    @Test(arguments: [false, true], [false, true])
    func matmulTransposes(_ ta: Bool, _ tb: Bool) {
        var random = TestRandom(seed: 3)
        let a = random.tensor(ta ? [4, 3] : [3, 4]), b = random.tensor(tb ? [5, 4] : [4, 5])
        expectGradients(gradientCheck([a, b], forward: { v in v[0].matmul(v[1], transposeSelf: ta, transposeOther: tb) },
                                      reference: { r in Reference.matmul(r[0], r[1], transposeA: ta, transposeB: tb) }))
    }

    @Test(arguments: [false, true], [false, true])
    func batchedMatmul(_ ta: Bool, _ tb: Bool) {
        var random = TestRandom(seed: 4)
        let a = random.tensor(ta ? [2, 3, 4, 3] : [2, 3, 3, 4])
        // Batched B, and a 2-D B shared by every batch item (its gradient sums over the batch).
        for b in [random.tensor(tb ? [2, 3, 2, 4] : [2, 3, 4, 2]), random.tensor(tb ? [2, 4] : [4, 2])] {
            expectGradients(gradientCheck([a, b], forward: { v in v[0].matmul(v[1], transposeSelf: ta, transposeOther: tb) },
                                          reference: { r in Reference.matmul(r[0], r[1], transposeA: ta, transposeB: tb) }))
        }
    }

    @Test func elementwiseSameShape() {
        var random = TestRandom(seed: 5)
        let a = random.tensor([3, 4]), b = random.tensor([3, 4])
        expectGradients(gradientCheck([a, b], forward: { v in v[0] + v[1] }, reference: { r in Reference.add(r[0], r[1]) }))
        expectGradients(gradientCheck([a, b], forward: { v in v[0] - v[1] }, reference: { r in Reference.sub(r[0], r[1]) }))
        expectGradients(gradientCheck([a, b], forward: { v in v[0] * v[1] }, reference: { r in Reference.mul(r[0], r[1]) }))
        expectGradients(gradientCheck([a], forward: { v in v[0].scaled(by: -1.5) }, reference: { r in Reference.map(r[0]) { -1.5 * $0 } }))
        expectGradients(gradientCheck([a], forward: { v in v[0] + 0.25 }, reference: { r in Reference.map(r[0]) { $0 + 0.25 } }))
        expectGradients(gradientCheck([a], forward: { v in -v[0] - 2 }, reference: { r in Reference.map(r[0]) { -$0 - 2 } }))
    }

    @Test func elementwiseBroadcastBlock() {
        var random = TestRandom(seed: 6)
        let x = random.tensor([4, 5]), row = random.tensor([5]), block = random.tensor([3, 4]), y = random.tensor([2, 3, 4])
        expectGradients(gradientCheck([x, row], forward: { v in v[0] + v[1] }, reference: { r in Reference.add(r[0], r[1]) }))
        expectGradients(gradientCheck([row, x], forward: { v in v[0] - v[1] }, reference: { r in Reference.sub(r[0], r[1]) }))
        expectGradients(gradientCheck([y, block], forward: { v in v[0] * v[1] }, reference: { r in Reference.mul(r[0], r[1]) }))
        expectGradients(gradientCheck([block, y], forward: { v in v[0] * v[1] }, reference: { r in Reference.mul(r[0], r[1]) }))
    }
}

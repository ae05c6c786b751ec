import Foundation
import Testing
import SparkEngine
import SparkGrad

/// Normalisations, activations and softmax against finite differences of the Float64 reference
/// (tolerance: |analytic − numeric| ≤ 1e-3·|numeric| + 2e-5·max|gradient|).
@Suite struct NormActivationGradientTests {
    @Test func layerNormWithAndWithoutAffine() {
        var random = TestRandom(seed: 11)
        let x = random.tensor([2, 3, 6], -2, 2), w = random.tensor([6]), b = random.tensor([6])
        expectGradients(gradientCheck([x, w, b], forward: { v in v[0].layerNorm(weight: v[1], bias: v[2]) },
                                      reference: { r in Reference.layerNorm(r[0], r[1], r[2], eps: 1e-5) }))
        expectGradients(gradientCheck([x], forward: { v in v[0].layerNorm(eps: 1e-3) },
                                      reference: { r in Reference.layerNorm(r[0], nil, nil, eps: 1e-3) }))
        // Weight only, input constant: the weight's gradient alone.
        expectGradients(gradientCheck([x, w], constants: [0], forward: { v in v[0].layerNorm(weight: v[1]) },
                                      reference: { r in Reference.layerNorm(r[0], r[1], nil, eps: 1e-5) }))
    }

    @Test func rmsNormWithAndWithoutWeight() {
        var random = TestRandom(seed: 12)
        let x = random.tensor([4, 5], -2, 2), w = random.tensor([5])
        expectGradients(gradientCheck([x, w], forward: { v in v[0].rmsNorm(weight: v[1], eps: 1e-6) },
                                      reference: { r in Reference.rmsNorm(r[0], r[1], eps: 1e-6) }))
        expectGradients(gradientCheck([x], forward: { v in v[0].rmsNorm() },
                                      reference: { r in Reference.rmsNorm(r[0], nil, eps: 1e-5) }))
    }

    /// Fixed-statistics batch norm over axis 0: gradients of the input, weight and bias; the
    /// running statistics are constants.
    @Test func batchNormWithFixedStatistics() {
        var random = TestRandom(seed: 15)
        let x = random.tensor([3, 4, 5], -2, 2), w = random.tensor([3]), b = random.tensor([3])
        let mean = random.tensor([3], -0.5, 0.5), variance = random.tensor([3], 0.5, 2)
        expectGradients(gradientCheck([x, w, b], forward: { v in
            v[0].batchNorm(runningMean: mean, runningVariance: variance, weight: v[1], bias: v[2], eps: 1e-5)
        }, reference: { r in
            let inner = r[0].count / 3
            return Ref(r[0].shape, r[0].v.indices.map { i in
                let c = i / inner
                return (r[0].v[i] - Double(mean.scalars[c])) / (Double(variance.scalars[c]) + 1e-5).squareRoot() * r[1].v[c] + r[2].v[c]
            })
        }))
    }

    @Test(arguments: Activation.allCases)
    func activation(_ activation: Activation) {
        var random = TestRandom(seed: 13)
        // Away from ReLU's kink at 0, where the finite difference straddles it.
        let x = Tensor(shape: [3, 7], scalars: random.tensor([3, 7], -4, 4).scalars.map { abs($0) < 0.05 ? $0 + 0.1 : $0 })
        let f: (Double) -> Double
        switch activation {
        case .gelu: f = Reference.gelu
        case .geluTanh: f = Reference.geluTanh
        case .silu: f = Reference.silu
        case .relu: f = Reference.relu
        case .sigmoid: f = Reference.sigmoid
        case .identity: f = { $0 }
        }
        expectGradients(gradientCheck([x], forward: { v in v[0].applying(activation) }, reference: { r in Reference.map(r[0], f) }))
    }

    @Test func softmaxFullAndCausal() {
        var random = TestRandom(seed: 14)
        let x = random.tensor([2, 4, 5], -3, 3)
        expectGradients(gradientCheck([x], forward: { v in v[0].softmax() }, reference: { r in Reference.softmax(r[0]) }))
        expectGradients(gradientCheck([x], forward: { v in v[0].softmax(mask: .causal(offset: 1)) },
                                      reference: { r in Reference.softmax(r[0], causalOffset: 1) }))
    }
}

import Testing
@testable import SparkEngine

/// Expected arrays: scripts/reference/engine_reference.py, section "normalization" (NumPy, float64).
@Suite struct NormalizationTests {
    static let layernorm_weight: [Float] = [0.5, 1.25, 0.25, 1, 1.75, 0.75, 1.5, 0.5]
    static let layernorm_bias: [Float] = [0.125, -0.25, 0, 0.25, -0.125, 0.125, -0.25, 0]
    static let layernorm: [Float] = [-0.471038724, -0.0844336877, 0.364245887, -0.412265249, 1.03396419, -0.967737661, -0.448679575, 0.596038724, -0.247912548, 0.439077535, -0.381019343, 0.0230097532, 1.74766954, -0.628931891, 0.187766904, 0.794465864, -0.0454983311, 1.02873748, -0.289847163, 0.454597997, 2.62002313, -0.335345494, 0.875288985, -0.716092991]
    static let layernorm_plain: [Float] = [-1.19207745, 0.13245305, 1.45698355, -0.662265249, 0.662265249, -1.45698355, -0.13245305, 1.19207745, -0.745825097, 0.551262028, -1.52407737, -0.226990247, 1.07009688, -1.00524252, 0.291844603, 1.58893173, -0.340996662, 1.02298999, -1.15938865, 0.204597997, 1.56858465, -0.613793992, 0.750192657, -1.43218598]
    static let rmsnorm: [Float] = [-0.525225659, 0.328266037, 0.393919244, -0.525225659, 1.37871735, -0.984798111, 0, 0.656532074, -0.388922182, 0.648203636, -0.388922182, -0.259281455, 1.81497018, -0.777844364, 0.388922182, 0.777844364, -0.267261204, 1.00222951, -0.334076505, 0, 2.33853553, -0.601337708, 0.801783611, -0.801783611]
    static let batchnorm_nc: [Float] = [-3.74998125, 1.4999925, -1.4999925, -4.4999775, -1.99995, 1.99997, -4.99989, -0.999970001, -2.62499922, -1.75000031, -2.24999969, -2.74999906, 1.4999925, -1.4999925, -4.4999775, 0.74999625, 1.99997, -4.99989, -0.999970001, 2.99995, -1.75000031, -2.24999969, -2.74999906, -1.87500016]
    static let batchnorm_c: [Float] = [-2.49875094, 0.999500375, -0.999500375, -2.99850112, 0.499750187, -1.49925056, 5.48903289, 1.49700897, -2.49501495, 4.49102691, 0.49900299, -3.49302093]

    let x = Pattern.tensor([3, 8], 5, 2, 13, 0.5)
    let weight = Tensor(shape: [8], scalars: Self.layernorm_weight)
    let bias = Tensor(shape: [8], scalars: Self.layernorm_bias)

    @Test func layerNormWithAndWithoutAffine() {
        expectClose(x.layerNorm(weight: weight, bias: bias, eps: 1e-5), shape: [3, 8], Self.layernorm)
        expectClose(x.layerNorm(weight: nil, bias: nil), shape: [3, 8], Self.layernorm_plain)
    }

    @Test func rmsNorm() {
        expectClose(x.rmsNorm(weight: weight, eps: 1e-6), shape: [3, 8], Self.rmsnorm)
    }

    @Test func rmsNormByHand() {
        // [3, 4]: mean square 12.5, so each value is divided by √12.5.
        let y = Tensor(shape: [2], scalars: [3, 4]).rmsNorm(weight: nil, eps: 0)
        expectClose(y.scalars, [3 / 12.5.squareRoot(), 4 / 12.5.squareRoot()].map { Float($0) })
    }

    @Test func layerNormOfAConstantRowIsZeroPlusBias() {
        let constant = Tensor(repeating: 7, shape: [2, 8])
        #expect(constant.layerNorm(weight: weight, bias: bias).scalars == Self.layernorm_bias + Self.layernorm_bias)
    }

    @Test func batchNormOverChannelAxisOneAndZero() {
        let t = Pattern.tensor([2, 3, 4], 7, 1, 11, 0.5)
        let y = t.batchNorm(runningMean: Tensor(shape: [3], scalars: [0.5, -0.25, 1.0]),
                            runningVariance: Tensor(shape: [3], scalars: [1.0, 0.25, 4.0]),
                            weight: Tensor(shape: [3], scalars: [1.5, -1.0, 0.5]),
                            bias: Tensor(shape: [3], scalars: [0.0, 0.5, -2.0]), channelAxis: 1)
        expectClose(y, shape: [2, 3, 4], Self.batchnorm_nc)
        let c = Pattern.tensor([2, 6], 7, 1, 11, 0.5)
        let z = c.batchNorm(runningMean: Tensor(shape: [2], scalars: [0.5, -0.25]),
                            runningVariance: Tensor(shape: [2], scalars: [1.0, 0.25]),
                            weight: nil, bias: nil, eps: 1e-3)
        expectClose(z, shape: [2, 6], Self.batchnorm_c)
    }

    @Test func wideRowsInParallel() {
        // 512 rows of 576 (SmolLM2's width): every row has mean 0 and variance 1 afterwards.
        let wide = Pattern.tensor([512, 576], 31, 7, 211, 0.03125).layerNorm(weight: nil, bias: nil, eps: 0)
        for row in stride(from: 0, to: 512, by: 37) {
            let values = wide.scalars[(row * 576)..<((row + 1) * 576)].map(Double.init)
            let mean = values.reduce(0, +) / 576
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 576
            #expect(abs(mean) < 1e-5 && abs(variance - 1) < 1e-4)
        }
    }
}

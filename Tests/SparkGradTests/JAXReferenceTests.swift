import Testing
import SparkEngine
import SparkGrad

/// Test inputs shared with scripts/reference/grad_ops_reference.py (its `pattern`): small integers
/// times a power of two, exact in Float32, so the script and the tests start from the same numbers.
enum Pattern {
    static func tensor(_ shape: [Int], _ multiplier: Int, _ offset: Int, _ modulus: Int, _ scale: Float) -> Tensor {
        Tensor(shape: shape, scalars: (0..<Tensor.elementCount(shape)).map { i in
            Float(((i * multiplier + offset) % modulus) - modulus / 2) * scale
        })
    }
}

/// Outputs and gradients against JAX's autodiff in float64 (scripts/reference/grad_ops_reference.py),
/// for L = Σ output ⊙ R with R a pattern (a scalar loss: R = 1). Tolerance: every element within
/// 1e-4 · max|expected| of the expected value (a Float32 computation against exact float64).
@Suite struct JAXReferenceTests {
    static let attention_output: [Float] = [-0.29250215, -0.261427343, 0.488572657, -0.314544977, -0.248831442, 0.501168558, -0.907751944, -0.157751944, 0.0544296825, -0.925635434, -0.175635434, 0.0646488191, -0.138409244, 0.18736854, -0.315279061, -0.158861001, 0.165865673, -0.259339563, -0.0902852682, 0.659714732, -0.177219899, -0.706979877, 0.0430201233, 0.501360286, -0.0720439935, -0.432882684, 0.0529560065, -0.0282285482, -0.447206158, 0.0426374658, 0.44562417, 0.117885138, -0.0971217135, 0.398269465, 0.155676979, -0.109093035]
    static let attention_gradient0: [Float] = [-0.380791708, 0.326392893, 0.628832504, -0.538999289, 0.14600756, -0.170342153, 0.390379205, -0.455442406, -0.261135302, 0.313310614, 0.306816798, -0.101710318, 0.388063022, -0.377336554, -0.0806990779, 0.138583393, -0.126477347, 0.235779461, -0.0265768674, -0.105766775, 0.155082794, -0.0257262271, -0.0123616834, -0.132888421]
    static let attention_gradient1: [Float] = [0.391989135, -0.0574838476, -0.0520718575, -0.211812622, -0.363970587, -0.390243845, -0.0257185488, 0.102006683, -0.0579423303, 0.203308815, -0.0469285305, 0.0373606504, 0.0299237828, 0.244418877, 0.124718937, 0.0724452893]
    static let attention_gradient2: [Float] = [0.519253915, 0.926246316, -1.57580491, 0.258893935, -0.943202675, 1.20299803, 0.173989907, 0.472423902, -1.17576646, 0.213852074, -0.44183322, 0.882839181, 0.084441898, 0.320896676, -0.752619878, -0.0603687632, 0.443022, 0.294222095, -0.0276857202, 0.155433106, -0.620808755, -0.0373772451, 0.0670138951, 0.244940689]
    static let layer_norm_output: [Float] = [-0.484445543, -0.894605862, 0.0468804264, 1.1407281, 2.66438537, -0.578206395, 0.0375190804, 0.624809196, 0.393664138, -1.32465655, -1.34973287, 0.256221379, 0.357460667, 1.35671344, -0.417061785, -0.597797728, -0.172859549, 0.719825825]
    static let layer_norm_gradient0: [Float] = [-1.08795573, 0.54718943, -0.208567152, 1.14529545, -0.946553282, 0.550591286, -0.791046488, 2.0560943, 0.0917845156, 1.16210866, -0.627239283, -1.89170171, 0.688327528, -1.20503226, -0.148491907, -1.30344722, 2.05406924, -0.0854253753]
    static let layer_norm_gradient1: [Float] = [1.72732511, -0.989746585, -1.41530941, -0.846141025, -1.21596211, -1.79487711]
    static let layer_norm_gradient2: [Float] = [-1.5, 0.5, -0.75, 1.25, 0, -1.25]
    static let conv2d_output: [Float] = [-0.578125, -2.015625, 0.828125, 0.703125, -0.359375, -0.578125, -0.421875, -2.03125, -1.78125, -0.828125, -2.140625, 2.0625, 2.46875, 1.28125, -2.734375, -1.59375, -1.71875, 1.609375, -0.390625, 1.171875, -0.484375, -0.40625, -0.6875, -1.109375, -0.015625, 1.515625, 1.390625]
    static let conv2d_gradient0: [Float] = [0.125, 1, -0.4375, -1.5625, 0.75, -1.9375, -0.9375, 0.75, -1.75, 0.25, 0.9375, 0.75, -0.25, 0.3125, 0.5, -0.0625, -0.0625, 0.375, -0.3125, -0.75, 1.9375, 0.0625, -0.625, 0.0625, -0.625, 0.5, 0.125, 1, -0.4375, 0.5, -0.25, 0.125, -0.25, 0.5625, 0.625, -2.0625, 0.75, 0.6875, -1.4375, 0.25, -1.4375, 0.4375, -0.25, -1.625, 0.625, 0.5625, -0.25, 0.1875, 0.75, -0.625, 0.3125, -0.1875, 0.75, 0.0625, -0.25, 1.875, -0.25, 0.125, -0.25, 0.6875]
    static let conv2d_gradient1: [Float] = [0.6875, 1.5, -1.1875, -1.5625, 3.125, -1.1875, 2.125, -1.0625, -1.1875, 0.5625, 1.625, -1.0625, -1.6875, 3.1875, -1.125, 1.9375, -1.25, -1.375, 2.0625, -1.75, -1.625, 2.1875, 0.1875, -0.25, -1.3125, -0.8125, 1.875, 2.125, -1.5625, -1.4375, 2.125, 1.3125, -0.3125, -1.3125, -0.9375, 1.75, 2.125, -1.0625, -1.1875, 0.25, -0.125, 3.3125, -2.125, 2.0625, -0.75, 1.9375, -1.25, -1.375, 0.25, 2.0625, 3.125, -1.9375, 2, -0.8125]
    static let conv2d_gradient2: [Float] = [0.5, -0.5, -1.5]
    static let cross_entropy_output: [Float] = [3.27477674]
    static let cross_entropy_gradient0: [Float] = [0.000720829433, -0.16251858, 0.0238705925, 0.137365775, 0.000561382527, 0, 0, 0, 0, 0, 0.0122596524, 0.0705494283, 0.405983929, 0.00165916353, -0.490452173, -0.289999712, 0.249367776, 0.0010191091, 0.00586456798, 0.0337482586]

    /// Runs `forward` on parameters, backward with seed R, and compares the output and gradients.
    func compare(_ inputs: [Tensor], seed: Tensor?, expectedOutput: [Float], expectedGradients: [[Float]],
                 forward: ([Variable]) -> Variable, sourceLocation: SourceLocation = #_sourceLocation) {
        let tape = Tape()
        let variables = inputs.map(tape.parameter)
        let output = forward(variables)
        if let seed { tape.backward(output, seed: seed) } else { tape.backward(output) }
        expectNear(output.value.scalars, expectedOutput, "output", sourceLocation: sourceLocation)
        for (i, expected) in expectedGradients.enumerated() {
            expectNear(tape.gradient(variables[i])?.scalars ?? [], expected, "gradient of input \(i)", sourceLocation: sourceLocation)
        }
    }

    func expectNear(_ actual: [Float], _ expected: [Float], _ what: String, sourceLocation: SourceLocation) {
        #expect(actual.count == expected.count, "\(what): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
        let scale = expected.map { abs($0) }.max() ?? 0
        let worst = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-4 * scale, "\(what): largest difference \(worst), scale \(scale)", sourceLocation: sourceLocation)
    }

    @Test func groupedQueryCausalAttention() {
        let q = Pattern.tensor([3, 8], 7, 3, 17, 0.125), k = Pattern.tensor([4, 4], 5, 1, 13, 0.25), v = Pattern.tensor([4, 6], 3, 2, 11, 0.25)
        compare([q, k, v], seed: Pattern.tensor([3, 12], 11, 4, 19, 0.125), expectedOutput: Self.attention_output,
                expectedGradients: [Self.attention_gradient0, Self.attention_gradient1, Self.attention_gradient2]) { x in
            Variable.multiHeadAttention(query: x[0], key: x[1], value: x[2], queryHeads: 4, keyValueHeads: 2, mask: .causal(offset: 1))
        }
    }

    @Test func layerNorm() {
        let x = Pattern.tensor([3, 6], 5, 2, 23, 0.125), w = Pattern.tensor([6], 3, 1, 7, 0.25) + 1, b = Pattern.tensor([6], 2, 3, 5, 0.125)
        compare([x, w, b], seed: Pattern.tensor([3, 6], 7, 1, 13, 0.25), expectedOutput: Self.layer_norm_output,
                expectedGradients: [Self.layer_norm_gradient0, Self.layer_norm_gradient1, Self.layer_norm_gradient2]) { v in
            v[0].layerNorm(weight: v[1], bias: v[2])
        }
    }

    @Test func strideTwoPaddedConv2d() {
        let x = Pattern.tensor([2, 5, 6], 7, 1, 19, 0.125), w = Pattern.tensor([3, 2, 3, 3], 5, 4, 11, 0.125), b = Pattern.tensor([3], 1, 0, 5, 0.25)
        compare([x, w, b], seed: Pattern.tensor([3, 3, 3], 3, 2, 7, 0.5), expectedOutput: Self.conv2d_output,
                expectedGradients: [Self.conv2d_gradient0, Self.conv2d_gradient1, Self.conv2d_gradient2]) { v in
            v[0].conv2d(weight: v[1], bias: v[2], stride: 2, padding: 1)
        }
    }

    @Test func crossEntropyWithIgnoredRowAndWeights() {
        let logits = Pattern.tensor([4, 5], 7, 2, 29, 0.25)
        compare([logits], seed: nil, expectedOutput: Self.cross_entropy_output, expectedGradients: [Self.cross_entropy_gradient0]) { v in
            v[0].crossEntropy(targets: [1, -100, 4, 0], ignoreIndex: -100, weights: [0.5, 2, 1.5, 1])
        }
    }
}

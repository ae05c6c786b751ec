import Foundation
import Testing
@testable import SparkEngine

/// Expected arrays: scripts/reference/engine_reference.py, section "activations" (float64 math).
@Suite struct ActivationTests {
    static let gelu_input: [Float] = [-3, -0.5, 2, -4, -1.5, 1, 3.5, -2.5, 0, 2.5, -3.5, -1, 1.5, 4, -2, 0.5, -12, -9, 9, 12]
    static let gelu_erf: [Float] = [-0.00404969409, -0.154268769, 1.95449974, -0.000126684967, -0.100210802, 0.841344746, 3.4991858, -0.0155241633, 0, 2.48447584, -0.000814201777, -0.158655254, 1.3997892, 3.99987332, -0.0455002639, 0.345731231, -2.13177853e-32, -1.01572957e-18, 9, 12]
    static let gelu_tanh: [Float] = [-0.00363739208, -0.15428599, 1.95459769, -7.02459482e-05, -0.100428423, 0.841191991, 3.4993838, -0.0150842661, 0, 2.48491573, -0.000616197655, -0.158808009, 1.39957158, 3.99992975, -0.0454023059, 0.34571401, 0, 0, 9, 12]
    static let silu: [Float] = [-0.14227762, -0.188770334, 1.76159416, -0.0719448398, -0.273638286, 0.731058579, 3.39740719, -0.18964545, 0, 2.31035455, -0.102592808, -0.268941421, 1.22636171, 3.92805516, -0.238405844, 0.311229666, -7.37300952e-05, -0.00111055118, 8.99888945, 11.9999263]
    static let sigmoid: [Float] = [0.0474258732, 0.377540669, 0.880797078, 0.01798621, 0.182425524, 0.731058579, 0.970687769, 0.07585818, 0.5, 0.92414182, 0.0293122308, 0.268941421, 0.817574476, 0.98201379, 0.119202922, 0.622459331, 6.1441746e-06, 0.000123394576, 0.999876605, 0.999993856]
    static let relu: [Float] = [0, 0, 2, 0, 0, 1, 3.5, 0, 0, 2.5, 0, 0, 1.5, 4, 0, 0.5, 0, 0, 9, 12]
    static let gelu_tanh_tail: [Float] = [-0.00363739208, -7.02459482e-05, -2.2917962e-07]

    let x = Tensor(shape: [4, 5], scalars: Self.gelu_input)

    @Test func geluErfForm() {
        expectClose(x.gelu(), shape: [4, 5], Self.gelu_erf, relative: 2e-6, absolute: 0)
    }

    @Test func geluTanhForm() {
        // Absolute 1e-20: at -9 and -12 the float64 reference cancels to 0 while the true values
        // (about -1e-28 and below) survive here; the tail is checked relatively just below.
        expectClose(x.geluTanh(), shape: [4, 5], Self.gelu_tanh, relative: 2e-6, absolute: 1e-20)
        // Far into the negative tail the result is tiny but must keep its relative precision.
        expectClose(Tensor(shape: [3], scalars: [-3, -4, -5]).geluTanh().scalars, Self.gelu_tanh_tail, relative: 2e-6, absolute: 0)
    }

    @Test func siluSigmoidRelu() {
        expectClose(x.silu(), shape: [4, 5], Self.silu, relative: 2e-6, absolute: 0)
        expectClose(x.sigmoid(), shape: [4, 5], Self.sigmoid, relative: 2e-6, absolute: 0)
        expectClose(x.relu(), shape: [4, 5], Self.relu, relative: 0, absolute: 0)
    }

    @Test func namedActivationsAndInPlace() {
        var y = x
        y.apply(.silu)
        #expect(y == x.silu())
        #expect(x.applying(.identity) == x)
        #expect(Activation(rawValue: "gelu_tanh") == .geluTanh)
        // Overflowing exponentials saturate instead of producing NaN.
        let extremes = Tensor(shape: [3], scalars: [-1000, 1000, .infinity])
        #expect(extremes.silu().scalars == [0, 1000, .infinity])
        #expect(extremes.gelu().scalars == [0, 1000, .infinity])
        #expect(extremes.geluTanh().scalars == [0, 1000, .infinity])
        #expect(Tensor(shape: [2], scalars: [-.infinity, .infinity]).sigmoid().scalars == [0, 1])
        // x · σ(x) at -infinity is -infinity · 0: NaN, as in PyTorch and NumPy.
        #expect(Tensor(shape: [1], scalars: [-.infinity]).silu().scalars[0].isNaN)
        #expect(Tensor(shape: [1], scalars: [.nan]).relu().scalars[0].isNaN)
    }

    @Test func largeTensorMatchesScalarDefinition() {
        // 100 000 values (parallel path) against Foundation's Double functions.
        let values = Pattern.values(100_000, 7919, 13, 100_003, 1.0 / 8192)
        let silu = Tensor(shape: [values.count], scalars: values).silu()
        for i in stride(from: 0, to: values.count, by: 101) {
            let v = Double(values[i])
            let expected = v / (1 + Foundation.exp(-v))
            #expect(abs(Double(silu.scalars[i]) - expected) <= 2e-6 * abs(expected) + 1e-12)
        }
    }
}

@Suite struct FastExponentialTests {
    @Test func matchesDoubleExpWithinTwoUlps() {
        // A dense sweep over the whole finite range of exp for Float, against exp in Double.
        var worst = 0.0
        var x: Float = -87.3
        while x < 88.7 {
            let expected = Foundation.exp(Double(x))
            worst = Swift.max(worst, abs(Double(fastExp(x)) - expected) / expected)
            x += 0.0137
        }
        #expect(worst < 2.4e-7, "worst relative error \(worst)")
    }

    @Test func edgesOfTheRange() {
        #expect(fastExp(0) == 1)
        #expect(fastExp(-1e4) == 0)
        #expect(fastExp(-88) == 0)          // below the smallest normal: flushed
        #expect(fastExp(1e4) == .infinity)
        #expect(fastExp(88.8) == .infinity)
        #expect(fastExp(-.infinity) == 0)
        #expect(fastExp(.infinity) == .infinity)
        #expect(fastExp(.nan).isNaN)
        let top: Float = 88.7
        let nearTop = Foundation.exp(Double(top))
        #expect(abs(Double(fastExp(top)) - nearTop) / nearTop < 2.4e-7)
    }
}

import Foundation
import Testing
@testable import AllSpark
import SparkEngine

/// AdamW, the learning-rate schedule and clipping against formulas evaluated independently in
/// Float64 (torch.optim.AdamW's documented update).
struct OptimiserTests {
    @Test func adamWFollowsTheDecoupledUpdateForThreeSteps() {
        var generator = SeededRandomGenerator(seed: 4)
        let start = Tensor(randomNormal: [3, 4], std: 1, generator: &generator)
        let bias = Tensor(randomNormal: [4], std: 1, generator: &generator)
        var parameters = ["w": start, "b": bias]
        var optimiser = AdamW(beta1: 0.9, beta2: 0.99, epsilon: 1e-8, weightDecay: 0.1)
        var reference = (w: start.scalars.map(Double.init), b: bias.scalars.map(Double.init))
        var m = (w: [Double](repeating: 0, count: 12), b: [Double](repeating: 0, count: 4))
        var v = m
        let rates: [Float] = [0.1, 0.05, 0.02]
        for (t, lr) in rates.enumerated() {
            let gw = Tensor(randomNormal: [3, 4], std: 1, generator: &generator)
            let gb = Tensor(randomNormal: [4], std: 1, generator: &generator)
            optimiser.update(&parameters, gradients: ["w": gw, "b": gb], learningRate: lr)
            func step(_ p: inout [Double], _ m: inout [Double], _ v: inout [Double], _ g: [Float], decay: Bool) {
                let (b1, b2, lr) = (0.9, 0.99, Double(lr))
                for i in p.indices {
                    if decay { p[i] -= lr * 0.1 * p[i] }
                    m[i] = b1 * m[i] + (1 - b1) * Double(g[i])
                    v[i] = b2 * v[i] + (1 - b2) * Double(g[i]) * Double(g[i])
                    let mh = m[i] / (1 - pow(b1, Double(t + 1))), vh = v[i] / (1 - pow(b2, Double(t + 1)))
                    p[i] -= lr * mh / (vh.squareRoot() + 1e-8)
                }
            }
            step(&reference.w, &m.w, &v.w, gw.scalars, decay: true)
            step(&reference.b, &m.b, &v.b, gb.scalars, decay: false)
        }
        #expect(optimiser.step == 3)
        for (a, b) in zip(parameters["w"]!.scalars, reference.w) { #expect(abs(Double(a) - b) < 1e-5) }
        for (a, b) in zip(parameters["b"]!.scalars, reference.b) { #expect(abs(Double(a) - b) < 1e-5) }
    }

    @Test func parametersWithoutAGradientDoNotMove() {
        var parameters = ["w": Tensor(repeating: 1, shape: [2, 2]), "frozen": Tensor(repeating: 2, shape: [2, 2])]
        var optimiser = AdamW()
        optimiser.update(&parameters, gradients: ["w": Tensor(repeating: 1, shape: [2, 2])], learningRate: 0.1)
        #expect(parameters["frozen"] == Tensor(repeating: 2, shape: [2, 2]))
        #expect(parameters["w"]!.scalars.allSatisfy { $0 < 1 })
    }

    @Test func scheduleWarmsUpLinearlyThenDecaysAsACosine() {
        let schedule = LearningRateSchedule(peak: 1e-3, warmupSteps: 10, totalSteps: 110)
        #expect(abs(schedule.rate(at: 0) - 1e-4) < 1e-9)
        #expect(abs(schedule.rate(at: 9) - 1e-3) < 1e-9)
        #expect(abs(schedule.rate(at: 10) - 1e-3) < 1e-9)
        #expect(abs(schedule.rate(at: 60) - 5e-4) < 1e-8)
        #expect(abs(schedule.rate(at: 110)) < 1e-9)
        #expect(abs(schedule.rate(at: 35) - Float(5e-4 * (1 + cos(Double.pi * 0.25)))) < 1e-8)
    }

    @Test func clippingScalesToTheMaximumNormAndReportsTheOriginal() {
        var gradients = ["a": Tensor(shape: [2], scalars: [3, 0]), "b": Tensor(shape: [1], scalars: [4])]
        let norm = clipGlobalNorm(&gradients, maximum: 1)
        #expect(abs(norm - 5) < 1e-6)
        #expect(abs(gradients["a"]!.scalars[0] - 0.6) < 1e-6 && abs(gradients["b"]!.scalars[0] - 0.8) < 1e-6)
        var small = ["a": Tensor(shape: [1], scalars: [0.5])]
        #expect(clipGlobalNorm(&small, maximum: 1) == 0.5 && small["a"]!.scalars == [0.5])
    }
}

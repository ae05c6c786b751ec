import Foundation
import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine
import SparkGrad

/// The training forward (on a tape) of every module that has one gives exactly the numbers of the
/// inference forward: the same engine functions compute both.
struct TapeForwardTests {
    typealias T = StructuredEncoderTesting

    @Test func rgbEncoderOnATapeEqualsInference() throws {
        let section = try T.tiny().section(.rgb)
        let store = ParameterStore(seed: 1)
        let encoder = try RGBEncoder(section: section, store: store)
        var generator = SeededRandomGenerator(seed: 3)
        let sample = Sample(modality: .rgb, path: "memory", content: .image(Tensor(randomUniform: [3, 50, 70], generator: &generator)))
        let tape = Tape()
        let tokens = encoder.forward(tape.constant(try encoder.prepare(sample)), ParameterBinding(tape: tape, store: store))
        #expect(tokens.value == (try encoder.encode(sample).tokens))
    }

    @Test func trajectoryEncoderOnATapeEqualsInference() throws {
        let store = ParameterStore(seed: 1)
        let encoder = try TrajectoryEncoder(section: T.tiny().section(.trajectory), store: store)
        let sample = try T.sample(.trajectory, "social-force-000-corridor.txt", ["pedestrian": "21", "start": "800"])
        let tape = Tape()
        let tokens = encoder.forward(tape.constant(try encoder.prepare(sample)), ParameterBinding(tape: tape, store: store))
        #expect(tokens.value == (try encoder.encode(sample).tokens))
    }

    @Test func graphEncoderOnATapeEqualsInference() throws {
        let store = ParameterStore(seed: 1)
        let encoder = try GraphEncoder(section: T.tiny().section(.graph), store: store)
        for (file, start) in [("traffic-000.npz", "144"), ("traffic-002.npz", "87")] {
            let sample = try T.sample(.graph, file, ["start": start])
            let tape = Tape()
            let tokens = encoder.forward(tape.constant(try encoder.prepare(sample)), ParameterBinding(tape: tape, store: store))
            #expect(tokens.value == (try encoder.encode(sample).tokens), "\(file)")
        }
    }

    @Test func msiEncoderOnATapeEqualsInference() throws {
        let store = ParameterStore(seed: 1)
        let encoder = try MSIEncoder(section: T.tiny().section(.msi), store: store)
        var generator = SeededRandomGenerator(seed: 4)
        let image = Tensor(randomUniform: [13, 64, 64], generator: &generator)
        let sample = Sample(modality: .msi, path: "memory", content: .multispectral(image, bandNames: (1...13).map { "B\($0)" }, wavelengths: []))
        let tape = Tape()
        let tokens = encoder.forward(tape.constant(try encoder.prepare(sample)), ParameterBinding(tape: tape, store: store))
        #expect(tokens.value == (try encoder.encode(sample).tokens))
    }

    /// Also with batch-norm statistics and weights away from their initial 0/1, as a trained
    /// checkpoint has them.
    @Test func sarEncoderOnATapeEqualsInference() throws {
        let store = ParameterStore(seed: 1)
        let section = try T.tiny().section(.sar)
        _ = try SAREncoder(section: section, store: store)
        var generator = SeededRandomGenerator(seed: 5)
        for name in store.parameters.keys where name.contains(".bn.") {
            let t = store.parameters[name]!
            try store.update(from: [name: Tensor(shape: t.shape, scalars: Tensor(randomUniform: t.shape, generator: &generator).scalars.map { 0.5 + $0 })])
        }
        let encoder = try SAREncoder(section: section, store: store)
        let magnitude = Tensor(shape: [140, 140], scalars: Tensor(randomUniform: [140, 140], generator: &generator).scalars.map { abs($0) * 3 })
        let sample = Sample(modality: .sar, path: "memory", content: .sar(magnitude))
        let tape = Tape()
        let tokens = encoder.forward(tape.constant(try encoder.prepare(sample)), ParameterBinding(tape: tape, store: store))
        #expect(tokens.value == (try encoder.encode(sample).tokens))
    }

    /// Five views through one shared ViT, each plus its view embedding.
    @Test func obliqueEncoderOnATapeEqualsInference() throws {
        let store = ParameterStore(seed: 1)
        let encoder = try ObliqueEncoder(section: T.tiny().section(.oblique), store: store)
        let sample = ObliqueEncoderTests.sample(views: ObliqueEncoderTests.randomViews(5))
        let tape = Tape()
        let p = ParameterBinding(tape: tape, store: store)
        let tokens = encoder.forward(tape.constant(try encoder.prepare(sample)), p)
        #expect(tokens.value == (try encoder.encode(sample).tokens))
        tape.backward(tokens.sum())
        #expect(p.gradients()["encoders.oblique.view_embed"]?.scalars.contains { $0 != 0 } == true)
    }

    @Test func bridgeAndHeadOnATapeEqualInference() throws {
        let tiny = try T.tiny()
        let store = ParameterStore(seed: 2)
        let bridge = try ModalityBridge(store, prefix: "bridges.rgb", section: tiny.bridge, encoderWidth: 48, width: 64, outputScale: 0.1)
        let head = try TaskHead(store, modality: .rgb, section: tiny.section(.rgb).head, width: 64)
        var generator = SeededRandomGenerator(seed: 5)
        let tokens = Tensor(randomNormal: [11, 48], std: 1, generator: &generator)
        let tape = Tape()
        let p = ParameterBinding(tape: tape, store: store)
        let bridged = bridge(tape.constant(tokens), p)
        #expect(bridged.value == bridge(tokens).tokens)
        let pooled = bridged.slice(rows: 3..<4).reshaped([64])
        #expect(head.logits(pooled, p)?.value == head.logits(pooled.value))
        // Every parameter was bound once, under its tree name, as a trainable variable.
        #expect(Set(p.trainableNames) == Set(store.names()))
    }

    /// The bridge's key projection over many tokens (a graph's 2484), against central
    /// differences in Float64 of the same Float32 forward: a linear read-out keeps the loss's
    /// rounding far below the gradient.
    @Test func bridgeKeyGradientOverManyTokensMatchesCentralDifferences() throws {
        let tiny = try T.tiny()
        var section = tiny.bridge
        section.depth = 1
        let store = ParameterStore(seed: 3)
        _ = try ModalityBridge(store, prefix: "bridges.graph", section: section, encoderWidth: 76, width: 64, outputScale: 0.1)
        var generator = SeededRandomGenerator(seed: 6)
        let tokens = Tensor(randomNormal: [2484, 76], std: 0.05, generator: &generator)
        let readout = Tensor(randomNormal: [section.queries, 64], std: 1, generator: &generator)
        func loss(_ bridge: ModalityBridge) -> Double {
            zip(bridge(tokens).tokens.scalars, readout.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        }
        let bridge = try ModalityBridge(store, prefix: "bridges.graph", section: section, encoderWidth: 76, width: 64, outputScale: 0.1)
        let tape = Tape()
        let p = ParameterBinding(tape: tape, store: store)
        tape.backward((bridge(tape.constant(tokens), p) * tape.constant(readout)).sum())
        for name in ["bridges.graph.layers.0.attn.k.weight", "bridges.graph.layers.0.attn.q.weight", "bridges.graph.layers.0.norm_tokens.weight"] {
            let gradient = try #require(p.gradients()[name])
            let index = gradient.scalars.indices.max { abs(gradient.scalars[$0]) < abs(gradient.scalars[$1]) }!
            let original = store.parameters[name]!
            let h: Float = 1e-2
            var values: [Double] = []
            for delta in [h, -h] {
                var moved = original
                moved.scalars[index] += delta
                try store.update(from: [name: moved])
                values.append(loss(try ModalityBridge(store, prefix: "bridges.graph", section: section, encoderWidth: 76, width: 64, outputScale: 0.1)))
            }
            try store.update(from: [name: original])
            let numeric = (values[0] - values[1]) / Double(2 * h), analytic = Double(gradient.scalars[index])
            #expect(abs(numeric - analytic) <= 0.01 * abs(numeric) + 1e-5, "\(name)[\(index)]: analytic \(analytic), numeric \(numeric)")
        }
    }

    /// A frozen parameter is bound as a constant: no gradient, and nothing upstream of it that
    /// only it leads to.
    @Test func frozenParametersGetNoGradient() throws {
        let store = ParameterStore(seed: 2)
        let head = try TaskHead(store, modality: .rgb, section: T.tiny().section(.rgb).head, width: 8)
        store.freeze(["heads.rgb.weight"])
        let tape = Tape()
        let p = ParameterBinding(tape: tape, store: store)
        let out = try #require(head.logits(tape.constant(Tensor(repeating: 1, shape: [8])), p))
        tape.backward(out.sum())
        #expect(Array(p.gradients().keys) == ["heads.rgb.bias"])
    }
}

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

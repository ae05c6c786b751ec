import Foundation
import Testing
import SparkEngine
import SparkFormats
@testable import SparkLM

/// `DecoderTrainer`: its forward pass against `LlamaDecoder` on the real model, its gradients
/// against central differences on a tiny random LLaMA, and both against an independent JAX
/// implementation (scripts/reference/llama_backward_reference.py, float64 autodiff) whose model
/// and results are the fixtures `tiny-llama-backward.gguf` / `.npz`.
@Suite struct DecoderTrainerTests {
    /// ‖a − b‖ / ‖b‖.
    static func relativeError(_ a: [Float], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "\(a.count) vs \(b.count) values")
        var difference = 0.0, norm = 0.0
        for i in 0..<a.count {
            difference += (Double(a[i]) - b[i]) * (Double(a[i]) - b[i])
            norm += b[i] * b[i]
        }
        return (difference / Swift.max(norm, 1e-300)).squareRoot()
    }

    static func relativeError(_ a: [Float], _ b: [Float]) -> Double { relativeError(a, b.map(Double.init)) }

    /// max |a − b| / max |b|.
    static func maximumError(_ a: [Float], _ b: [Double]) -> Double {
        var difference = 0.0, largest = 0.0
        for i in 0..<a.count {
            difference = Swift.max(difference, abs(Double(a[i]) - b[i]))
            largest = Swift.max(largest, abs(b[i]))
        }
        return difference / Swift.max(largest, 1e-300)
    }

    // MARK: 1. Forward agreement with the decoder on SmolLM2

    static let chatPrompt: [Int32] = [1, 9690, 198, 2683, 359, 253, 5356, 5646, 11173, 3365, 3511, 308, 34519, 28, 7018, 411, 407,
                                      19712, 8182, 2, 198, 1, 4093, 198, 1780, 314, 260, 3575, 282, 4649, 47, 2, 198, 1, 520, 9531, 198]

    /// Untrained adapters (Up = 0, random Down) on every second layer, as the pipeline places them.
    static func untrainedAdapters(width: Int, layers: [Int]) -> [Int: LynxAdapter] {
        var generator = SeededRandomGenerator(seed: 11)
        var adapters: [Int: LynxAdapter] = [:]
        for layer in layers {
            adapters[layer] = LynxAdapter(
                width: width, normWeight: .init(repeating: 1, count: width), normBias: .init(repeating: 0, count: width),
                downWeight: Tensor(randomNormal: [width / 2, width], std: 0.05, generator: &generator).scalars,
                downBias: .init(repeating: 0, count: width / 2),
                upWeight: .init(repeating: 0, count: width * width / 2), upBias: .init(repeating: 0, count: width), scale: 1)
        }
        return adapters
    }

    @Test(.enabled(if: TestModel.isPresent, TestModel.absentMessage))
    func forwardMatchesDecoderOnSmolLM2() throws {
        let decoder = try TestModel.decoder(.reference)
        let width = decoder.configuration.width
        let adapters = Self.untrainedAdapters(width: width, layers: Array(stride(from: 1, to: 30, by: 2)))
        decoder.adapters = adapters
        let trainer = DecoderTrainer(decoder: decoder)
        #expect(trainer.layerWeightFloatCount == 30 * 3_538_944, "\(trainer)")
        #expect(!trainer.hasDenseLayers, "made on first use")

        // Two sequences of the same length, one batch, against the decoder one at a time.
        let first = Self.chatPrompt, second = Array(Self.chatPrompt.reversed())
        var expected: [Float] = []
        for prompt in [first, second] {
            let result = try decoder.forward(prompt.map { .token($0) }, cache: decoder.makeCache(),
                                             capture: CaptureRequest(finalHiddenStates: true))
            expected += result.finalHiddenStates!
        }
        let record = try trainer.forward(trainer.embed(first + second), batch: 2, length: first.count, adapters: adapters)
        #expect(trainer.hasDenseLayers)
        let madeFloats = trainer.layers.reduce(0) { $0 + $1.queryKeyValue.count + $1.attentionOutput.count + $1.gateUp.count + $1.down.count }
        #expect(madeFloats == trainer.layerWeightFloatCount, "the count from the configuration is the copies' size")
        let error = Self.relativeError(record.hidden, expected)
        #expect(error < 1e-5, "final hidden states: relative error \(error)")

        // A cached prefix (the first 21 tokens) and the rest: the decoder's states at those positions.
        let split = 21
        let prefix = try trainer.makePrefix(trainer.embed(Array(first[..<split])), adapters: adapters)
        let continued = try trainer.forward(trainer.embed(Array(first[split...])), batch: 1, length: first.count - split,
                                            adapters: adapters, prefix: prefix)
        let tail = Array(expected[(split * width)..<(first.count * width)])
        let prefixError = Self.relativeError(continued.hidden, tail)
        #expect(prefixError < 1e-5, "after a cached prefix: relative error \(prefixError)")
    }

    // MARK: 2. Central differences on a tiny random LLaMA

    /// A 2-layer LLaMA (width 64, 4 heads / 2 KV heads, FFN 128, vocabulary 100), F32, written with
    /// GGUFWriter to a temporary file and loaded as the real model is.
    static func tinyDecoder() throws -> LlamaDecoder {
        let width = 64, kvWidth = 32, ffn = 128, vocabulary = 100
        var generator = SeededRandomGenerator(seed: 2026)
        var writer = GGUFWriter()
        writer.set("general.architecture", .string("llama"))
        writer.set("llama.block_count", .uint32(2))
        writer.set("llama.embedding_length", .uint32(UInt32(width)))
        writer.set("llama.attention.head_count", .uint32(4))
        writer.set("llama.attention.head_count_kv", .uint32(2))
        writer.set("llama.feed_forward_length", .uint32(UInt32(ffn)))
        writer.set("llama.attention.layer_norm_rms_epsilon", .float32(1e-5))
        writer.set("llama.rope.freq_base", .float32(10_000))
        writer.set("llama.context_length", .uint32(64))
        func add(_ name: String, _ shape: [Int], std: Float, mean: Float = 0) throws {
            try writer.addTensor(name, Tensor(randomNormal: shape, mean: mean, std: std, generator: &generator))
        }
        try add("token_embd.weight", [vocabulary, width], std: 0.5)
        try add("output_norm.weight", [width], std: 0.1, mean: 1)
        for i in 0..<2 {
            let p = "blk.\(i)."
            try add(p + "attn_norm.weight", [width], std: 0.1, mean: 1)
            try add(p + "attn_q.weight", [width, width], std: 0.25)
            try add(p + "attn_k.weight", [kvWidth, width], std: 0.25)
            try add(p + "attn_v.weight", [kvWidth, width], std: 0.25)
            try add(p + "attn_output.weight", [width, width], std: 0.15)
            try add(p + "ffn_norm.weight", [width], std: 0.1, mean: 1)
            try add(p + "ffn_gate.weight", [ffn, width], std: 0.2)
            try add(p + "ffn_up.weight", [ffn, width], std: 0.2)
            try add(p + "ffn_down.weight", [width, ffn], std: 0.12)
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("allspark-tiny-llama-\(UUID().uuidString).gguf").path
        try writer.write(to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let decoder = try LlamaDecoder(path: path)   // reads the weights into memory (F32 tensors are copied)
        decoder.numerics = .reference
        return decoder
    }

    /// An adapter with every parameter random and non-zero.
    static func randomAdapter(width: Int, seed: UInt64, scale: Float) -> LynxAdapter {
        var g = SeededRandomGenerator(seed: seed)
        func normal(_ count: Int, _ std: Float, mean: Float = 0) -> [Float] {
            Tensor(randomNormal: [count], mean: mean, std: std, generator: &g).scalars
        }
        let b = width / 2
        return LynxAdapter(width: width, normWeight: normal(width, 0.1, mean: 1), normBias: normal(width, 0.1),
                           downWeight: normal(b * width, 0.2), downBias: normal(b, 0.1),
                           upWeight: normal(width * b, 0.2), upBias: normal(width, 0.1), scale: scale)
    }

    /// The adapter's parameters as one vector (LynxAdapterGradient's order) and back.
    static func flatten(_ a: LynxAdapter) -> [Float] {
        a.normWeight + a.normBias + a.downWeight + a.downBias + a.upWeight + a.upBias + [a.scale]
    }

    static func flatten(_ g: LynxAdapterGradient) -> [Float] {
        g.normWeight + g.normBias + g.downWeight + g.downBias + g.upWeight + g.upBias + [g.scale]
    }

    static func unflatten(_ v: [Float], width d: Int) -> LynxAdapter {
        let b = d / 2
        var i = 0
        func take(_ n: Int) -> [Float] { defer { i += n }; return Array(v[i..<(i + n)]) }
        return LynxAdapter(width: d, normWeight: take(d), normBias: take(d), downWeight: take(b * d), downBias: take(b),
                           upWeight: take(d * b), upBias: take(d), scale: v[i])
    }

    /// Compares an analytic gradient with central differences of `loss` at the checked indices:
    /// ‖fd − g‖/‖g‖ < 1e-2 over them, and every component at least a tenth of the largest within
    /// 2e-2 relative. Float32 forward, h = 1e-3 (losses summed in Double).
    static func checkGradient(_ analytic: [Float], at point: [Float], indices: [Int], label: String,
                              loss: ([Float]) throws -> Double) throws {
        let h: Float = 1e-3
        var numeric: [Double] = [], picked: [Float] = []
        for i in indices {
            var plus = point, minus = point
            plus[i] += h; minus[i] -= h
            numeric.append((try loss(plus) - loss(minus)) / Double(2 * h))
            picked.append(analytic[i])
        }
        let overall = relativeError(picked, numeric)
        #expect(overall < 1e-2, "\(label): ‖fd − g‖/‖g‖ = \(overall)")
        let largest = numeric.map(abs).max() ?? 0
        #expect(largest > 1e-3, "\(label): the gradient is all but zero (\(largest)); the check would prove nothing")
        var worst = 0.0
        for (a, n) in zip(picked, numeric) where abs(n) >= 0.1 * largest {
            worst = Swift.max(worst, abs(Double(a) - n) / abs(n))
        }
        #expect(worst < 2e-2, "\(label): worst relative error on the larger components \(worst)")
    }

    @Test func gradientsMatchCentralDifferences() throws {
        let decoder = try Self.tinyDecoder()
        let trainer = DecoderTrainer(decoder: decoder)
        let width = 64, batch = 2, length = 6, rows = batch * length
        let adapter = Self.randomAdapter(width: width, seed: 5, scale: 0.8)
        var generator = SeededRandomGenerator(seed: 99)
        let inputs = Tensor(randomNormal: [rows * width], std: 1, generator: &generator).scalars
        let head = Tensor(randomNormal: [rows * width], std: 1, generator: &generator).scalars
        let targets: [(row: Int, token: Int32)] = [(0, 7), (2, 41), (5, 99), (7, 3), (11, 64)]

        func headLoss(_ hidden: [Float]) -> Double { zip(hidden, head).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } }
        let record = try trainer.forward(inputs, batch: batch, length: length, adapters: [1: adapter])
        let lm = try trainer.lmLoss(record, targets: targets)
        for (name, dHidden) in [("head", head), ("lm", lm.dHidden)] {
            let (dInputs, adapterGradients) = trainer.backward(record, dFinalHidden: dHidden)
            func loss(inputs: [Float], adapter: LynxAdapter) throws -> Double {
                let r = try trainer.forward(inputs, batch: batch, length: length, adapters: [1: adapter])
                return name == "head" ? headLoss(r.hidden) : Double(try trainer.lmLoss(r, targets: targets).loss)
            }
            try Self.checkGradient(dInputs, at: inputs, indices: Array(0..<inputs.count), label: "\(name) loss, d inputs") {
                try loss(inputs: $0, adapter: adapter)
            }
            let parameters = Self.flatten(adapter)
            let gradient = Self.flatten(try #require(adapterGradients[1]))
            // Every norm, bias and scale parameter; every 5th weight.
            let d = width, b = width / 2
            let weights = (2 * d)..<(2 * d + b * d), upWeights = (3 * d + b + b * d)..<(3 * d + b + 2 * b * d)
            let indices = parameters.indices.filter { !(weights.contains($0) || upWeights.contains($0)) || $0 % 5 == 0 }
            try Self.checkGradient(gradient, at: parameters, indices: indices, label: "\(name) loss, d adapter") {
                try loss(inputs: inputs, adapter: Self.unflatten($0, width: width))
            }
        }
    }

    // MARK: 3. Against the independent JAX implementation

    static func resource(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: "Resources/" + name, withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Resources/" + name])
        }
        return url.path
    }

    @Test func gradientsMatchJAXReference() throws {
        let decoder = try LlamaDecoder(path: Self.resource("tiny-llama-backward.gguf"))
        let trainer = DecoderTrainer(decoder: decoder)
        let fixture = try NPZ.read(path: Self.resource("tiny-llama-backward.npz"))
        func floats(_ key: String) throws -> [Float] { try #require(fixture[key], "fixture lacks \(key)").floats() }
        func doubles(_ key: String) throws -> [Double] { try #require(fixture[key], "fixture lacks \(key)").doubles() }
        let width = decoder.configuration.width
        var adapters: [Int: LynxAdapter] = [:]
        for layer in [0, 1] {
            let p = "adapter\(layer)_"
            adapters[layer] = LynxAdapter(width: width, normWeight: try floats(p + "normWeight"), normBias: try floats(p + "normBias"),
                                          downWeight: try floats(p + "downWeight"), downBias: try floats(p + "downBias"),
                                          upWeight: try floats(p + "upWeight"), upBias: try floats(p + "upBias"),
                                          scale: try floats(p + "scale")[0])
        }
        let inputs = try floats("inputs"), head = try floats("head")
        let pairs = try #require(fixture["lm_targets"]).int64s()
        let targets = stride(from: 0, to: pairs.count, by: 2).map { (row: Int(pairs[$0]), token: Int32(pairs[$0 + 1])) }
        let tolerance = 1e-4
        for (name, prefix) in [("plain", nil), ("prefix", try trainer.makePrefix(floats("prefix"), adapters: adapters))] {
            let record = try trainer.forward(inputs, batch: 2, length: 5, adapters: adapters, prefix: prefix)
            let hiddenError = Self.relativeError(record.hidden, try doubles("\(name)_hidden"))
            #expect(hiddenError < 1e-5, "\(name): hidden states, relative error \(hiddenError)")
            let lm = try trainer.lmLoss(record, targets: targets)
            let expectedLM = try doubles("\(name)_lm_loss")[0]
            #expect(abs(Double(lm.loss) - expectedLM) < 1e-5 * abs(expectedLM), "\(name): LM loss \(lm.loss) vs \(expectedLM)")
            for (loss, dHidden) in [("head", head), ("lm", lm.dHidden)] {
                let (dInputs, adapterGradients) = trainer.backward(record, dFinalHidden: dHidden)
                let key = "\(name)_\(loss)_"
                let inputError = Self.relativeError(dInputs, try doubles(key + "dinputs"))
                #expect(inputError < tolerance, "\(key)d inputs: relative error \(inputError)")
                for layer in [0, 1] {
                    let g = try #require(adapterGradients[layer])
                    let parts: [(String, [Float])] = [("normWeight", g.normWeight), ("normBias", g.normBias),
                                                      ("downWeight", g.downWeight), ("downBias", g.downBias),
                                                      ("upWeight", g.upWeight), ("upBias", g.upBias), ("scale", [g.scale])]
                    for (part, values) in parts {
                        let expected = try doubles(key + "adapter\(layer)_\(part)")
                        // d scale is one sum over every row and column, which can cancel to near
                        // zero (−0.04 from terms of order 1 in one case): measured against max(|g|, 1).
                        let error = part == "scale" ? abs(Double(values[0]) - expected[0]) / Swift.max(abs(expected[0]), 1)
                                                    : Self.relativeError(values, expected)
                        #expect(error < tolerance, "\(key)adapter \(layer) \(part): relative error \(error)")
                    }
                }
            }
        }
    }

    // MARK: Inputs that must be refused

    @Test func refusesMismatchedInputs() throws {
        let trainer = DecoderTrainer(decoder: try Self.tinyDecoder())
        #expect(throws: LMError.self) { try trainer.forward([Float](repeating: 0, count: 64 * 5), batch: 2, length: 3) }
        #expect(throws: LMError.self) {
            try trainer.forward([Float](repeating: 0, count: 64 * 2), batch: 1, length: 2,
                                adapters: [2: Self.randomAdapter(width: 64, seed: 1, scale: 1)])
        }
        let record = try trainer.forward([Float](repeating: 0.5, count: 64 * 2), batch: 1, length: 2)
        #expect(throws: LMError.self) { try trainer.lmLoss(record, targets: [(row: 2, token: 0)]) }
        #expect(throws: LMError.self) { try trainer.lmLoss(record, targets: [(row: 0, token: 100)]) }
    }
}

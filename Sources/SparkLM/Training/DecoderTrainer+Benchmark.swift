import Foundation
import SparkEngine

/// The speed of one training step through the frozen language model (`DecoderTrainer.benchmark`).
public struct TrainerBenchmark: Sendable, CustomStringConvertible {
    public let batch: Int
    public let length: Int
    public let repetitions: Int
    /// The fastest forward + backward step, in milliseconds, and its forward part.
    public let milliseconds: Double
    public let forwardMilliseconds: Double
    /// Matrix-product FLOPs of the step counted as the JAX anchor counts them
    /// (the JAX training-step anchor: frozen SmolLM2, forward + input gradient, linear head on the last position): 2 · N · rows forward plus as much for the input
    /// gradient, N = the layers' weights (attention scores and element-wise work not counted).
    public let flops: Double

    public var millisecondsPerSample: Double { milliseconds / Double(batch) }
    public var gigaflopsPerSecond: Double { flops / (milliseconds / 1000) / 1e9 }

    public var description: String {
        String(format: "train step B=%d T=%d: %.1f ms (forward %.1f, backward %.1f), %.1f ms per sample, %.1f GFLOP/s (best of %d)",
               batch, length, milliseconds, forwardMilliseconds, milliseconds - forwardMilliseconds,
               millisecondsPerSample, gigaflopsPerSecond, repetitions)
    }
}

extension DecoderTrainer {
    /// Times `repetitions` training steps (after one warm-up) on `batch` sequences of `length`
    /// token embeddings: forward, a linear-head gradient on each sequence's last position, and
    /// backward to the input embeddings and the adapters. Reports the fastest step.
    public func benchmark(batch: Int, length: Int, adapters: [Int: LynxAdapter] = [:], repetitions: Int = 3) throws -> TrainerBenchmark {
        let width = configuration.width, rows = batch * length
        // Real token embeddings (a fixed, spread-out set of ids), so activations have their usual size.
        let tokens = (0..<rows).map { Int32(($0 * 7919 + 13) % configuration.vocabularySize) }
        let inputs = try embed(tokens)
        var dHidden = [Float](repeating: 0, count: rows * width)
        for b in 0..<batch {
            for j in 0..<width { dHidden[((b + 1) * length - 1) * width + j] = sin(Float(j)) / Float(batch) }
        }
        func step() throws -> (total: Double, forward: Double) {
            let start = DispatchTime.now().uptimeNanoseconds
            let record = try forward(inputs, batch: batch, length: length, adapters: adapters)
            let middle = DispatchTime.now().uptimeNanoseconds
            _ = backward(record, dFinalHidden: dHidden)
            let end = DispatchTime.now().uptimeNanoseconds
            return (Double(end - start) / 1e6, Double(middle - start) / 1e6)
        }
        _ = try step()
        var best = (total: Double.infinity, forward: 0.0)
        for _ in 0..<Swift.max(1, repetitions) {
            let timing = try step()
            if timing.total < best.total { best = timing }
        }
        let flops = 4 * Double(layerWeightFloatCount) * Double(rows)
        return TrainerBenchmark(batch: batch, length: length, repetitions: Swift.max(1, repetitions),
                                milliseconds: best.total, forwardMilliseconds: best.forward, flops: flops)
    }
}

import Foundation
import SparkEngine

extension DecoderTrainer {
    /// The language-model loss: the mean over `targets` of −log softmax(logits)[token], with
    /// logits = hidden[row] · Eᵀ (the output matrix), and its gradient with respect to the
    /// final-norm hidden states `[rows, width]` (zero outside the target rows). Only the target
    /// rows meet the output matrix, in one sgemm each way. A row predicts the token that follows
    /// it: for an answer at positions a…b the targets are (a−1 → token a), …, (b−1 → token b).
    public func lmLoss(_ record: ForwardRecord, targets: [(row: Int, token: Int32)]) throws -> (loss: Float, dHidden: [Float]) {
        let c = configuration
        let width = c.width, vocabulary = c.vocabularySize
        guard !targets.isEmpty else { throw LMError.invalidInput("the language-model loss needs at least one target") }
        for (row, token) in targets {
            guard (0..<record.rows).contains(row) else {
                throw LMError.invalidInput("target row \(row) is outside the batch's \(record.rows) rows")
            }
            guard token >= 0, Int(token) < vocabulary else {
                throw LMError.invalidInput("target token \(token) is outside the vocabulary (0..<\(vocabulary))")
            }
        }
        let count = targets.count
        var gathered = [Float](repeating: 0, count: count * width)
        for (i, target) in targets.enumerated() {
            gathered.replaceSubrange((i * width)..<((i + 1) * width), with: record.hidden[(target.row * width)..<((target.row + 1) * width)])
        }
        var logits = [Float](repeating: 0, count: count * vocabulary)
        product(gathered, rows: count, weight: outputMatrix, outputs: vocabulary, into: &logits)

        // Per row: loss = log Σ e^z − z_target; dz = (softmax(z) − onehot) / count.
        let losses = logits.withUnsafeMutableBufferPointer { lp in
            EngineThreads.map(count) { i -> Double in
                let z = lp.baseAddress! + i * vocabulary
                let target = Int(targets[i].token), targetLogit = z[target]
                var maximum = -Float.infinity
                for j in 0..<vocabulary { maximum = Swift.max(maximum, z[j]) }
                var sum: Double = 0
                for j in 0..<vocabulary {
                    let e = DecoderKernels.clampedExp(z[j] - maximum)
                    z[j] = e
                    sum += Double(e)
                }
                let loss = log(sum) + Double(maximum) - Double(targetLogit)
                let inverse = Float(1 / (sum * Double(count)))
                for j in 0..<vocabulary { z[j] *= inverse }
                z[target] -= 1 / Float(count)
                return loss
            }
        }
        var dGathered = [Float](repeating: 0, count: count * width)
        inputGradient(logits, rows: count, weight: outputMatrix, outputs: vocabulary, into: &dGathered)
        var dHidden = [Float](repeating: 0, count: record.rows * width)
        for (i, target) in targets.enumerated() {
            for j in 0..<width { dHidden[target.row * width + j] += dGathered[i * width + j] }
        }
        return (Float(losses.reduce(0, +) / Double(count)), dHidden)
    }
}

import Foundation
import SparkEngine

extension Variable {
    /// Mean cross-entropy of `logits [N, C]` against class `targets` (one per row), as PyTorch's
    /// `cross_entropy`: loss_i = logsumexp(x_i) − x_i[t_i], then Σ w_i·loss_i / Σ w_i over the rows
    /// whose target is not `ignoreIndex`, with per-row `weights` (default 1). When no row counts,
    /// the loss is 0 with a zero gradient (PyTorch gives NaN), so a batch of ignored rows is harmless.
    /// The gradient is w_i / Σw · (softmax(x_i) − onehot(t_i)).
    public static func crossEntropy<Targets: Collection>(
        logits: Variable, targets: Targets, ignoreIndex: Int? = nil, weights: [Float]? = nil
    ) -> Variable where Targets.Element: BinaryInteger {
        let x = logits.value
        precondition(x.rank == 2, "crossEntropy expects logits [N, C], got \(x.shape)")
        let (rows, classes) = (x.shape[0], x.shape[1])
        precondition(classes > 0 || rows == 0, "crossEntropy needs at least one class, got logits \(x.shape)")
        let labels = targets.map { Int($0) }
        precondition(labels.count == rows, "crossEntropy: \(rows) rows of logits, \(labels.count) targets")
        precondition(weights == nil || weights!.count == rows, "crossEntropy: \(rows) rows, \(weights!.count) weights")
        for (i, t) in labels.enumerated() {
            precondition((0..<classes).contains(t) || t == ignoreIndex,
                         "crossEntropy: target \(t) of row \(i) is outside 0..<\(classes)")
        }
        let rowWeights = labels.enumerated().map { i, t in t == ignoreIndex ? 0 : Double(weights?[i] ?? 1) }
        let totalWeight = rowWeights.reduce(0, +)
        // The engine's softmax (vectorised) serves the loss and the backward. Its largest entry
        // is 1/Σ exp(x − max), so logsumexp = max − log(p_max): no underflow, since p_max ≥ 1/C.
        let probabilities = x.softmax()
        var loss = 0.0
        if totalWeight != 0 {
            x.withUnsafeBufferPointer { xb in
                probabilities.withUnsafeBufferPointer { pb in
                    for row in 0..<rows where rowWeights[row] != 0 {
                        let xr = xb.baseAddress! + row * classes, pr = pb.baseAddress! + row * classes
                        var peak = xr[0], largest = pr[0]
                        for j in 1..<classes where xr[j] > peak { peak = xr[j]; largest = pr[j] }
                        let logSumExp = Double(peak) - Foundation.log(Double(largest))
                        loss += rowWeights[row] * (logSumExp - Double(xr[labels[row]]))
                    }
                }
            }
            loss /= totalWeight
        }
        let xID = logits.id
        return logits.tape.record(Tensor(scalar: Float(loss)), inputs: [logits]) { g, tape in
            var dx = probabilities
            let seed = g.scalars[0]
            dx.withUnsafeMutableBufferPointer { d in
                for row in 0..<rows {
                    let dr = d.baseAddress! + row * classes
                    let factor = totalWeight == 0 ? 0 : Float(rowWeights[row] / totalWeight) * seed
                    if factor == 0 {
                        for j in 0..<classes { dr[j] = 0 }
                    } else {
                        dr[labels[row]] -= 1
                        for j in 0..<classes { dr[j] *= factor }
                    }
                }
            }
            tape.accumulate(xID, dx)
        }
    }

    /// Mean cross-entropy of these logits `[N, C]` (see `Variable.crossEntropy(logits:targets:ignoreIndex:weights:)`).
    public func crossEntropy<Targets: Collection>(targets: Targets, ignoreIndex: Int? = nil, weights: [Float]? = nil) -> Variable
    where Targets.Element: BinaryInteger {
        Variable.crossEntropy(logits: self, targets: targets, ignoreIndex: ignoreIndex, weights: weights)
    }

    /// mean((prediction − target)²) over every scalar; gradient 2·(prediction − target)/n.
    public static func meanSquaredError(_ prediction: Variable, target: Variable) -> Variable {
        precondition(prediction.shape == target.shape, "meanSquaredError: prediction \(prediction.shape), target \(target.shape)")
        let difference = prediction.value - target.value
        let n = difference.count
        let (pID, tID) = (prediction.id, target.id)
        return prediction.tape.record((difference * difference).reshaped([n]).mean(axis: 0), inputs: [prediction, target]) { g, tape in
            let dp = difference.scaled(by: 2 * g.scalars[0] / Float(n))
            tape.accumulate(pID, dp)
            if tape.needsGradient(tID) { tape.accumulate(tID, dp.scaled(by: -1)) }
        }
    }

    /// mean(|prediction − target|) over every scalar; gradient sign(prediction − target)/n (0 where equal).
    public static func meanAbsoluteError(_ prediction: Variable, target: Variable) -> Variable {
        precondition(prediction.shape == target.shape, "meanAbsoluteError: prediction \(prediction.shape), target \(target.shape)")
        let difference = prediction.value - target.value
        let n = difference.count
        let (pID, tID) = (prediction.id, target.id)
        let magnitude = Tensor(shape: difference.shape, scalars: difference.scalars.map { Swift.abs($0) })
        return prediction.tape.record(magnitude.reshaped([n]).mean(axis: 0), inputs: [prediction, target]) { g, tape in
            let step = g.scalars[0] / Float(n)
            let dp = Tensor(shape: difference.shape, scalars: difference.scalars.map { $0 > 0 ? step : ($0 < 0 ? -step : 0) })
            tape.accumulate(pID, dp)
            if tape.needsGradient(tID) { tape.accumulate(tID, dp.scaled(by: -1)) }
        }
    }

    public static func meanSquaredError(_ prediction: Variable, target: Tensor) -> Variable {
        meanSquaredError(prediction, target: prediction.tape.constant(target))
    }

    public static func meanAbsoluteError(_ prediction: Variable, target: Tensor) -> Variable {
        meanAbsoluteError(prediction, target: prediction.tape.constant(target))
    }

    /// mean((self − target)²).
    public func meanSquaredError(target: Tensor) -> Variable { Variable.meanSquaredError(self, target: target) }
    /// mean(|self − target|).
    public func meanAbsoluteError(target: Tensor) -> Variable { Variable.meanAbsoluteError(self, target: target) }
}

/// Ridge regression from a prepared encoder input to a head's scaled targets, fitted in closed
/// form on training samples: the baseline a learned regression head has to beat to show that the
/// encoder, bridge and language model add anything over a linear map of the raw input.
///
/// Why for trajectories: constant velocity is the field's customary baseline, but a linear map of
/// the 8 observed positions is much stronger on noisy tracks (it averages the velocity over several
/// steps and learns the crowd's typical slowing down), and a trained pipeline that loses to it
/// should say so beside its own figure.
///
/// Fit: minimise Σ‖W·[x, 1] − y‖² + λ‖W without its bias column‖², solved through the normal
/// equations (AᵀA + λI′)W = AᵀY by a Cholesky factorisation in Double (the systems here are a few
/// dozen unknowns; λ > 0 keeps them positive definite even with fewer samples than features).
public struct LinearRegressionBaseline: Sendable {
    /// `[features + 1][outputs]`: one row per input feature, the bias last.
    let coefficients: [[Double]]
    public let featureCount: Int
    public let outputCount: Int

    /// Fits on `inputs` (each `featureCount` values) and `targets` (each `outputCount` values).
    /// Nil when there is nothing to fit: no samples, ragged rows, or values that are not finite.
    public init?(inputs: [[Float]], targets: [[Float]], ridge: Double = 1e-2) {
        guard let first = inputs.first, let firstTarget = targets.first, inputs.count == targets.count, ridge > 0,
              inputs.allSatisfy({ $0.count == first.count }), targets.allSatisfy({ $0.count == firstTarget.count }),
              inputs.joined().allSatisfy(\.isFinite), targets.joined().allSatisfy(\.isFinite) else { return nil }
        featureCount = first.count
        outputCount = firstTarget.count
        let n = featureCount + 1
        var gram = [Double](repeating: 0, count: n * n)          // AᵀA + λI′, row-major
        var moments = [Double](repeating: 0, count: n * outputCount)   // AᵀY
        for (input, target) in zip(inputs, targets) {
            let row = input.map(Double.init) + [1]
            for i in 0..<n {
                for j in 0..<n { gram[i * n + j] += row[i] * row[j] }
                for k in 0..<outputCount { moments[i * outputCount + k] += row[i] * Double(target[k]) }
            }
        }
        for i in 0..<featureCount { gram[i * n + i] += ridge }
        guard let factor = Self.cholesky(gram, n) else { return nil }
        coefficients = Self.solve(factor, n, moments, outputCount)
    }

    /// W·[input, 1] (`outputCount` values).
    public func predict(_ input: [Float]) -> [Float] {
        precondition(input.count == featureCount, "LinearRegressionBaseline: \(input.count) features, fitted on \(featureCount)")
        return (0..<outputCount).map { k in
            var sum = coefficients[featureCount][k]
            for i in 0..<featureCount { sum += Double(input[i]) * coefficients[i][k] }
            return Float(sum)
        }
    }

    /// L with L·Lᵀ = matrix (`n × n`, row-major, symmetric); nil when it is not positive definite.
    static func cholesky(_ matrix: [Double], _ n: Int) -> [Double]? {
        var lower = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var sum = matrix[i * n + j]
                for k in 0..<j { sum -= lower[i * n + k] * lower[j * n + k] }
                if i == j {
                    guard sum > 0, sum.isFinite else { return nil }
                    lower[i * n + i] = sum.squareRoot()
                } else {
                    lower[i * n + j] = sum / lower[j * n + j]
                }
            }
        }
        return lower
    }

    /// X with L·Lᵀ·X = B (B `n × columns`, row-major), by forward then back substitution; X by rows.
    static func solve(_ lower: [Double], _ n: Int, _ b: [Double], _ columns: Int) -> [[Double]] {
        var x = [[Double]](repeating: [Double](repeating: 0, count: columns), count: n)
        for c in 0..<columns {
            var z = [Double](repeating: 0, count: n)
            for i in 0..<n {
                var sum = b[i * columns + c]
                for k in 0..<i { sum -= lower[i * n + k] * z[k] }
                z[i] = sum / lower[i * n + i]
            }
            for i in stride(from: n - 1, through: 0, by: -1) {
                var sum = z[i]
                for k in (i + 1)..<n { sum -= lower[k * n + i] * x[k][c] }
                x[i][c] = sum / lower[i * n + i]
            }
        }
        return x
    }
}

import SparkEngine

/// The gradient's Euclidean norm per module, before clipping: where the global norm in log.csv
/// comes from. A module is a parameter name's first two parts (`ParameterName.module`:
/// "encoders.trajectory", "bridges.trajectory", "heads.trajectory", "adapters.shared"), so a head whose gradient dwarfs
/// the encoder's, or a bridge that receives almost nothing through the frozen language model,
/// shows in `gradients.csv` step by step.
public struct ModuleGradientNorms: Equatable {
    /// Module names, sorted, and their norms in the same order.
    public var modules: [String]
    public var norms: [Float]

    public init(_ gradients: [String: Tensor]) {
        var sums: [String: Double] = [:]
        for (name, tensor) in gradients {
            var sum: Double = 0
            for v in tensor.scalars { sum += Double(v) * Double(v) }
            sums[ParameterName.module(of: name), default: 0] += sum
        }
        modules = sums.keys.sorted()
        norms = modules.map { Float(sums[$0]!.squareRoot()) }
    }

    /// gradients.csv's header: "step" and one column per module.
    public var header: String { (["step"] + modules).joined(separator: ",") }

    /// One CSV row for `step`.
    public func row(step: Int) -> String {
        ([String(step)] + norms.map { String(format: "%.5g", $0) }).joined(separator: ",")
    }
}

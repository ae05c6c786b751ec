import SparkEngine

/// The gradient's Euclidean norm per module, before clipping: where the global norm in log.csv
/// comes from. A module is a parameter name's first two parts (`ParameterName.module`:
/// "encoders.trajectory", "bridges.trajectory", "heads.trajectory", "adapters.shared"), so a head
/// whose gradient dwarfs the encoder's, or a bridge that receives almost nothing through the
/// frozen language model, shows in `gradients.csv` step by step. One pass gives the global norm
/// too, which clipping then uses instead of measuring it again.
public struct ModuleGradientNorms: Equatable {
    /// The modules asked for, in that order, and their norms (0 for a module without gradients
    /// this step, such as a frozen encoder's).
    public var modules: [String]
    public var norms: [Float]
    /// The norm of all the gradients together, those outside `modules` included.
    public var global: Float

    public init(_ gradients: [String: Tensor], modules: [String]) {
        var sums: [String: Double] = [:]
        var total: Double = 0
        for (name, tensor) in gradients {
            var sum: Double = 0
            for v in tensor.scalars { sum += Double(v) * Double(v) }
            sums[ParameterName.module(of: name), default: 0] += sum
            total += sum
        }
        self.modules = modules
        norms = modules.map { Float((sums[$0] ?? 0).squareRoot()) }
        global = Float(total.squareRoot())
    }

    /// gradients.csv's header for these modules: "step" and one column per module.
    public static func header(modules: [String]) -> String { (["step"] + modules).joined(separator: ",") }

    /// One CSV row for `step`.
    public func row(step: Int) -> String {
        ([String(step)] + norms.map { String(format: "%.5g", $0) }).joined(separator: ",")
    }
}

import SparkEngine

/// A tensor recorded on a tape: a constant, a parameter, or the output of an operation.
///
/// The operations (in the other files of this module) mirror SparkEngine's `Tensor` functions and
/// compute their values with them, so a forward pass on variables gives the same scalars, bit for
/// bit, as the same pass on tensors.
public struct Variable {
    public let tape: Tape
    /// Position on the tape; later operations have larger ids.
    public let id: Int

    public var value: Tensor { tape.value(id) }
    public var shape: [Int] { value.shape }
    public var rank: Int { value.rank }

    /// Whether a gradient flows to this variable (a parameter, or computed from one).
    public var needsGradient: Bool { tape.needsGradient(id) }

    /// The gradient after `tape.backward` (see `Tape.gradient(_:)`).
    public var gradient: Tensor? { tape.gradient(self) }
}

extension Variable: CustomStringConvertible {
    public var description: String { "Variable #\(id) \(value)" }
}

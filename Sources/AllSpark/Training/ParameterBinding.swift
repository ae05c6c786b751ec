import SparkEngine
import SparkGrad

/// The parameters of the tree as variables of one tape: a trainable parameter becomes a tape
/// parameter (its gradient is collected), a frozen one a constant. Each name is bound once per
/// tape, so a parameter used twice (a shared ViT over several views) sums its gradients.
public final class ParameterBinding {
    public let tape: Tape
    let store: ParameterStore
    private var variables: [String: Variable] = [:]
    private var order: [String] = []

    public init(tape: Tape, store: ParameterStore) {
        self.tape = tape; self.store = store
    }

    /// The variable of parameter `name`, whose current value is `value` (what the module holds).
    public func callAsFunction(_ name: String, _ value: Tensor) -> Variable {
        if let bound = variables[name] { return bound }
        let variable = store.isFrozen(name) ? tape.constant(value) : tape.parameter(value)
        variables[name] = variable
        order.append(name)
        return variable
    }

    /// Names bound so far, trainable ones only, in the order they were bound.
    public var trainableNames: [String] { order.filter { variables[$0]!.needsGradient } }

    /// After `tape.backward`: the gradient of every trainable parameter that was bound (zeros for
    /// one the loss did not reach).
    public func gradients() -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for name in trainableNames {
            let variable = variables[name]!
            out[name] = tape.gradient(variable) ?? Tensor(zeros: variable.shape)
        }
        return out
    }
}

import SparkEngine

/// A record of tensor operations in the order they ran, so gradients can flow back through them
/// (reverse-mode automatic differentiation, as PyTorch's autograd or micrograd, over coarse ops).
///
/// Each operation computes its value with the same SparkEngine function inference uses, and
/// records a backward closure written by hand for that operation (llm.c style: the dense products
/// of a backward are BLAS calls with transpose flags). Variables get increasing ids as they are
/// created, so walking the ids downwards from the loss visits every operation after all the
/// operations that read its output: a topological order for free.
///
/// Only variables that need a gradient — parameters and whatever is computed from one — keep a
/// backward; an operation whose inputs are all constants is recorded as a constant, and its
/// activations are not kept. A backward closure is released as soon as it has run, and an
/// intermediate gradient as soon as it has been passed on, so memory falls as the pass proceeds.
///
/// Not thread-safe. Use one tape per training step: `backward` runs once.
public final class Tape {
    /// Maps the gradient of a node's output to its inputs by calling `accumulate` on the tape.
    /// Captures input ids, never `Variable`s, so the tape and its closures form no cycle.
    typealias Backward = (_ outputGradient: Tensor, _ tape: Tape) -> Void

    struct Node {
        var value: Tensor
        var needsGradient: Bool
        /// Whether `gradient(_:)` should still answer for this node after `backward`.
        var retainsGradient: Bool
        var backward: Backward?
    }

    private(set) var nodes: [Node] = []
    private var gradients: [Tensor?] = []
    private var hasRunBackward = false

    public init() {}

    /// Number of variables recorded so far.
    public var count: Int { nodes.count }

    /// A value that receives no gradient (inputs, frozen weights).
    public func constant(_ value: Tensor) -> Variable {
        append(Node(value: value, needsGradient: false, retainsGradient: false, backward: nil))
    }

    /// A value whose gradient `backward` accumulates and `gradient(_:)` returns.
    public func parameter(_ value: Tensor) -> Variable {
        append(Node(value: value, needsGradient: true, retainsGradient: true, backward: nil))
    }

    /// Keeps the gradient of an intermediate variable (which `backward` otherwise frees once it
    /// has been passed on), for inspection. Call before `backward`.
    public func retainGradient(_ v: Variable) {
        check(v)
        nodes[v.id].retainsGradient = true
    }

    /// Gradient of a one-element loss (seed 1) with respect to every parameter it depends on.
    public func backward(_ loss: Variable) {
        check(loss)
        precondition(loss.value.count == 1, "backward(_:) needs a one-element loss, got shape \(loss.shape); pass a seed otherwise")
        backward(loss, seed: Tensor(repeating: 1, shape: loss.shape))
    }

    /// Vector-Jacobian product: the gradient of Σ (output ⊙ seed) with respect to every parameter.
    public func backward(_ output: Variable, seed: Tensor) {
        check(output)
        precondition(seed.shape == output.shape, "backward: seed shape \(seed.shape) differs from the output's \(output.shape)")
        precondition(!hasRunBackward, "backward runs once per tape (its closures are released as they run); record a new tape")
        hasRunBackward = true
        gradients = [Tensor?](repeating: nil, count: nodes.count)
        guard nodes[output.id].needsGradient else { return }
        gradients[output.id] = seed
        for id in stride(from: output.id, through: 0, by: -1) {
            guard let backward = nodes[id].backward else { continue }
            nodes[id].backward = nil  // releases the activations the closure holds
            guard let gradient = gradients[id] else { continue }  // does not lead to the output
            if !nodes[id].retainsGradient { gradients[id] = nil }
            backward(gradient, self)
        }
    }

    /// The gradient of a parameter (or retained variable) after `backward`; nil for constants,
    /// for variables the output does not depend on, and before `backward`.
    public func gradient(_ v: Variable) -> Tensor? {
        check(v)
        guard v.id < gradients.count, nodes[v.id].retainsGradient else { return nil }
        return gradients[v.id]
    }

    /// An operation defined outside this module: `value` is computed by the caller; `backward`
    /// maps the output's gradient to one gradient per input, each of that input's shape (nil:
    /// none for that input). It is called only if some input needs a gradient; a closure that
    /// captures variables of this tape keeps the tape alive until `backward` has run.
    public func custom(_ inputs: [Variable], value: Tensor, backward: @escaping (Tensor) -> [Tensor?]) -> Variable {
        let ids = inputs.map(\.id)
        return record(value, inputs: inputs) { gradient, tape in
            let gradients = backward(gradient)
            precondition(gradients.count == ids.count,
                         "custom backward returned \(gradients.count) gradients for \(ids.count) inputs")
            for (id, g) in zip(ids, gradients) {
                if let g { tape.accumulate(id, g) }
            }
        }
    }

    // MARK: - For the operations

    /// Records an operation's output. The backward is kept only if some input needs a gradient.
    func record(_ value: Tensor, inputs: [Variable], backward: @escaping Backward) -> Variable {
        for input in inputs { check(input) }
        let needsGradient = inputs.contains { nodes[$0.id].needsGradient }
        return append(Node(value: value, needsGradient: needsGradient, retainsGradient: false,
                           backward: needsGradient ? backward : nil))
    }

    func value(_ id: Int) -> Tensor { nodes[id].value }

    func needsGradient(_ id: Int) -> Bool { nodes[id].needsGradient }

    /// Adds `gradient` to the gradient of variable `id` (nothing if it needs none).
    func accumulate(_ id: Int, _ gradient: Tensor) {
        guard nodes[id].needsGradient else { return }
        precondition(gradient.shape == nodes[id].value.shape,
                     "gradient of shape \(gradient.shape) for a variable of shape \(nodes[id].value.shape)")
        if gradients[id] == nil {
            gradients[id] = gradient
        } else {
            gradients[id]! += gradient
        }
    }

    /// Adds `block` into the part of variable `id`'s gradient that starts at `start` along `axis`
    /// (the backward of taking that part: a split piece, a slice). Only that part is touched.
    func accumulate(_ id: Int, block: Tensor, axis: Int, start: Int) {
        guard nodes[id].needsGradient else { return }
        let shape = nodes[id].value.shape
        if block.shape == shape {
            accumulate(id, block)
            return
        }
        precondition(block.rank == shape.count && (0..<shape.count).allSatisfy { $0 == axis || block.shape[$0] == shape[$0] }
                        && start >= 0 && start + block.shape[axis] <= shape[axis],
                     "gradient block \(block.shape) at \(start) on axis \(axis) does not fit \(shape)")
        if gradients[id] == nil { gradients[id] = Tensor(zeros: shape) }
        if block.count == 0 { return }
        let outer = shape[..<axis].reduce(1, *), inner = shape[(axis + 1)...].reduce(1, *)
        let run = block.shape[axis] * inner, stride = shape[axis] * inner
        block.withUnsafeBufferPointer { source in
            gradients[id]!.withUnsafeMutableBufferPointer { target in
                for o in 0..<outer {
                    let s = source.baseAddress! + o * run, t = target.baseAddress! + o * stride + start * inner
                    for i in 0..<run { t[i] += s[i] }
                }
            }
        }
    }

    private func append(_ node: Node) -> Variable {
        precondition(!hasRunBackward, "this tape has run backward; record a new tape for the next step")
        nodes.append(node)
        return Variable(tape: self, id: nodes.count - 1)
    }

    private func check(_ v: Variable) {
        precondition(v.tape === self, "a variable of another tape was used")
    }
}

import SparkEngine

/// Elementwise arithmetic. Operands have the same shape, or one of them is a block the other
/// repeats along its leading axes (`[N, D] + [D]`, a bias; `[B, L, D] * [L, D]`); its gradient is
/// then the sum over those axes.
extension Variable {
    public static func + (lhs: Variable, rhs: Variable) -> Variable {
        let shapes = broadcastShapes(lhs, rhs, "+")
        let (a, b) = (lhs.id, rhs.id)
        return lhs.tape.record(lhs.value + rhs.value, inputs: [lhs, rhs]) { g, tape in
            tape.accumulate(a, GradientKernels.reduce(g, to: shapes.lhs))
            tape.accumulate(b, GradientKernels.reduce(g, to: shapes.rhs))
        }
    }

    public static func - (lhs: Variable, rhs: Variable) -> Variable {
        let shapes = broadcastShapes(lhs, rhs, "-")
        let (a, b) = (lhs.id, rhs.id)
        return lhs.tape.record(lhs.value - rhs.value, inputs: [lhs, rhs]) { g, tape in
            tape.accumulate(a, GradientKernels.reduce(g, to: shapes.lhs))
            if tape.needsGradient(b) { tape.accumulate(b, GradientKernels.reduce(g, to: shapes.rhs).scaled(by: -1)) }
        }
    }

    public static func * (lhs: Variable, rhs: Variable) -> Variable {
        let shapes = broadcastShapes(lhs, rhs, "*")
        let (a, b) = (lhs.id, rhs.id)
        let (x, y) = (lhs.value, rhs.value)
        return lhs.tape.record(x * y, inputs: [lhs, rhs]) { g, tape in
            if tape.needsGradient(a) { tape.accumulate(a, GradientKernels.reduce(g * y, to: shapes.lhs)) }
            if tape.needsGradient(b) { tape.accumulate(b, GradientKernels.reduce(g * x, to: shapes.rhs)) }
        }
    }

    /// Every scalar times `factor`.
    public func scaled(by factor: Float) -> Variable {
        let x = id
        return tape.record(value.scaled(by: factor), inputs: [self]) { g, tape in
            tape.accumulate(x, g.scaled(by: factor))
        }
    }

    public static func * (lhs: Variable, rhs: Float) -> Variable { lhs.scaled(by: rhs) }
    public static func * (lhs: Float, rhs: Variable) -> Variable { rhs.scaled(by: lhs) }
    public static prefix func - (operand: Variable) -> Variable { operand.scaled(by: -1) }

    /// Every scalar plus `offset`.
    public static func + (lhs: Variable, rhs: Float) -> Variable {
        let x = lhs.id
        return lhs.tape.record(lhs.value + rhs, inputs: [lhs]) { g, tape in tape.accumulate(x, g) }
    }

    public static func - (lhs: Variable, rhs: Float) -> Variable { lhs + (-rhs) }

    /// The two operands' shapes after checking that they are equal or one is a trailing block of the other.
    private static func broadcastShapes(_ lhs: Variable, _ rhs: Variable, _ symbol: String) -> (lhs: [Int], rhs: [Int]) {
        precondition(lhs.tape === rhs.tape, "\(symbol): operands from different tapes")
        let (a, b) = (lhs.shape, rhs.shape)
        precondition(a == b || (b.count <= a.count && Array(a.suffix(b.count)) == b)
                        || (a.count <= b.count && Array(b.suffix(a.count)) == a),
                     "\(symbol) on variables needs equal shapes or one the trailing axes of the other, got \(a) and \(b)")
        return (a, b)
    }
}

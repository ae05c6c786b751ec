/// Elementwise arithmetic with NumPy broadcasting (see `Broadcasting`), as operators on `Tensor`.
///
/// `a + b` returns a new tensor of the broadcast shape; `a += b` updates `a` in place and needs
/// `b` to broadcast to `a`'s shape (a residual add, a bias add). Same-shape, scalar and row
/// (`[N, D] + [D]`) operands take direct loops; other broadcasts walk runs of the last axes.

struct AddOperation: BinaryScalarOperation {
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a + b }
}
struct SubtractOperation: BinaryScalarOperation {
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a - b }
}
struct MultiplyOperation: BinaryScalarOperation {
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a * b }
}
struct DivideOperation: BinaryScalarOperation {
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a / b }
}
struct ScaleOperation: UnaryScalarOperation {
    var factor: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x * factor }
}
struct ShiftOperation: UnaryScalarOperation {
    var offset: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x + offset }
}

extension Tensor {
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { broadcasting(AddOperation(), lhs, rhs, "+") }
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { broadcasting(SubtractOperation(), lhs, rhs, "-") }
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { broadcasting(MultiplyOperation(), lhs, rhs, "*") }
    public static func / (lhs: Tensor, rhs: Tensor) -> Tensor { broadcasting(DivideOperation(), lhs, rhs, "/") }

    public static func += (lhs: inout Tensor, rhs: Tensor) { lhs.update(AddOperation(), rhs, "+=") }
    public static func -= (lhs: inout Tensor, rhs: Tensor) { lhs.update(SubtractOperation(), rhs, "-=") }
    public static func *= (lhs: inout Tensor, rhs: Tensor) { lhs.update(MultiplyOperation(), rhs, "*=") }
    public static func /= (lhs: inout Tensor, rhs: Tensor) { lhs.update(DivideOperation(), rhs, "/=") }

    public static func + (lhs: Tensor, rhs: Float) -> Tensor { lhs.mapped(ShiftOperation(offset: rhs)) }
    public static func - (lhs: Tensor, rhs: Float) -> Tensor { lhs.mapped(ShiftOperation(offset: -rhs)) }
    public static func * (lhs: Tensor, rhs: Float) -> Tensor { lhs.scaled(by: rhs) }
    public static func * (lhs: Float, rhs: Tensor) -> Tensor { rhs.scaled(by: lhs) }
    public static func / (lhs: Tensor, rhs: Float) -> Tensor { lhs.mapped(ScalarDivision(divisor: rhs)) }
    public static prefix func - (operand: Tensor) -> Tensor { operand.scaled(by: -1) }

    public static func += (lhs: inout Tensor, rhs: Float) { lhs.mapInPlace(ShiftOperation(offset: rhs)) }
    public static func -= (lhs: inout Tensor, rhs: Float) { lhs.mapInPlace(ShiftOperation(offset: -rhs)) }
    public static func *= (lhs: inout Tensor, rhs: Float) { lhs.scale(by: rhs) }
    public static func /= (lhs: inout Tensor, rhs: Float) { lhs.mapInPlace(ScalarDivision(divisor: rhs)) }

    /// Every scalar times `factor`.
    public func scaled(by factor: Float) -> Tensor {
        mapped(ScaleOperation(factor: factor))
    }

    /// Multiplies every scalar by `factor` in place.
    public mutating func scale(by factor: Float) {
        mapInPlace(ScaleOperation(factor: factor))
    }

    // MARK: - Plumbing shared with activations

    /// A new tensor of the same shape with `op` applied to every scalar.
    func mapped<Op: UnaryScalarOperation>(_ op: Op, grain: Int = elementwiseParallelGrain) -> Tensor {
        if count == 0 { return self }
        return scalars.withUnsafeBufferPointer { x in
            Tensor(shape: shape, uninitializedWith: { out in
                ElementwiseKernels.map(op, x.baseAddress!, out.baseAddress!, count: count, grain: grain)
            })
        }
    }

    /// Applies `op` to every scalar in place.
    mutating func mapInPlace<Op: UnaryScalarOperation>(_ op: Op, grain: Int = elementwiseParallelGrain) {
        if count == 0 { return }
        let n = count
        scalars.withUnsafeMutableBufferPointer { buffer in
            let p = buffer.baseAddress!
            ElementwiseKernels.map(op, UnsafePointer(p), p, count: n, grain: grain)
        }
    }

    private static func broadcasting<Op: BinaryScalarOperation>(_ op: Op, _ lhs: Tensor, _ rhs: Tensor, _ symbol: String) -> Tensor {
        guard let outShape = Broadcasting.resultShape(lhs.shape, rhs.shape) else {
            preconditionFailure("cannot broadcast \(lhs.shape) \(symbol) \(rhs.shape)")
        }
        if Tensor.elementCount(outShape) == 0 { return Tensor(zeros: outShape) }
        return lhs.scalars.withUnsafeBufferPointer { a in
            rhs.scalars.withUnsafeBufferPointer { b in
                Tensor(shape: outShape, uninitializedWith: { out in
                    ElementwiseKernels.broadcast(op, a.baseAddress!, shape: lhs.shape, b.baseAddress!, shape: rhs.shape,
                                                 out.baseAddress!, shape: outShape)
                })
            }
        }
    }

    private mutating func update<Op: BinaryScalarOperation>(_ op: Op, _ rhs: Tensor, _ symbol: String) {
        precondition(Broadcasting.resultShape(shape, rhs.shape) == shape,
                     "\(symbol) needs the right side to broadcast to \(shape), got \(rhs.shape)")
        if count == 0 { return }
        let ownShape = shape
        rhs.scalars.withUnsafeBufferPointer { b in
            scalars.withUnsafeMutableBufferPointer { buffer in
                let p = buffer.baseAddress!
                ElementwiseKernels.broadcast(op, UnsafePointer(p), shape: ownShape, b.baseAddress!, shape: rhs.shape,
                                             p, shape: ownShape)
            }
        }
    }
}

/// Division kept as a division (not multiplication by the reciprocal) so results match x / d exactly.
struct ScalarDivision: UnaryScalarOperation {
    var divisor: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x / divisor }
}

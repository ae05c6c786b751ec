/// The loops behind elementwise arithmetic and activations. Operations are small structs passed
/// as generic parameters, so each loop is specialised and vectorised for its operation.

protocol BinaryScalarOperation {
    func callAsFunction(_ a: Float, _ b: Float) -> Float
}

protocol UnaryScalarOperation {
    func callAsFunction(_ x: Float) -> Float
}

/// Elementwise loops are memory-bound; below this many scalars a second thread costs more than it saves.
let elementwiseParallelGrain = 1 << 16

enum ElementwiseKernels {
    /// out[i] = op(x[i]) for i in 0..<count, split across threads when large. `out` may equal `x`.
    static func map<Op: UnaryScalarOperation>(
        _ op: Op, _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int,
        grain: Int = elementwiseParallelGrain
    ) {
        EngineThreads.parallelRanges(count: count, grain: grain) { range in
            for i in range { out[i] = op(x[i]) }
        }
    }

    /// One contiguous run of a binary operation; a step of 0 repeats that operand's first scalar.
    /// Four separate loops so each is a plain vectorisable loop.
    @inline(__always)
    static func run<Op: BinaryScalarOperation>(
        _ op: Op, count n: Int,
        _ a: UnsafePointer<Float>, step stepA: Int,
        _ b: UnsafePointer<Float>, step stepB: Int,
        _ out: UnsafeMutablePointer<Float>
    ) {
        switch (stepA, stepB) {
        case (1, 1): for i in 0..<n { out[i] = op(a[i], b[i]) }
        case (1, _): let y = b[0]; for i in 0..<n { out[i] = op(a[i], y) }
        case (_, 1): let x = a[0]; for i in 0..<n { out[i] = op(x, b[i]) }
        default: let v = op(a[0], b[0]); for i in 0..<n { out[i] = v }
        }
    }

    /// out = op(a, b) with broadcasting; `outShape` must be the broadcast shape of the two.
    /// `out` may be the storage of `a` when `a` already has the output's shape (in-place update).
    static func broadcast<Op: BinaryScalarOperation>(
        _ op: Op,
        _ a: UnsafePointer<Float>, shape shapeA: [Int],
        _ b: UnsafePointer<Float>, shape shapeB: [Int],
        _ out: UnsafeMutablePointer<Float>, shape outShape: [Int]
    ) {
        let count = Tensor.elementCount(outShape)
        if count == 0 { return }
        let countA = Tensor.elementCount(shapeA), countB = Tensor.elementCount(shapeB)

        // Fast paths: equal shapes, a scalar, or one operand repeating as the trailing block of the other.
        if countA == count && countB == count {
            EngineThreads.parallelRanges(count: count, grain: elementwiseParallelGrain) { r in
                run(op, count: r.count, a + r.lowerBound, step: 1, b + r.lowerBound, step: 1, out + r.lowerBound)
            }
            return
        }
        if countA == count && countB == 1 {
            EngineThreads.parallelRanges(count: count, grain: elementwiseParallelGrain) { r in
                run(op, count: r.count, a + r.lowerBound, step: 1, b, step: 0, out + r.lowerBound)
            }
            return
        }
        if countB == count && countA == 1 {
            EngineThreads.parallelRanges(count: count, grain: elementwiseParallelGrain) { r in
                run(op, count: r.count, a, step: 0, b + r.lowerBound, step: 1, out + r.lowerBound)
            }
            return
        }
        if countA == count && isTrailingBlock(shapeB, of: outShape) {
            let rows = count / countB
            EngineThreads.parallelRanges(count: rows, grain: Swift.max(1, elementwiseParallelGrain / countB)) { r in
                for row in r {
                    run(op, count: countB, a + row * countB, step: 1, b, step: 1, out + row * countB)
                }
            }
            return
        }
        if countB == count && isTrailingBlock(shapeA, of: outShape) {
            let rows = count / countA
            EngineThreads.parallelRanges(count: rows, grain: Swift.max(1, elementwiseParallelGrain / countA)) { r in
                for row in r {
                    run(op, count: countA, a, step: 1, b + row * countA, step: 1, out + row * countA)
                }
            }
            return
        }
        general(op, a, shapeA, b, shapeB, out, outShape, count: count)
    }

    /// True when `shape`, without leading 1s, equals the last axes of `outShape`:
    /// the operand is one block that repeats along the leading axes.
    private static func isTrailingBlock(_ shape: [Int], of outShape: [Int]) -> Bool {
        let trimmed = shape.drop(while: { $0 == 1 })
        return trimmed.count <= outShape.count && Array(outShape.suffix(trimmed.count)) == Array(trimmed)
    }

    /// Any broadcast: axes are merged where both operands stay contiguous across them, the last
    /// merged axis is one run, and the runs are walked with an odometer over the other axes.
    private static func general<Op: BinaryScalarOperation>(
        _ op: Op,
        _ a: UnsafePointer<Float>, _ shapeA: [Int],
        _ b: UnsafePointer<Float>, _ shapeB: [Int],
        _ out: UnsafeMutablePointer<Float>, _ outShape: [Int], count: Int
    ) {
        var dims: [Int] = [], stridesA: [Int] = [], stridesB: [Int] = []
        let fullA = Broadcasting.strides(of: shapeA, broadcastTo: outShape)
        let fullB = Broadcasting.strides(of: shapeB, broadcastTo: outShape)
        for axis in 0..<outShape.count where outShape[axis] != 1 {
            if let last = dims.indices.last,
               stridesA[last] == fullA[axis] * outShape[axis],
               stridesB[last] == fullB[axis] * outShape[axis] {
                dims[last] *= outShape[axis]
                stridesA[last] = fullA[axis]
                stridesB[last] = fullB[axis]
            } else {
                dims.append(outShape[axis]); stridesA.append(fullA[axis]); stridesB.append(fullB[axis])
            }
        }
        let inner = dims.removeLast()
        let stepA = stridesA.removeLast(), stepB = stridesB.removeLast()
        let rows = count / inner
        let outerRank = dims.count
        EngineThreads.parallelRanges(count: rows, grain: Swift.max(1, elementwiseParallelGrain / inner)) { range in
            // Odometer position of the first row of this range.
            var index = [Int](repeating: 0, count: outerRank)
            var rest = range.lowerBound
            var offsetA = 0, offsetB = 0
            for axis in stride(from: outerRank - 1, through: 0, by: -1) {
                index[axis] = rest % dims[axis]
                rest /= dims[axis]
                offsetA += index[axis] * stridesA[axis]
                offsetB += index[axis] * stridesB[axis]
            }
            for row in range {
                run(op, count: inner, a + offsetA, step: stepA, b + offsetB, step: stepB, out + row * inner)
                var axis = outerRank - 1
                while axis >= 0 {
                    index[axis] += 1
                    offsetA += stridesA[axis]
                    offsetB += stridesB[axis]
                    if index[axis] < dims[axis] { break }
                    offsetA -= stridesA[axis] * dims[axis]
                    offsetB -= stridesB[axis] * dims[axis]
                    index[axis] = 0
                    axis -= 1
                }
            }
        }
    }
}

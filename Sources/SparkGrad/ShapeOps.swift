import SparkEngine

/// Operations that move scalars without changing them: their backwards move the gradient back.
extension Variable {
    /// The same scalars under another shape (`Tensor.reshaped`; one dimension may be -1).
    public func reshaped(_ newShape: [Int]) -> Variable {
        let inputShape = shape, xID = id
        return tape.record(value.reshaped(newShape), inputs: [self]) { g, tape in
            tape.accumulate(xID, g.reshaped(inputShape))
        }
    }

    /// Axes reordered (`Tensor.permuted`); the backward applies the inverse permutation.
    public func permuted(_ axes: [Int]) -> Variable {
        let output = value.permuted(axes)
        var inverse = [Int](repeating: 0, count: axes.count)
        for (i, axis) in axes.enumerated() { inverse[axis] = i }
        let xID = id
        return tape.record(output, inputs: [self]) { g, tape in
            tape.accumulate(xID, g.permuted(inverse))
        }
    }

    /// The last two axes swapped (`Tensor.transposed`).
    public func transposed() -> Variable {
        let xID = id
        return tape.record(value.transposed(), inputs: [self]) { g, tape in
            tape.accumulate(xID, g.transposed())
        }
    }

    /// Rows `range` of the first axis (`Tensor.slice(rows:)`); the gradient of the other rows is 0.
    public func slice(rows range: Range<Int>) -> Variable {
        let xID = id
        return tape.record(value.slice(rows: range), inputs: [self]) { g, tape in
            tape.accumulate(xID, block: g, axis: 0, start: range.lowerBound)
        }
    }

    /// Row `index` of the first axis, with that axis removed.
    public subscript(row index: Int) -> Variable {
        slice(rows: index..<(index + 1)).reshaped(Array(shape.dropFirst()))
    }

    /// Variables joined along `axis` (`Tensor.concatenate`); each gets its part of the gradient back.
    public static func concatenate(_ variables: [Variable], axis: Int) -> Variable {
        precondition(!variables.isEmpty, "concatenate needs at least one variable")
        let tape = variables[0].tape
        let output = Tensor.concatenate(variables.map(\.value), axis: axis)
        let a = output.normalizedAxis(axis)
        let sizes = variables.map { $0.shape[a] }, ids = variables.map(\.id)
        return tape.record(output, inputs: variables) { g, tape in
            for (id, piece) in zip(ids, g.split(sizes: sizes, axis: a)) { tape.accumulate(id, piece) }
        }
    }

    /// Pieces of the given sizes along `axis` (`Tensor.split(sizes:axis:)`). Each piece's gradient
    /// is added into its own part of the input's gradient, so the pieces of a fused QKV projection
    /// fill one buffer.
    public func split(sizes: [Int], axis: Int) -> [Variable] {
        let pieces = value.split(sizes: sizes, axis: axis)
        let a = value.normalizedAxis(axis), xID = id
        var start = 0
        return pieces.map { piece in
            let offset = start
            start += piece.shape[a]
            return tape.record(piece, inputs: [self]) { g, tape in
                tape.accumulate(xID, block: g, axis: a, start: offset)
            }
        }
    }

    /// `parts` equal pieces along `axis`.
    public func split(parts: Int, axis: Int) -> [Variable] {
        let size = value.dim(axis)
        precondition(parts > 0 && size % parts == 0, "cannot split axis \(axis) of \(shape) into \(parts) equal parts")
        return split(sizes: [Int](repeating: size / parts, count: parts), axis: axis)
    }
}

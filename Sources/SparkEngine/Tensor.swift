/// A dense Float32 tensor: a shape and its scalars in row-major (C) order.
///
/// Storage is a Swift array, so copies are copy-on-write: `reshaped` and passing tensors around
/// are free, and a tensor is safe to hand to another thread. Strided views are deliberately not
/// modelled; BLAS takes transposes as flags, and the few permutes the models need are copies that
/// cost less than the products around them.
public struct Tensor: Sendable, Equatable {
    public private(set) var shape: [Int]
    public var scalars: [Float]

    /// Creates a tensor from scalars in row-major order. The count must match the shape.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        precondition(Tensor.elementCount(shape) == scalars.count,
                     "shape \(shape) needs \(Tensor.elementCount(shape)) scalars, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    public init(zeros shape: [Int]) {
        self.init(repeating: 0, shape: shape)
    }

    public init(repeating value: Float, shape: [Int]) {
        self.init(shape: shape, scalars: [Float](repeating: value, count: Tensor.elementCount(shape)))
    }

    /// A rank-0 tensor holding one value.
    public init(scalar: Float) {
        self.init(shape: [], scalars: [scalar])
    }

    /// Creates a tensor whose scalars `body` writes, skipping the zero fill for outputs that are
    /// overwritten anyway (products, copies). `body` must write every one of the buffer's scalars.
    public init(shape: [Int], uninitializedWith body: (UnsafeMutableBufferPointer<Float>) throws -> Void) rethrows {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        let n = Tensor.elementCount(shape)
        let scalars = try [Float](unsafeUninitializedCapacity: n) { buffer, initializedCount in
            try body(buffer)
            initializedCount = n
        }
        self.init(shape: shape, scalars: scalars)
    }

    /// Number of scalars a shape holds (1 for rank 0).
    public static func elementCount(_ shape: [Int]) -> Int {
        shape.reduce(1, *)
    }

    /// Number of scalars a shape holds, or nil if a dimension is negative or the product overflows.
    /// For shapes read from files, before anything is allocated.
    public static func checkedElementCount(_ shape: [Int]) -> Int? {
        var total = 1
        for n in shape {
            guard n >= 0 else { return nil }
            let (product, overflow) = total.multipliedReportingOverflow(by: n)
            if overflow { return nil }
            total = product
        }
        return total
    }

    public var count: Int { scalars.count }
    public var rank: Int { shape.count }

    /// Size of dimension `axis`; negative axes count from the end.
    public func dim(_ axis: Int) -> Int {
        shape[normalizedAxis(axis)]
    }

    /// Maps a possibly negative axis to 0..<rank.
    public func normalizedAxis(_ axis: Int) -> Int {
        let a = axis < 0 ? axis + rank : axis
        precondition(a >= 0 && a < rank, "axis \(axis) out of range for shape \(shape)")
        return a
    }

    /// The same scalars under another shape. One dimension may be -1 and is inferred.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var resolved = newShape
        if let unknown = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != unknown }.map(\.element).reduce(1, *)
            precondition(known > 0 && count % known == 0, "cannot reshape \(shape) to \(newShape)")
            resolved[unknown] = count / known
        }
        var result = self
        precondition(Tensor.elementCount(resolved) == count, "cannot reshape \(shape) to \(newShape)")
        result.shape = resolved
        return result
    }

    /// Rows `range` of the first axis (a copy).
    public func slice(rows range: Range<Int>) -> Tensor {
        precondition(rank >= 1 && range.lowerBound >= 0 && range.upperBound <= shape[0],
                     "rows \(range) out of range for shape \(shape)")
        let inner = count / max(shape[0], 1)
        var newShape = shape
        newShape[0] = range.count
        if shape[0] == 0 { return Tensor(zeros: newShape) }
        return Tensor(shape: newShape, scalars: Array(scalars[(range.lowerBound * inner)..<(range.upperBound * inner)]))
    }

    /// Row `index` of the first axis, with that axis removed.
    public subscript(row index: Int) -> Tensor {
        slice(rows: index..<(index + 1)).reshaped(Array(shape.dropFirst()))
    }

    /// Element access by full index (for tests and small tables, not for hot loops).
    public subscript(_ index: Int...) -> Float {
        get { scalars[flatIndex(index)] }
        set { scalars[flatIndex(index)] = newValue }
    }

    public func flatIndex(_ index: [Int]) -> Int {
        precondition(index.count == rank, "index \(index) does not match shape \(shape)")
        var flat = 0
        for (i, n) in zip(index, shape) {
            precondition(i >= 0 && i < n, "index \(index) out of range for shape \(shape)")
            flat = flat * n + i
        }
        return flat
    }

    /// Row-major strides of the shape.
    public static func strides(of shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= shape[axis]
        }
        return strides
    }

    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try scalars.withUnsafeBufferPointer(body)
    }

    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        try scalars.withUnsafeMutableBufferPointer(body)
    }
}

extension Tensor: CustomStringConvertible {
    /// One line in the spirit of lovely-tensors: shape and summary statistics.
    public var description: String {
        "Tensor\(shape) " + TensorSummary(self).line
    }
}

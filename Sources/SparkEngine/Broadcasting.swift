/// NumPy's broadcasting rule: shapes are aligned at their last axis; along each axis the sizes
/// must be equal or one of them 1 (missing leading axes count as 1), and the result takes the
/// larger. A size-1 axis is then read again for every index of the other.
public enum Broadcasting {
    /// The broadcast shape of `a` and `b`, or nil if they are incompatible.
    public static func resultShape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = Swift.max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for axis in 0..<rank {
            let sizeA = size(of: a, at: axis, alignedTo: rank)
            let sizeB = size(of: b, at: axis, alignedTo: rank)
            if sizeA == sizeB || sizeB == 1 {
                result[axis] = sizeA
            } else if sizeA == 1 {
                result[axis] = sizeB
            } else {
                return nil
            }
        }
        return result
    }

    /// Strides with which an operand of `shape` is read when broadcast to `resultShape`:
    /// row-major strides, with 0 on axes the operand repeats (size 1 or missing).
    static func strides(of shape: [Int], broadcastTo resultShape: [Int]) -> [Int] {
        let rank = resultShape.count
        let own = Tensor.strides(of: shape)
        var strides = [Int](repeating: 0, count: rank)
        let lead = rank - shape.count
        for axis in lead..<rank where shape[axis - lead] != 1 {
            strides[axis] = own[axis - lead]
        }
        return strides
    }

    @inline(__always)
    private static func size(of shape: [Int], at axis: Int, alignedTo rank: Int) -> Int {
        let lead = rank - shape.count
        return axis < lead ? 1 : shape[axis - lead]
    }
}

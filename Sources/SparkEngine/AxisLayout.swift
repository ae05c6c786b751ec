/// A tensor seen as [outer, size, inner] around one axis: the shape every per-axis operation
/// (reductions, concatenation, channel-wise scaling) walks.
struct AxisLayout {
    let outer: Int
    let size: Int
    let inner: Int

    init(shape: [Int], axis: Int) {
        outer = Tensor.elementCount(Array(shape[..<axis]))
        size = shape[axis]
        inner = Tensor.elementCount(Array(shape[(axis + 1)...]))
    }
}

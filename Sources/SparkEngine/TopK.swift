extension Tensor {
    /// The `k` largest values along the last axis, for every row: values `[..., k]` in descending
    /// order and their indices along the axis (row-major, k per row). Ties keep the lower index
    /// first; NaN ranks below every number. k must be in 0...(size of the last axis).
    public func topK(_ k: Int) -> (values: Tensor, indices: [Int]) {
        precondition(rank >= 1, "topK needs rank ≥ 1, got a scalar")
        let width = shape[rank - 1]
        precondition(k >= 0 && k <= width, "topK: k = \(k) must be in 0...\(width) for shape \(shape)")
        let rows = width == 0 ? 0 : count / width
        var values = [Float](repeating: 0, count: rows * k)
        var indices = [Int](repeating: 0, count: rows * k)
        scalars.withUnsafeBufferPointer { x in
            for row in 0..<rows {
                let chosen = topIndices(x.baseAddress! + row * width, width: width, k: k)
                for (slot, index) in chosen.enumerated() {
                    values[row * k + slot] = x[row * width + index]
                    indices[row * k + slot] = index
                }
            }
        }
        return (Tensor(shape: Array(shape.dropLast()) + [k], scalars: values), indices)
    }
}

/// True when (a at ia) ranks before (b at ib): larger value first, NaN last, lower index on ties.
/// A strict weak order even with NaN, so sorting and heaps stay well defined.
@inline(__always)
private func ranksBefore(_ a: Float, _ ia: Int, _ b: Float, _ ib: Int) -> Bool {
    if a.isNaN != b.isNaN { return b.isNaN }
    if a != b && !a.isNaN { return a > b }
    return ia < ib
}

/// Indices of the k best values of p[0..<width], best first. A size-k min-heap (worst on top)
/// over one pass, O(width · log k), then the k survivors sorted; sorting everything is used
/// when k is a large part of the row anyway.
private func topIndices(_ p: UnsafePointer<Float>, width: Int, k: Int) -> [Int] {
    if k == 0 { return [] }
    if k * 4 >= width {
        return (0..<width).sorted { ranksBefore(p[$0], $0, p[$1], $1) }.prefix(k).map { $0 }
    }
    // heap[0] is the worst kept element; "worse" is the reverse of ranksBefore.
    var heap = [Int]()
    heap.reserveCapacity(k)
    func worse(_ i: Int, _ j: Int) -> Bool { ranksBefore(p[j], j, p[i], i) }
    func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var worst = parent
            if left < heap.count && worse(heap[left], heap[worst]) { worst = left }
            if right < heap.count && worse(heap[right], heap[worst]) { worst = right }
            if worst == parent { return }
            heap.swapAt(parent, worst)
            parent = worst
        }
    }
    for i in 0..<width {
        if heap.count < k {
            heap.append(i)
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                if !worse(heap[child], heap[parent]) { break }
                heap.swapAt(child, parent)
                child = parent
            }
        } else if ranksBefore(p[i], i, p[heap[0]], heap[0]) {
            heap[0] = i
            siftDown(0)
        }
    }
    return heap.sorted { ranksBefore(p[$0], $0, p[$1], $1) }
}

import Testing
@testable import SparkEngine

/// Expected permutations: scripts/reference/engine_reference.py, section "reductions"
/// (NumPy's transpose). Concatenation and splitting are checked by hand.
@Suite struct ShapeOperationTests {
    static let permute_201: [Float] = [-0.5, 1, -0.25, 1.25, 0, -1.25, 1.25, 0, -1.25, 0.25, -1, 0.5, 0.25, -1, 0.5, -0.75, 0.75, -0.5, -0.75, 0.75, -0.5, 1, -0.25, 1.25]
    static let permute_102: [Float] = [-0.5, 1.25, 0.25, -0.75, 1.25, 0.25, -0.75, 1, 1, 0, -1, 0.75, 0, -1, 0.75, -0.25, -0.25, -1.25, 0.5, -0.5, -1.25, 0.5, -0.5, 1.25]

    let x = Pattern.tensor([2, 3, 4], 7, 3, 11, 0.25)

    @Test func permuteGeneralAxes() {
        expectClose(x.permuted([2, 0, 1]), shape: [4, 2, 3], Self.permute_201, relative: 0, absolute: 0)
        expectClose(x.permuted([1, 0, 2]), shape: [3, 2, 4], Self.permute_102, relative: 0, absolute: 0)
        #expect(x.permuted([0, 1, 2]) == x)
        #expect(x.permuted([2, 0, 1]).permuted([1, 2, 0]) == x)
    }

    @Test func transposeByHandAndBatched() {
        let m = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(m.transposed() == Tensor(shape: [3, 2], scalars: [1, 4, 2, 5, 3, 6]))
        #expect(m.permuted([1, 0]) == m.transposed())
        #expect(x.transposed() == x.permuted([0, 2, 1]))
    }

    @Test func transposeAcrossTileEdges() {
        // 70 × 45 crosses the 32-wide tiles unevenly.
        let m = Pattern.tensor([70, 45], 13, 1, 101, 1)
        let t = m.transposed()
        #expect(t.shape == [45, 70])
        for r in 0..<70 { for c in 0..<45 { #expect(t[c, r] == m[r, c]) } }
    }

    @Test func concatenateAlongEachAxis() {
        let a = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        let b = Tensor(shape: [2, 1], scalars: [5, 6])
        #expect(Tensor.concatenate([a, b], axis: 1) == Tensor(shape: [2, 3], scalars: [1, 2, 5, 3, 4, 6]))
        #expect(Tensor.concatenate([a, b.reshaped([1, 2])], axis: 0) == Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6]))
        #expect(Tensor.concatenate([a, Tensor(zeros: [2, 0]), b], axis: -1).shape == [2, 3])
        let c = Tensor.concatenate([x, x.scaled(by: 2)], axis: 2)
        #expect(c.shape == [2, 3, 8])
        #expect(c[1, 2, 5] == 2 * x[1, 2, 1])
    }

    @Test func splitInvertsConcatenate() {
        let c = Tensor.concatenate([x, x.scaled(by: -1), x], axis: 1)
        let parts = c.split(parts: 3, axis: 1)
        #expect(parts == [x, x.scaled(by: -1), x])
        let uneven = x.split(sizes: [1, 0, 3], axis: -1)
        #expect(uneven.map(\.shape) == [[2, 3, 1], [2, 3, 0], [2, 3, 3]])
        #expect(Tensor.concatenate(uneven, axis: 2) == x)
        // A fused QKV row [q q k v] split in three unequal parts.
        let qkv = Tensor(shape: [1, 4], scalars: [1, 2, 3, 4]).split(sizes: [2, 1, 1], axis: 1)
        #expect(qkv.map(\.scalars) == [[1, 2], [3], [4]])
    }
}

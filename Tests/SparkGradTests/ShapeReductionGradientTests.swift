import Testing
import SparkEngine
import SparkGrad

/// Shape operations, embeddings and reductions against finite differences of the Float64 reference
/// (tolerance: |analytic − numeric| ≤ 1e-3·|numeric| + 2e-5·max|gradient|).
@Suite struct ShapeReductionGradientTests {
    @Test func reshapePermuteTranspose() {
        var random = TestRandom(seed: 41)
        let x = random.tensor([2, 3, 4])
        expectGradients(gradientCheck([x], forward: { v in v[0].reshaped([4, -1]) }, reference: { r in r[0].reshaped([4, 6]) }))
        expectGradients(gradientCheck([x], forward: { v in v[0].permuted([2, 0, 1]) }, reference: { r in Reference.permute(r[0], [2, 0, 1]) }))
        expectGradients(gradientCheck([x], forward: { v in v[0].permuted([1, 0, 2]) }, reference: { r in Reference.permute(r[0], [1, 0, 2]) }))
        expectGradients(gradientCheck([x], forward: { v in v[0].transposed() }, reference: { r in Reference.permute(r[0], [0, 2, 1]) }))
    }

    @Test func sliceAndRow() {
        var random = TestRandom(seed: 42)
        let x = random.tensor([5, 3])
        expectGradients(gradientCheck([x], forward: { v in v[0].slice(rows: 1..<4) },
                                      reference: { r in Reference.piece(r[0], axis: 0, start: 1, size: 3) }))
        expectGradients(gradientCheck([x], forward: { v in v[0][row: 4] },
                                      reference: { r in Reference.piece(r[0], axis: 0, start: 4, size: 1).reshaped([3]) }))
    }

    @Test func concatenateAndSplit() {
        var random = TestRandom(seed: 43)
        let a = random.tensor([2, 3, 2]), b = random.tensor([2, 1, 2]), c = random.tensor([2, 4, 2])
        expectGradients(gradientCheck([a, b, c], forward: { v in Variable.concatenate(v, axis: 1) },
                                      reference: { r in Reference.concatenate(r, axis: 1) }))
        // Pieces used in a different order, one twice and one not at all (its part of the gradient is 0).
        let x = random.tensor([3, 7])
        expectGradients(gradientCheck(
            [x],
            forward: { v in
                let p = v[0].split(sizes: [2, 3, 2], axis: -1)
                return Variable.concatenate([p[2], p[0] * p[2], p[0]], axis: 1)
            },
            reference: { r in
                let p0 = Reference.piece(r[0], axis: 1, start: 0, size: 2), p2 = Reference.piece(r[0], axis: 1, start: 5, size: 2)
                return Reference.concatenate([p2, Reference.mul(p0, p2), p0], axis: 1)
            }))
    }

    @Test func embeddingRowsScatterAdd() {
        var random = TestRandom(seed: 44)
        let table = random.tensor([6, 4])
        let ids: [Int32] = [1, 3, 1, 5]
        expectGradients(gradientCheck([table], forward: { v in Variable.embeddingRows(table: v[0], ids: ids) },
                                      reference: { r in Reference.embedding(r[0], ids.map(Int.init)) }))
    }

    @Test func reductions() {
        var random = TestRandom(seed: 45)
        let x = random.tensor([3, 4, 2])
        expectGradients(gradientCheck([x], forward: { v in v[0].sum() }, reference: { r in Reference.total(r[0]) }))
        expectGradients(gradientCheck([x], forward: { v in v[0].mean() },
                                      reference: { r in Ref([], [Reference.total(r[0]).v[0] / 24]) }))
        expectGradients(gradientCheck([x], forward: { v in v[0].sum(axis: 1) }, reference: { r in Reference.sum(r[0], axis: 1, mean: false) }))
        expectGradients(gradientCheck([x], forward: { v in v[0].mean(axis: -1, keepDims: true) },
                                      reference: { r in Reference.sum(r[0], axis: 2, mean: true).reshaped([3, 4, 1]) }))
        expectGradients(gradientCheck([x], forward: { v in v[0].meanRows() }, reference: { r in Reference.sum(r[0], axis: 0, mean: true) }))
    }
}

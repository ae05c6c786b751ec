import Testing
@testable import SparkEngine

/// Expected arrays: scripts/reference/engine_reference.py, section "reductions" (NumPy's @).
@Suite struct MatrixProductTests {
    static let batched_matmul: [Float] = [3.5, -1.75, -4.75, 1.5, -1.75, 0.25, 1.25, 2.25, -2.25, 0, -1.25, 0]
    static let linear: [Float] = [-0.375, -1.625, -0.875, 0.625, 2.125, 3.5, -1.25, 2.875, -1.875, 5.75, -1.625, 2.5, -2.375, -1, 0.375, -3.375, 4, -3.125, -1.25, 0.625, 0.5, -2.375, -0.5, 0.75, 2, -1.25, -0.875, -1.25, 0.5, 2.25]

    let a = Pattern.tensor([2, 3, 4], 5, 1, 9, 0.5)

    @Test func byHand() {
        let m = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        #expect(m.matmul(m).scalars == [7, 10, 15, 22])
        #expect(m.matmul(m, transposeOther: true).scalars == [5, 11, 11, 25])
        #expect(m.matmul(m, transposeSelf: true).scalars == [10, 14, 14, 20])
    }

    @Test func batchedAndShared() {
        let b = Pattern.tensor([2, 4, 2], 3, 2, 7, 0.5)
        expectClose(a.matmul(b), shape: [2, 3, 2], Self.batched_matmul)
        // A 2-D right side is shared by every batch entry.
        let shared = a.matmul(b.slice(rows: 0..<1).reshaped([4, 2]))
        expectClose(Array(shared.scalars[0..<6]), Array(Self.batched_matmul[0..<6]))
    }

    @Test func emptyInnerDimensionGivesZeros() {
        let product = Tensor(zeros: [2, 0]).matmul(Tensor(zeros: [0, 3]))
        #expect(product == Tensor(zeros: [2, 3]))
    }

    @Test func linearLayer() {
        let w = Pattern.tensor([5, 4], 7, 1, 11, 0.25)
        let bias = Pattern.tensor([5], 3, 1, 7, 0.5)
        expectClose(a.linear(weight: w, bias: bias), shape: [2, 3, 5], Self.linear)
        expectClose(a.linear(weight: w), shape: [2, 3, 5], zip(Self.linear, Array(repeating: bias.scalars, count: 6).flatMap { $0 }).map { $0 - $1 })
        let noInputs = Tensor(zeros: [2, 0]).linear(weight: Tensor(zeros: [3, 0]), bias: Tensor(shape: [3], scalars: [1, 2, 3]))
        #expect(noInputs.scalars == [1, 2, 3, 1, 2, 3])
    }
}

@Suite struct TensorTests {
    @Test func uninitializedInitialiserAndCheckedCounts() {
        let t = Tensor(shape: [2, 3], uninitializedWith: { buffer in
            for i in buffer.indices { buffer[i] = Float(i) }
        })
        #expect(t.scalars == [0, 1, 2, 3, 4, 5])
        #expect(Tensor.checkedElementCount([3, 4, 5]) == 60)
        #expect(Tensor.checkedElementCount([]) == 1)
        #expect(Tensor.checkedElementCount([2, -1]) == nil)
        #expect(Tensor.checkedElementCount([1 << 40, 1 << 30]) == nil)
    }

    @Test func parallelRangesCoverEveryIndexOnce() {
        var seen = [Int](repeating: 0, count: 10_001)
        seen.withUnsafeMutableBufferPointer { buffer in
            let p = buffer.baseAddress!
            EngineThreads.parallelRanges(count: 10_001, grain: 100) { range in
                for i in range { p[i] += 1 }
            }
        }
        #expect(seen.allSatisfy { $0 == 1 })
    }

    @Test func parallelMapKeepsTheOrder() {
        #expect(EngineThreads.map(1_000) { $0 * $0 } == (0..<1_000).map { $0 * $0 })
        #expect(EngineThreads.map(0) { $0 }.isEmpty)
        #expect(EngineThreads.map(1) { "item \($0)" } == ["item 0"])
    }
}

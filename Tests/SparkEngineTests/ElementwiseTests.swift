import Testing
@testable import SparkEngine

/// Expected arrays: scripts/reference/engine_reference.py, section "elementwise" (NumPy, float64).
@Suite struct ElementwiseTests {
    static let general_add: [Float] = [-1.5, 0.25, -0.75, -1.75, 2.5, 1.5, 0.5, 2.25, 0.25, -0.75, 1, 0, 0.25, -0.75, -1.75, 0, 1.5, 0.5, 2.25, 1.25, -0.75, 1, 0, 1.75]
    static let general_mul: [Float] = [0.5, -1.25, -0.25, 0.75, 1.5, 0, -1.5, 1.125, -0.125, -0.625, 0.25, -0.25, -1.25, -0.25, 0.75, -1, 0, -1.5, 1.125, -0.375, -0.625, 0.25, -0.25, 0.625]
    static let general_sub_reversed: [Float] = [-0.5, -2.25, -1.25, -0.25, 0.5, 1.5, 2.5, 0.75, 0.75, 1.75, 0, 1, -2.25, -1.25, -0.25, -2, 1.5, 2.5, 0.75, 1.75, 1.75, 0, 1, -0.75]
    static let outer_div_d: [Float] = [2, -3, -1]
    static let outer_div: [Float] = [-0.75, 0, 0.75, -0.75, 0.5, 0, -0.5, 0.5, 1.5, 0, -1.5, 1.5]
    static let row_add: [Float] = [-2.75, 0, 1, -2.75, -1.75, 0.75, 3.5, -2, 0.75, 1.75, -2.25, 0.5, 1.5, -2.25, -1.25]
    static let row_sub_reversed: [Float] = [2.25, 1, -2, 3.25, 0.25, -1.25, -2.5, 1, -0.25, -3.25, 1.75, 0.5, -2.5, 2.75, -0.25]
    static let cross_mul: [Float] = [1.25, 0, -1.25, -0.625, 0, 0.625, -2.5, 0, 2.5, 1.25, 0, -1.25, 0.25, -1, 0.5, -0.125, 0.5, -0.25, -0.5, 2, -1, 0.25, -1, 0.5]

    @Test func broadcastShapeRule() {
        #expect(Broadcasting.resultShape([2, 3, 4], [3, 1]) == [2, 3, 4])
        #expect(Broadcasting.resultShape([4], [3, 1]) == [3, 4])
        #expect(Broadcasting.resultShape([], [2, 2]) == [2, 2])
        #expect(Broadcasting.resultShape([1, 0], [3, 1]) == [3, 0])
        #expect(Broadcasting.resultShape([2, 3], [2]) == nil)
        #expect(Broadcasting.resultShape([2, 3], [3, 3]) == nil)
    }

    @Test func generalBroadcastOverMiddleAxis() {
        let a = Pattern.tensor([2, 3, 4], 7, 3, 11, 0.25)
        let b = Pattern.tensor([3, 1], 5, 1, 7, 0.5)
        expectClose(a + b, shape: [2, 3, 4], Self.general_add, relative: 0, absolute: 0)
        expectClose(a * b, shape: [2, 3, 4], Self.general_mul, relative: 0, absolute: 0)
        expectClose(b - a, shape: [2, 3, 4], Self.general_sub_reversed, relative: 0, absolute: 0)
    }

    @Test func bothOperandsBroadcast() {
        let c = Pattern.tensor([4], 3, 1, 9, 0.5)
        let d = Tensor(shape: [3, 1], scalars: Self.outer_div_d)
        expectClose(c / d, shape: [3, 4], Self.outer_div)
        let p = Pattern.tensor([2, 1, 3], 5, 0, 11, 0.5)
        let q = Pattern.tensor([1, 4, 1], 3, 2, 9, 0.25)
        expectClose(p * q, shape: [2, 4, 3], Self.cross_mul, relative: 0, absolute: 0)
    }

    @Test func rowBroadcastBothWays() {
        let x = Pattern.tensor([3, 5], 4, 1, 13, 0.5)
        let row = Pattern.tensor([5], 3, 2, 7, 0.25)
        expectClose(x + row, shape: [3, 5], Self.row_add, relative: 0, absolute: 0)
        expectClose(row - x, shape: [3, 5], Self.row_sub_reversed, relative: 0, absolute: 0)
        // A [1, 5] operand is the same row with a leading 1.
        expectClose(x + row.reshaped([1, 5]), shape: [3, 5], Self.row_add, relative: 0, absolute: 0)
    }

    @Test func scalarsAndRankZero() {
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect((x * Tensor(scalar: 2)).scalars == [2, 4, 6, 8, 10, 12])
        #expect((Tensor(shape: [1], scalars: [10]) - x).scalars == [9, 8, 7, 6, 5, 4])
        #expect((x / 4).scalars == [0.25, 0.5, 0.75, 1, 1.25, 1.5])
        #expect((x + 1).scalars == [2, 3, 4, 5, 6, 7])
        #expect((x - 1).scalars == [0, 1, 2, 3, 4, 5])
        #expect((0.5 * x).scalars == [0.5, 1, 1.5, 2, 2.5, 3])
        #expect((-x).scalars == [-1, -2, -3, -4, -5, -6])
        #expect((Tensor(scalar: 3) + Tensor(scalar: 4)).shape == [])
        // [1, 1] with [3]: the result has rank 2 even though the data is a scalar operation.
        #expect((Tensor(shape: [1, 1], scalars: [1]) + Tensor(shape: [3], scalars: [1, 2, 3])).shape == [1, 3])
    }

    @Test func emptyTensorsBroadcast() {
        let empty = Tensor(zeros: [0, 3])
        let row = Tensor(shape: [3], scalars: [1, 2, 3])
        #expect((empty + row).shape == [0, 3])
        #expect((row * Tensor(zeros: [2, 0, 3])).shape == [2, 0, 3])
    }

    @Test func inPlaceUpdates() {
        var x = Pattern.tensor([3, 5], 4, 1, 13, 0.5)
        x += Pattern.tensor([5], 3, 2, 7, 0.25)
        expectClose(x, shape: [3, 5], Self.row_add, relative: 0, absolute: 0)
        var y = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        y *= Tensor(shape: [2, 1], scalars: [10, 100])
        #expect(y.scalars == [10, 20, 300, 400])
        y -= Tensor(scalar: 10)
        y /= Tensor(shape: [2], scalars: [2, 10])
        #expect(y.scalars == [0, 1, 145, 39])
        y.scale(by: 2)
        y *= 0.5
        y += 1
        y -= 2
        y /= 2
        #expect(y.scalars == [-0.5, 0, 72, 19])
    }

    @Test func largeTensorsTakeTheParallelPathsAndStayExact() {
        // Sizes above the parallel grain, in each path; compared with plain loops.
        let rows = 700, width = 300
        let a = Pattern.tensor([rows, width], 13, 5, 101, 0.125)
        let row = Pattern.tensor([width], 7, 3, 37, 0.5)
        let column = Pattern.tensor([rows, 1], 11, 2, 29, 0.25)
        let sum = a + row, product = a * column, same = a - a.scaled(by: 0.5)
        for i in stride(from: 0, to: rows * width, by: 997) {
            let (r, c) = (i / width, i % width)
            #expect(sum.scalars[i] == a.scalars[i] + row.scalars[c])
            #expect(product.scalars[i] == a.scalars[i] * column.scalars[r])
            #expect(same.scalars[i] == a.scalars[i] - a.scalars[i] * 0.5)
        }
    }

    @Test func broadcastingAgreesWithNestedLoopsOnManyShapes() {
        // Every pair of shapes from a small set, against an index-by-index computation.
        let shapes: [[Int]] = [[2, 3, 4], [3, 4], [1, 4], [3, 1], [2, 1, 4], [2, 3, 1], [4], [1], [1, 1, 1]]
        for shapeA in shapes {
            for shapeB in shapes {
                guard let out = Broadcasting.resultShape(shapeA, shapeB) else { continue }
                let a = Pattern.tensor(shapeA, 5, 1, 9, 0.5), b = Pattern.tensor(shapeB, 3, 2, 7, 0.25)
                let result = a - b
                #expect(result.shape == out)
                let strides = Tensor.strides(of: out)
                for flat in 0..<result.count {
                    let index = out.indices.map { (flat / strides[$0]) % out[$0] }
                    func value(_ t: Tensor) -> Float {
                        let lead = out.count - t.rank
                        return t[Array((0..<t.rank).map { t.shape[$0] == 1 ? 0 : index[$0 + lead] })]
                    }
                    #expect(result.scalars[flat] == value(a) - value(b), "\(shapeA) - \(shapeB) at \(index)")
                }
            }
        }
    }
}

private extension Tensor {
    subscript(_ index: [Int]) -> Float { scalars[flatIndex(index)] }
}

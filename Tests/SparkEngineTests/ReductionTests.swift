import Testing
@testable import SparkEngine

/// Expected arrays: scripts/reference/engine_reference.py, section "reductions" (NumPy).
@Suite struct ReductionTests {
    static let sum_axis0: [Float] = [0.75, 1.5, -0.5, 0.25, 1, -1, -0.25, 0.5, -1.5, -0.75, 0, 0.75]
    static let mean_axis0: [Float] = [0.375, 0.75, -0.25, 0.125, 0.5, -0.5, -0.125, 0.25, -0.75, -0.375, 0, 0.375]
    static let max_axis0: [Float] = [1.25, 1.25, 0.25, 1, 1, 0, 0.75, 0.75, -0.25, 0.5, 0.5, 1.25]
    static let argmax_axis0: [Int] = [1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1]
    static let sum_axis1: [Float] = [0.25, 0, -0.25, -0.5, 0, -0.25, -0.5, 2]
    static let mean_axis1: [Float] = [0.0833333333, 0, -0.0833333333, -0.166666667, 0, -0.0833333333, -0.166666667, 0.666666667]
    static let max_axis1: [Float] = [1, 1.25, 0.5, 0.75, 1.25, 0.5, 0.75, 1.25]
    static let argmax_axis1: [Int] = [1, 0, 2, 1, 0, 2, 1, 2]
    static let sum_axis2: [Float] = [0.25, 0.75, -1.5, 1.75, -0.5, 0]
    static let mean_axis2: [Float] = [0.0625, 0.1875, -0.375, 0.4375, -0.125, 0]
    static let max_axis2: [Float] = [1.25, 1, 0.5, 1.25, 0.75, 1.25]
    static let argmax_axis2: [Int] = [1, 0, 2, 0, 2, 3]

    let x = Pattern.tensor([2, 3, 4], 7, 3, 11, 0.25)

    @Test func everyAxis() {
        let sums = [Self.sum_axis0, Self.sum_axis1, Self.sum_axis2]
        let means = [Self.mean_axis0, Self.mean_axis1, Self.mean_axis2]
        let maxima = [Self.max_axis0, Self.max_axis1, Self.max_axis2]
        let argmaxes = [Self.argmax_axis0, Self.argmax_axis1, Self.argmax_axis2]
        for axis in 0..<3 {
            var reduced = x.shape
            reduced.remove(at: axis)
            expectClose(x.sum(axis: axis), shape: reduced, sums[axis])
            expectClose(x.mean(axis: axis), shape: reduced, means[axis])
            expectClose(x.maximum(axis: axis), shape: reduced, maxima[axis], relative: 0, absolute: 0)
            #expect(x.argmax(axis: axis) == argmaxes[axis], "axis \(axis)")
        }
    }

    @Test func keepDimsAndNegativeAxes() {
        #expect(x.mean(axis: 1, keepDims: true).shape == [2, 1, 4])
        #expect(x.mean(axis: -1, keepDims: true).shape == [2, 3, 1])
        #expect(x.mean(axis: -1).scalars == x.mean(axis: 2).scalars)
        #expect(x.maximum(axis: -3, keepDims: true).shape == [1, 3, 4])
    }

    @Test func argmaxTiesAndNaN() {
        // Ties go to the lowest index; NaN never wins.
        #expect(Tensor(shape: [5], scalars: [1, 3, 3, -2, 3]).argmax() == 1)
        #expect(Tensor(shape: [3], scalars: [.nan, 2, 1]).argmax() == 1)
        #expect(Tensor(shape: [2], scalars: [.nan, .nan]).argmax() == 0)
        #expect(Tensor(shape: [3], scalars: [-.infinity, -.infinity, -5]).argmax() == 2)
        #expect(Tensor(shape: [2, 2], scalars: [4, 4, 1, 9]).argmax(axis: 1) == [0, 1])
    }

    @Test func maximumLetsNaNThroughAndEmptyAxes() {
        #expect(Tensor(shape: [3], scalars: [1, .nan, 2]).maximum(axis: 0).scalars[0].isNaN)
        #expect(Tensor(zeros: [2, 0]).maximum(axis: 1).scalars == [-.infinity, -.infinity])
        #expect(Tensor(zeros: [2, 0]).mean(axis: 1).scalars.allSatisfy { $0.isNaN })
        #expect(Tensor(zeros: [2, 0]).sum(axis: 0).shape == [0])
    }
}

@Suite struct TopKTests {
    @Test func descendingWithLowerIndexFirstOnTies() {
        // By hand: 5 appears at 1 and 4, 3 at 0 and 5.
        let x = Tensor(shape: [7], scalars: [3, 5, 1, -2, 5, 3, 0])
        let (values, indices) = x.topK(4)
        #expect(values.shape == [4])
        #expect(values.scalars == [5, 5, 3, 3])
        #expect(indices == [1, 4, 0, 5])
        #expect(x.topK(0).indices.isEmpty)
        #expect(x.topK(7).indices == [1, 4, 0, 5, 2, 6, 3])
    }

    @Test func rowsOfALargerTensorAndNaN() {
        let x = Tensor(shape: [2, 4], scalars: [.nan, 1, 2, 2, -1, -.infinity, .nan, -1])
        let (values, indices) = x.topK(3)
        #expect(values.shape == [2, 3])
        #expect(indices == [2, 3, 1, 0, 3, 1])
        #expect(values.scalars == [2, 2, 1, -1, -1, -.infinity])
    }

    @Test func heapPathAgreesWithSortingOnAVocabulary() {
        // 49152 values with many ties (only 1000 distinct), k = 40: the heap path, compared with a
        // full stable sort by (value descending, index ascending).
        let logits = Tensor(shape: [49_152], scalars: Pattern.values(49_152, 7919, 17, 1000, 0.01))
        let (values, indices) = logits.topK(40)
        let reference = (0..<49_152).sorted {
            logits.scalars[$0] != logits.scalars[$1] ? logits.scalars[$0] > logits.scalars[$1] : $0 < $1
        }.prefix(40)
        #expect(indices == Array(reference))
        #expect(values.scalars == reference.map { logits.scalars[$0] })
    }
}

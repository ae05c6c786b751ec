import Testing
@testable import SparkEngine

/// Expected arrays: scripts/reference/engine_reference.py, section "softmax" (NumPy, float64).
@Suite struct SoftmaxTests {
    static let softmax_full: [Float] = [0.0146895886, 0.108542194, 0.802024363, 0.00890968587, 0.0658341687, 0.073749789, 0.544941328, 0.00605375133, 0.0447315082, 0.330523623, 0.0146895886, 0.108542194, 0.802024363, 0.00890968587, 0.0658341687]
    static let softmax_causal0: [Float] = [1, 0, 0, 0, 0, 0.119202922, 0.880797078, 0, 0, 0, 0.01587624, 0.117310428, 0.866813332, 0, 0]
    static let softmax_causal2: [Float] = [0.01587624, 0.117310428, 0.866813332, 0, 0, 0.110160405, 0.813981415, 0.00904251672, 0.0668156633, 0, 0.0146895886, 0.108542194, 0.802024363, 0.00890968587, 0.0658341687]
    static let softmax_rank3_causal1: [Float] = [0.0229773699, 0.97702263, 0, 0, 0.902626481, 0.00223738736, 0.0951361312, 0, 0.02078649, 0.883864045, 0.00219087993, 0.093158585, 0.997527377, 0.00247262316, 0, 0, 0.0229218578, 0.974662196, 0.00241594604, 0, 0.902413675, 0.00223685986, 0.0951137016, 0.000235763295]

    let x = Pattern.tensor([3, 5], 4, 1, 13, 0.5)

    @Test func fullRows() {
        expectClose(x.softmax(), shape: [3, 5], Self.softmax_full)
    }

    @Test func causalMaskWithAndWithoutOffset() {
        expectClose(x.softmax(mask: .causal()), shape: [3, 5], Self.softmax_causal0)
        // Three queries that are the tail of five keys: query i sees keys 0...i + 2.
        expectClose(x.softmax(mask: .causal(offset: 2)), shape: [3, 5], Self.softmax_causal2)
        // Masked entries are exactly zero, not merely small.
        #expect(x.softmax(mask: .causal()).scalars[1] == 0)
    }

    @Test func causalMaskOnRankThreeUsesTheQueryAxis() {
        let y = Pattern.tensor([2, 3, 4], 5, 3, 13, 0.75)
        expectClose(y.softmax(mask: .causal(offset: 1)), shape: [2, 3, 4], Self.softmax_rank3_causal1)
    }

    @Test func extremeValuesStayFinite() {
        // Computed by hand: e^(x - 1e4) is 1 for both maxima and underflows to 0 for the rest.
        let extreme = Tensor(shape: [1, 4], scalars: [1e4, -1e4, 0, 1e4])
        #expect(extreme.softmax().scalars == [0.5, 0, 0, 0.5])
        let negative = Tensor(shape: [2], scalars: [-1e4, -1e4 + 1])
        // e^-1 / (1 + e^-1) and 1 / (1 + e^-1).
        expectClose(negative.softmax().scalars, [0.268941421, 0.731058579])
    }

    @Test func degenerateRows() {
        // A negative offset leaves the first query with no key: an all-zero row.
        let masked = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]).softmax(mask: .causal(offset: -1))
        #expect(masked.scalars == [0, 0, 0, 1, 0, 0])
        #expect(Tensor(shape: [2], scalars: [.infinity, 0]).softmax().scalars.allSatisfy { $0.isNaN })
        #expect(Tensor(shape: [2], scalars: [.nan, 0]).softmax().scalars.allSatisfy { $0.isNaN })
        #expect(Tensor(zeros: [3, 0]).softmax().shape == [3, 0])
    }

    @Test func rowsSumToOneOnALargeInput() {
        let big = Pattern.tensor([64, 1000], 37, 11, 997, 0.01).softmax(mask: .causal(offset: 900))
        for row in 0..<64 {
            let sum = big.scalars[(row * 1000)..<((row + 1) * 1000)].reduce(0, +)
            #expect(abs(sum - 1) < 1e-5)
            let visible = Swift.min(1000, row + 901)
            if visible < 1000 { #expect(big.scalars[row * 1000 + visible] == 0) }
        }
    }
}

import SparkEngine
import Testing
@testable import AllSpark

/// `Comparison.headDifference`: what a side-by-side run calls a difference in the head's output.
struct ComparisonTests {
    static func scores(_ label: String, _ p: Float) -> [ClassScore] {
        [ClassScore(index: 0, label: label, probability: p), ClassScore(index: 1, label: "other", probability: 1 - p)]
    }

    @Test func classesDifferInTheirTopLabelOrInTheProbabilityAsPrinted() {
        #expect(Comparison.headDifference(.classification(Self.scores("cat", 0.6)), .classification(Self.scores("dog", 0.6)))
                == "top class: cat vs dog")
        #expect(Comparison.headDifference(.classification(Self.scores("cat", 0.6)), .classification(Self.scores("cat", 0.7)))
                == "top class cat in both; probability 60.0% vs 70.0%")
        // 60.00% and 60.001% print alike: not a difference a reader could see.
        #expect(Comparison.headDifference(.classification(Self.scores("cat", 0.6)), .classification(Self.scores("cat", 0.60001))) == nil)
    }

    @Test func valuesDifferBeyondRoundingOnly() {
        let track = Tensor(shape: [2, 2], scalars: [3, -4, 5.5, 7])
        var rounded = track
        rounded.scalars[3] = 7.000_001   // the last bits, as another kernel's summation order gives
        #expect(Comparison.headDifference(.trajectory(track), .trajectory(rounded)) == nil)
        var moved = track
        moved.scalars[0] = 3.25
        #expect(Comparison.headDifference(.trajectory(track), .trajectory(moved)) == "head outputs differ (largest difference 0.25)")
        // Small values: the threshold is relative to at least 1, so 0.001 against 0.002 is a difference.
        #expect(Comparison.headDifference(.regression(values: [0.001], target: "y", unit: ""),
                                          .regression(values: [0.002], target: "y", unit: "")) != nil)
        #expect(Comparison.headDifference(.regression(values: [Float.nan], target: "y", unit: ""),
                                          .regression(values: [1], target: "y", unit: "")) != nil)
    }

    @Test func differentKindsOrSizesAreDifferent() {
        let a = Tensor(shape: [1, 2], scalars: [1, 2]), b = Tensor(shape: [1, 3], scalars: [1, 2, 3])
        #expect(Comparison.headDifference(.trajectory(a), .trajectory(b)) == "head outputs differ")
        #expect(Comparison.headDifference(.depth(a), .trajectory(a)) == "head outputs differ")
        #expect(Comparison.headDifference(.generation, .generation) == nil)
    }
}

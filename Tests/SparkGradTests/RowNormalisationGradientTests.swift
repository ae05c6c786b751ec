import Foundation
import Testing
import SparkEngine
import SparkGrad

/// Row normalisation (cosine similarity's; gallery ranking) against central finite differences of
/// a Float64 forward written here from its definition.
@Suite struct RowNormalisationGradientTests {
    /// Each row divided by its Euclidean length.
    static func rowNormalised(_ x: Ref) -> Ref {
        let width = x.last
        var out = x.v
        for r in 0..<(x.count / width) {
            let norm = (0..<width).reduce(0.0) { $0 + x.v[r * width + $1] * x.v[r * width + $1] }.squareRoot()
            for c in 0..<width { out[r * width + c] /= norm }
        }
        return Ref(x.shape, out)
    }

    @Test func gradientsMatchFiniteDifferences() {
        var random = TestRandom(seed: 81)
        let x = random.tensor([4, 6], -2, 2)
        expectGradients(gradientCheck([x], forward: { v in v[0].rowNormalised() }, reference: { r in Self.rowNormalised(r[0]) }))
    }

    @Test func rowsHaveUnitLengthAndAZeroRowStaysZero() {
        let tape = Tape()
        let y = tape.parameter(Tensor(shape: [2, 2], scalars: [3, 4, 0, -2])).rowNormalised().value.scalars
        #expect(y == [0.6, 0.8, 0, -1])
        let zero = tape.parameter(Tensor(zeros: [1, 3])).rowNormalised()
        #expect(zero.value.scalars == [0, 0, 0])
    }
}

import Testing
import SparkEngine
import SparkGrad

/// The maximum over an axis against finite differences of a Float64 reference (tolerance:
/// |analytic − numeric| ≤ 1e-3·|numeric| + 2e-5·max|gradient|), and the choice among equal values.
/// Random inputs have distinct values far apart compared with the step, so no difference straddles
/// a change of the chosen element.
@Suite struct MaximumGradientTests {
    /// Largest value over `axis` of `x`, kept as an axis of size 1 or removed.
    static func maximum(_ x: Ref, axis: Int, keepDims: Bool) -> Ref {
        let a = axis < 0 ? axis + x.shape.count : axis
        let outer = x.shape[..<a].reduce(1, *), size = x.shape[a], inner = x.shape[(a + 1)...].reduce(1, *)
        var values = [Double](repeating: -.infinity, count: outer * inner)
        for o in 0..<outer {
            for k in 0..<size {
                for i in 0..<inner { values[o * inner + i] = max(values[o * inner + i], x.v[(o * size + k) * inner + i]) }
            }
        }
        var shape = x.shape
        if keepDims { shape[a] = 1 } else { shape.remove(at: a) }
        return Ref(shape, values)
    }

    @Test(arguments: [(0, false), (1, false), (1, true), (-1, false), (-1, true)])
    func maximumOverEachAxis(axis: Int, keepDims: Bool) {
        var random = TestRandom(seed: 71)
        let x = random.tensor([3, 5, 4], -2, 2)
        expectGradients(gradientCheck([x], forward: { v in v[0].maximum(axis: axis, keepDims: keepDims) },
                                      reference: { r in Self.maximum(r[0], axis: axis, keepDims: keepDims) }))
    }

    /// PointNet's pattern: the group maximum, broadcast back over the group by concatenated copies
    /// and joined with every member's own features; each member gets its own gradient and the
    /// chosen one also the sum over the copies.
    @Test func groupMaximumBroadcastAndJoined() {
        var random = TestRandom(seed: 72)
        let x = random.tensor([2, 4, 3], -2, 2)
        expectGradients(gradientCheck([x], forward: { v in
            let pooled = v[0].maximum(axis: 1, keepDims: true)
            return Variable.concatenate([Variable.concatenate(Array(repeating: pooled, count: 4), axis: 1), v[0]], axis: 2)
        }, reference: { r in
            let pooled = Self.maximum(r[0], axis: 1, keepDims: true)
            return Reference.concatenate([Reference.concatenate(Array(repeating: pooled, count: 4), axis: 1), r[0]], axis: 2)
        }))
    }

    /// The value is the engine's, bit for bit; among equal values the first gets the gradient, a
    /// NaN wins as in the forward, and an all −∞ run sends its gradient to its first element.
    @Test func valueAndChosenElement() {
        var random = TestRandom(seed: 73)
        let x = random.tensor([4, 6], -2, 2)
        let tape = Tape()
        #expect(bits(tape.parameter(x).maximum(axis: 0).value) == bits(x.maximum(axis: 0)))

        let special = Tensor(shape: [3, 4], scalars: [1, 3, 3, 2,
                                                      .nan, 5, .nan, 0,
                                                      -.infinity, -.infinity, -.infinity, -.infinity])
        let t = Tape()
        let v = t.parameter(special)
        t.backward(v.maximum(axis: 1), seed: Tensor(shape: [3], scalars: [10, 20, 30]))
        #expect(t.gradient(v)?.scalars == [0, 10, 0, 0,
                                           0, 0, 20, 0,
                                           30, 0, 0, 0])
    }
}

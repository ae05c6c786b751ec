import Foundation
import Testing
@testable import SparkEngine

/// Expected arrays: scripts/reference/engine_reference.py, section "attention" (NumPy, float64:
/// per head, softmax(q kᵀ · scale) v, with query head h reading kv head h / (Hq / Hkv)).
@Suite struct AttentionTests {
    static let gqa_causal_out: [Float] = [-0.102449894, 1.16914472, 0.433305176, -0.102449894, 1.6052239, -0.601090455, 0.495866557, 1.6052239, -0.146813925, 1.12456895, 0.522244976, -0.146813925, 1.07583781, 0.63000837, -0.205846179, 1.07583781, 0.546450691, 0.860506858, 0.093042451, 0.546450691, 1.03694854, 0.707620881, -0.244569424, 1.03694854]
    static let gqa_causal_probs: [Float] = [0.496853232, 0.050756753, 0.452390015, 0, 0.0441731092, 0.432406542, 0.0485146694, 0.474905679, 0.0895651084, 0.823625412, 0.0868094797, 0, 0.298633427, 0.263543074, 0.232575947, 0.205247553, 0.467183105, 0.0508038058, 0.482013089, 0, 0.0390122767, 0.406517258, 0.0485515628, 0.505918902]
    static let gqa_cross_out: [Float] = [-1.0206649, 1.52232008, -0.11557337, 1.43765056, -0.448042131, -0.652811235, -0.311248559, 1.10821808, -0.28792702, 0.242878174, -0.884927478, 0.864730884, -0.75038597, 0.745641164, -0.194236274, 0.0531213516, -0.432854897, 0.505011052, 1.35434965, -0.484540009, -0.545503339, -0.587460205, 1.26988104, -0.206578662, 1.58561756, -0.35778556, -0.853037031, -0.629552662, 0.594440709, -0.13107309, 0.13107309, -0.594440709, 0.629552662, 0.00875683886, -0.348853174, 0.442377432, -0.82470144, 1.4092309, -0.14996437, 1.51432674, -0.405037399, -0.755697113, -0.00501105237, 0.932854897, -0.39343334, 0.194236274, -0.745641164, 0.75038597, -0.864730884, 0.884927478, -0.242878174, -0.0389955921, -0.263166167, 0.380099532]
    static let gqa_cross_scaled_out: [Float] = [0.0325476309, 0.702925365, -0.331676472, 0.701898892, 0.165084257, -0.489310865, 0.194486551, 0.60871321, -0.386706917, -0.0928165664, -0.171327363, 0.315264423, -0.293844323, 0.140324619, 0.111574703, -0.150103711, -0.0780733896, 0.251572922, 0.65618349, 0.187406771, -0.468943958, 0.140464605, 0.639782779, -0.367793967, 0.790738399, 0.123456421, -0.530625676, -0.272607255, 0.109233504, 0.130675502, -0.130675502, -0.109233504, 0.272607255, -0.159935624, -0.0624735668, 0.241137843, 0.0864539707, 0.671211114, -0.349439681, 0.746762477, 0.143762856, -0.509883876, 0.248427078, 0.57807339, -0.406143548, -0.111574703, -0.140324619, 0.293844323, -0.315264423, 0.171327363, 0.0928165664, -0.169843337, -0.0468638457, 0.230760674]

    @Test func groupedQueryCausalWithOffset() throws {
        // Three query heads share one kv head; two queries at the end of four keys.
        let q = Pattern.tensor([2, 12], 5, 1, 13, 0.25)
        let k = Pattern.tensor([4, 4], 7, 2, 11, 0.25)
        let v = Pattern.tensor([4, 4], 3, 5, 9, 0.5)
        let result = multiHeadAttention(query: q, key: k, value: v, queryHeads: 3, keyValueHeads: 1,
                                        mask: .causal(offset: 2), returnProbabilities: true)
        expectClose(result.output, shape: [2, 12], Self.gqa_causal_out)
        let probabilities = try #require(result.probabilities)
        expectClose(probabilities, shape: [3, 2, 4], Self.gqa_causal_probs)
        // Without probabilities the output is the same.
        let plain = multiHeadAttention(query: q, key: k, value: v, queryHeads: 3, keyValueHeads: 1, mask: .causal(offset: 2))
        #expect(plain.probabilities == nil)
        #expect(plain.output == result.output)
    }

    @Test func groupedQueryCrossAttentionWithOwnValueWidth() {
        // Six query heads over two kv heads (ratio 3), value heads of 3, no mask.
        let q = Pattern.tensor([3, 12], 5, 4, 17, 0.25)
        let k = Pattern.tensor([5, 4], 3, 1, 13, 0.25)
        let v = Pattern.tensor([5, 6], 7, 3, 11, 0.5)
        let result = multiHeadAttention(query: q, key: k, value: v, queryHeads: 6, keyValueHeads: 2)
        expectClose(result.output, shape: [3, 18], Self.gqa_cross_out)
        let scaled = multiHeadAttention(query: q, key: k, value: v, queryHeads: 6, keyValueHeads: 2, scale: 0.125)
        expectClose(scaled.output, shape: [3, 18], Self.gqa_cross_scaled_out)
    }

    @Test func singleKeyReturnsItsValue() {
        // By hand: with one key every weight is 1, so each head outputs its kv head's value row.
        let q = Tensor(shape: [1, 4], scalars: [1, 2, 3, 4])
        let k = Tensor(shape: [1, 2], scalars: [5, -5])
        let v = Tensor(shape: [1, 2], scalars: [0.5, -2])
        let result = multiHeadAttention(query: q, key: k, value: v, queryHeads: 2, keyValueHeads: 1)
        #expect(result.output.scalars == [0.5, -2, 0.5, -2])
    }

    @Test func causalSelfAttentionMatchesIncrementalDecoding() {
        // Attending with the whole sequence at once equals attending one query at a time over the
        // keys so far (what a KV cache does), row by row.
        let length = 6, heads = 4, kvHeads = 2, headDim = 8
        let q = Pattern.tensor([length, heads * headDim], 11, 3, 23, 0.125)
        let k = Pattern.tensor([length, kvHeads * headDim], 7, 5, 19, 0.125)
        let v = Pattern.tensor([length, kvHeads * headDim], 5, 2, 17, 0.25)
        let full = multiHeadAttention(query: q, key: k, value: v, queryHeads: heads, keyValueHeads: kvHeads, mask: .causal())
        for t in 0..<length {
            let step = multiHeadAttention(query: q.slice(rows: t..<(t + 1)), key: k.slice(rows: 0..<(t + 1)),
                                          value: v.slice(rows: 0..<(t + 1)), queryHeads: heads, keyValueHeads: kvHeads,
                                          mask: .causal(offset: t))
            expectClose(step.output.scalars, Array(full.output.scalars[(t * heads * headDim)..<((t + 1) * heads * headDim)]))
        }
    }

    @Test func noKeysGivesZeros() {
        let result = multiHeadAttention(query: Tensor(zeros: [2, 4]), key: Tensor(zeros: [0, 4]), value: Tensor(zeros: [0, 4]),
                                        queryHeads: 2, keyValueHeads: 2, returnProbabilities: true)
        #expect(result.output == Tensor(zeros: [2, 4]))
        #expect(result.probabilities?.shape == [2, 2, 0])
    }
}

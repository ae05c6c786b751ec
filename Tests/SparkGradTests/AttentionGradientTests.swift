import Testing
import SparkEngine
import SparkGrad

/// Attention (self, cross, grouped-query, masks) and rotary embeddings against finite differences
/// of the Float64 reference (tolerance: |analytic − numeric| ≤ 1e-3·|numeric| + 2e-5·max|gradient|).
@Suite struct AttentionGradientTests {
    @Test func selfAttentionFullAndCausal() {
        var random = TestRandom(seed: 21)
        let q = random.tensor([4, 6], -2, 2), k = random.tensor([4, 6], -2, 2), v = random.tensor([4, 6])
        for (mask, offset) in [(AttentionMask.full, nil), (.causal(offset: 0), 0 as Int?)] {
            expectGradients(gradientCheck(
                [q, k, v],
                forward: { x in Variable.multiHeadAttention(query: x[0], key: x[1], value: x[2], queryHeads: 2, keyValueHeads: 2, mask: mask) },
                reference: { r in Reference.attention(r[0], r[1], r[2], heads: 2, kvHeads: 2, causalOffset: offset, scale: nil) }))
        }
    }

    @Test func groupedQueryCrossAttentionWithOffsetAndScale() {
        // 4 query heads of 2 reading 2 key/value heads; value heads of 3; 3 queries over 5 keys.
        var random = TestRandom(seed: 22)
        let q = random.tensor([3, 8], -2, 2), k = random.tensor([5, 4], -2, 2), v = random.tensor([5, 6])
        for offset in [2, -1] {  // -1: the first query sees no key (output and gradients 0)
            expectGradients(gradientCheck(
                [q, k, v],
                forward: { x in multiHeadAttention(query: x[0], key: x[1], value: x[2], queryHeads: 4, keyValueHeads: 2,
                                                   mask: .causal(offset: offset), scale: 0.8) },
                reference: { r in Reference.attention(r[0], r[1], r[2], heads: 4, kvHeads: 2, causalOffset: offset, scale: 0.8) }))
        }
    }

    @Test func selfAttentionFromOneVariable() {
        // Query, key and value are pieces of one fused projection: their gradients meet in one buffer.
        var random = TestRandom(seed: 23)
        let qkv = random.tensor([4, 12], -2, 2)
        expectGradients(gradientCheck(
            [qkv],
            forward: { x in
                let parts = x[0].split(parts: 3, axis: 1)
                return Variable.multiHeadAttention(query: parts[0], key: parts[1], value: parts[2], queryHeads: 2, keyValueHeads: 2,
                                                   mask: .causal())
            },
            reference: { r in
                let parts = (0..<3).map { Reference.piece(r[0], axis: 1, start: 4 * $0, size: 4) }
                return Reference.attention(parts[0], parts[1], parts[2], heads: 2, kvHeads: 2, causalOffset: 0, scale: nil)
            }))
    }

    @Test(arguments: [RoPEPairing.neox, .gptj])
    func rotaryEmbedding(_ pairing: RoPEPairing) {
        var random = TestRandom(seed: 24)
        let x = random.tensor([3, 12])
        let positions = [0, 5, 1001]
        let configuration = RoPEConfiguration(headDim: 6, ropeDims: 4, base: 10_000, pairing: pairing)
        expectGradients(gradientCheck(
            [x], forward: { v in v[0].applyingRoPE(positions: positions, configuration: configuration) },
            reference: { r in Reference.rope(r[0], positions: positions, headDim: 6, ropeDims: 4, base: 10_000, neox: pairing == .neox) }))
    }
}

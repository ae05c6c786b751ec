import Testing
import SparkGrad
@testable import AllSpark
import SparkEngine

/// The Lynx resampler's shapes, its attention maps, and its batched form.
struct BridgeTests {
    static func bridge() throws -> ModalityBridge {
        let section = BridgeSection(queries: 4, depth: 2, heads: 2, headWidth: 8, ffnMultiple: 2)
        return try ModalityBridge(ParameterStore(seed: 3), prefix: "bridges.test", section: section, encoderWidth: 12, width: 24)
    }

    static func tokens(_ count: Int, seed: UInt64) -> Tensor {
        var generator = SeededRandomGenerator(seed: seed)
        return Tensor(randomNormal: [count, 12], std: 1, generator: &generator)
    }

    @Test func outputsQueriesTimesWidthAndAttentionRowsSumToOne() throws {
        let (tokens, maps) = try Self.bridge()(Self.tokens(7, seed: 1))
        #expect(tokens.shape == [4, 24])
        #expect(maps.count == 2)
        for map in maps {
            #expect(map.shape == [2, 4, 7])
            for row in 0..<(2 * 4) {
                let sum = map.scalars[(row * 7)..<((row + 1) * 7)].reduce(0, +)
                #expect(abs(sum - 1) < 1e-5)
            }
        }
    }

    /// A batch of token sets of different lengths gives what each set gives alone.
    @Test func aBatchEqualsSeparateCalls() throws {
        let bridge = try Self.bridge()
        let sets = [Self.tokens(7, seed: 1), Self.tokens(3, seed: 2), Self.tokens(16, seed: 3)]
        let batched = bridge(batch: sets)
        #expect(batched.count == 3)
        for (set, result) in zip(sets, batched) {
            let alone = bridge(set).tokens
            #expect(result.shape == alone.shape)
            #expect(zip(result.scalars, alone.scalars).allSatisfy { abs($0 - $1) < 1e-5 })
        }
        // Different inputs give different outputs (so the comparison above can fail).
        #expect(zip(batched[0].scalars, batched[1].scalars).contains { abs($0 - $1) > 1e-3 })
        #expect(bridge(batch: []).isEmpty)
    }

    /// `ffnMultiple` 0: no feed-forward parameters in the tree, the output is the attention-only
    /// recurrence computed here by hand from the bridge's own layers, and the tape form equals it.
    @Test func aBridgeWithoutFeedForwardHasNoFeedForwardParameters() throws {
        let section = BridgeSection(queries: 4, depth: 2, heads: 2, headWidth: 8, ffnMultiple: 0)
        let store = ParameterStore(seed: 3)
        let bridge = try ModalityBridge(store, prefix: "bridges.test", section: section, encoderWidth: 12, width: 24)
        #expect(store.names().filter { $0.contains("ffn") }.isEmpty)
        #expect(store.names().contains("bridges.test.layers.1.attn.o.weight"))
        let tokens = Self.tokens(7, seed: 1)
        var q = bridge.queries
        for layer in bridge.layers {
            let kv = layer.normTokens(tokens)
            q += layer.output(multiHeadAttention(query: layer.query(layer.normQueries(q)), key: layer.key(kv), value: layer.value(kv),
                                                 queryHeads: 2, keyValueHeads: 2, returnProbabilities: false).output)
        }
        let output = bridge(tokens).tokens
        #expect(zip(output.scalars, bridge.norm(q).scalars).allSatisfy { abs($0 - $1) < 1e-5 })
        let tape = Tape()
        #expect(bridge(tape.constant(tokens), ParameterBinding(tape: tape, store: store)).value == output)
        // A negative multiple is refused by the configuration, naming the key.
        let object = ConfigObject(file: "test.json", keyPath: "bridge", dictionary: [:])
        var negative = section
        negative.ffnMultiple = -1
        #expect(throws: (any Error).self) { try negative.validate(in: object) }
    }
}

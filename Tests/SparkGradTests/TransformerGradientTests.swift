import Testing
import SparkEngine
import SparkGrad

/// A small composite: token + position embeddings, two pre-norm transformer blocks (LayerNorm,
/// fused QKV linear, causal multi-head attention, output projection, GELU MLP, residuals), a final
/// LayerNorm, a linear head and a mean cross-entropy. The same model in three forms — on the tape,
/// on plain tensors (inference), and in the Float64 reference — must agree.
@Suite struct TransformerGradientTests {
    static let (length, width, heads, hidden, vocabulary) = (5, 8, 2, 16, 7)
    static let ids = [3, 1, 4, 1, 5]
    static let targets = [1, 4, 1, 5, 6]

    /// Parameter shapes in the order the forwards read them.
    static var shapes: [[Int]] {
        let (d, f, v) = (width, hidden, vocabulary)
        let block: [[Int]] = [[d], [d], [3 * d, d], [3 * d], [d, d], [d], [d], [d], [f, d], [f], [d, f], [d]]
        return [[v, d], [length, d]] + block + block + [[d], [d], [v, d], [v]]
    }

    static func parameters() -> [Tensor] {
        var random = TestRandom(seed: 81)
        return shapes.map { shape in
            // Norm scales near 1, everything else small, so the activations stay in a plain range.
            shape.count == 1 && shape[0] == width ? random.tensor(shape, 0.8, 1.2) : random.tensor(shape, -0.5, 0.5)
        }
    }

    static func forward(_ p: [Variable]) -> Variable {
        Variable.crossEntropy(logits: logits(p), targets: targets)
    }

    static func logits(_ p: [Variable]) -> Variable {
        var x = Variable.embeddingRows(table: p[0], ids: ids) + p[1]
        for block in 0..<2 {
            let b = 2 + 12 * block
            let h = x.layerNorm(weight: p[b], bias: p[b + 1])
            let qkv = h.linear(weight: p[b + 2], bias: p[b + 3]).split(parts: 3, axis: 1)
            let attended = Variable.multiHeadAttention(query: qkv[0], key: qkv[1], value: qkv[2], queryHeads: heads,
                                                       keyValueHeads: heads, mask: .causal())
            x = x + attended.linear(weight: p[b + 4], bias: p[b + 5])
            let h2 = x.layerNorm(weight: p[b + 6], bias: p[b + 7])
            x = x + h2.linear(weight: p[b + 8], bias: p[b + 9]).gelu().linear(weight: p[b + 10], bias: p[b + 11])
        }
        return x.layerNorm(weight: p[26], bias: p[27]).linear(weight: p[28], bias: p[29])
    }

    /// The same model on tensors, as inference runs it; returns the logits.
    static func inferenceLogits(_ p: [Tensor]) throws -> Tensor {
        var x = try p[0].embeddingRows(ids) + p[1]
        for block in 0..<2 {
            let b = 2 + 12 * block
            let h = x.layerNorm(weight: p[b], bias: p[b + 1])
            let qkv = h.linear(weight: p[b + 2], bias: p[b + 3]).split(parts: 3, axis: 1)
            let attended = multiHeadAttention(query: qkv[0], key: qkv[1], value: qkv[2], queryHeads: heads,
                                              keyValueHeads: heads, mask: .causal()).output
            x = x + attended.linear(weight: p[b + 4], bias: p[b + 5])
            let h2 = x.layerNorm(weight: p[b + 6], bias: p[b + 7])
            x = x + h2.linear(weight: p[b + 8], bias: p[b + 9]).gelu().linear(weight: p[b + 10], bias: p[b + 11])
        }
        return x.layerNorm(weight: p[26], bias: p[27]).linear(weight: p[28], bias: p[29])
    }

    static func reference(_ p: [Ref]) -> Ref {
        var x = Reference.add(Reference.embedding(p[0], ids), p[1])
        for block in 0..<2 {
            let b = 2 + 12 * block
            let h = Reference.layerNorm(x, p[b], p[b + 1], eps: 1e-5)
            let qkv = Reference.linear(h, p[b + 2], p[b + 3])
            let parts = (0..<3).map { Reference.piece(qkv, axis: 1, start: $0 * width, size: width) }
            let attended = Reference.attention(parts[0], parts[1], parts[2], heads: heads, kvHeads: heads, causalOffset: 0, scale: nil)
            x = Reference.add(x, Reference.linear(attended, p[b + 4], p[b + 5]))
            let h2 = Reference.layerNorm(x, p[b + 6], p[b + 7], eps: 1e-5)
            let inner = Reference.map(Reference.linear(h2, p[b + 8], p[b + 9]), Reference.gelu)
            x = Reference.add(x, Reference.linear(inner, p[b + 10], p[b + 11]))
        }
        let logits = Reference.linear(Reference.layerNorm(x, p[26], p[27], eps: 1e-5), p[28], p[29])
        return Reference.crossEntropy(logits, targets)
    }

    @Test func gradientsOfEveryParameterTensor() {
        // Six sampled elements of each of the 30 parameter tensors (and every element of the
        // small ones), against central differences of the Float64 model.
        let report = gradientCheck(Self.parameters(), samples: 6, forward: Self.forward, reference: Self.reference)
        expectGradients(report)
        #expect(report.relativeErrors.count == 30)
    }

    @Test func trainingForwardIsInferenceForward() throws {
        let p = Self.parameters()
        let tape = Tape()
        let logits = Self.logits(p.map(tape.parameter))
        #expect(bits(logits.value) == bits(try Self.inferenceLogits(p)))
        let loss = Variable.crossEntropy(logits: logits, targets: Self.targets)
        #expect(abs(Double(loss.value.scalars[0]) - Self.reference(p.map(Ref.init)).v[0]) < 1e-5)
    }
}

import SparkEngine
import SparkFormats
import Testing
@testable import SparkLM

/// `WeightMatrix` under int8 activations, and in Float mat-vec products (decoding in the reference
/// numerics), reads the interleaved copy it makes on first use; its products must be those of the
/// GGUF's layout, bit for bit, on SmolLM2's own tensors (Q4_1 layer weights; the Q8_0 vocabulary
/// matrix), one by one and shared, for one vector and a batch.
struct WeightMatrixLayoutTests {
    /// Y = X · Wᵀ through the GGUF's layout only (the plain QuantizedMatrix, no copy attached).
    static func ggmlProducts(_ w: WeightMatrix, _ x: [Float], rows: Int,
                             activations: ActivationPrecision = .int8Blocks) throws -> [Float] {
        guard case .quantized(let q) = w.storage else { throw LMError.unsupportedModel(file: w.name, problem: "not quantised") }
        #expect(q.interleaved == nil)
        var y = [Float](repeating: .nan, count: rows * w.outputs)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { q.multiply(xp.baseAddress!, vectors: rows, into: $0.baseAddress!, activations: activations) }
        }
        return y
    }

    @Test(.enabled(if: TestModel.isPresent, TestModel.absentMessage),
          arguments: [(ActivationPrecision.int8Blocks, 1), (.int8Blocks, 5), (.float32, 1), (.float32, 2)])
    func interleavedProductsEqualTheGGUFLayoutsOnSmolLM2(activations: ActivationPrecision, rows: Int) throws {
        let gguf = try GGUFFile(path: TestModel.path)
        let query = try WeightMatrix.load(gguf, "blk.3.attn_q.weight")
        let key = try WeightMatrix.load(gguf, "blk.3.attn_k.weight")
        let down = try WeightMatrix.load(gguf, "blk.3.ffn_down.weight")
        let vocabulary = try WeightMatrix.load(gguf, "token_embd.weight")
        var random = SeededRandomGenerator(seed: 11)
        let x = (0..<(rows * 576)).map { _ in Float.random(in: -1...1, using: &random) }
        let xDown = (0..<(rows * 1536)).map { _ in Float.random(in: -1...1, using: &random) }
        let scratch = ScratchBuffer()
        // Under int8 activations the copy is made at the first product; Float mat-vec products
        // read the GGUF's layout until the copy is made at the floatUsesBeforeCopy-th.
        let uses = activations == .int8Blocks ? 1 : InterleavedLayoutCache.floatUsesBeforeCopy
        for (w, input) in [(query, x), (down, xDown), (vocabulary, x)] {
            let expected = try Self.ggmlProducts(w, input, rows: rows, activations: activations)
            for use in 1...uses {
                var y = [Float](repeating: .nan, count: rows * w.outputs)
                input.withUnsafeBufferPointer { xp in
                    y.withUnsafeMutableBufferPointer { w.apply(xp.baseAddress!, rows: rows, into: $0.baseAddress!, scratch: scratch, activations: activations) }
                }
                #expect(y.map(\.bitPattern) == expected.map(\.bitPattern), "\(w.name), product \(use)")
                #expect(w.hasInterleavedCopy == (use == uses), "\(w.name), product \(use) of \(uses): copy made \(w.hasInterleavedCopy)")
            }
        }
        var yq = [Float](repeating: .nan, count: rows * 576), yk = [Float](repeating: .nan, count: rows * 192)
        x.withUnsafeBufferPointer { xp in
            yq.withUnsafeMutableBufferPointer { pq in
                yk.withUnsafeMutableBufferPointer { pk in
                    WeightMatrix.apply(sharing: xp.baseAddress!, rows: rows, (query, pq.baseAddress!), (key, pk.baseAddress!),
                                       scratch: scratch, activations: activations)
                }
            }
        }
        #expect(yq.map(\.bitPattern) == (try Self.ggmlProducts(query, x, rows: rows, activations: activations)).map(\.bitPattern))
        #expect(yk.map(\.bitPattern) == (try Self.ggmlProducts(key, x, rows: rows, activations: activations)).map(\.bitPattern))
    }
}

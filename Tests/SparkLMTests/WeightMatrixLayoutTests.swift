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

    /// The first index where the two arrays' bit patterns differ (their common length if only
    /// the lengths do), or nil. Expectations report this, not the arrays: printing and diffing
    /// two 49,152-element arrays of logits takes Swift Testing many minutes.
    static func firstDifference(_ a: [Float], _ b: [Float]) -> Int? {
        guard a.count == b.count else { return Swift.min(a.count, b.count) }
        return a.indices.first { a[$0].bitPattern != b[$0].bitPattern }
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
                #expect(Self.firstDifference(y, expected) == nil, "\(w.name), product \(use)")
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
        #expect(Self.firstDifference(yq, try Self.ggmlProducts(query, x, rows: rows, activations: activations)) == nil)
        #expect(Self.firstDifference(yk, try Self.ggmlProducts(key, x, rows: rows, activations: activations)) == nil)
    }

    /// The switch in the middle of a generation: a fresh decoder in the reference numerics reads
    /// the GGUF's layout for its first floatUsesBeforeCopy − 1 decoded tokens and the copies
    /// after that; a decoder whose copies were made beforehand reads the copies throughout. Their
    /// logits must agree bit for bit at every one of 48 steps.
    @Test(.enabled(if: TestModel.isPresent, TestModel.absentMessage))
    func referenceDecodingIsUnchangedWhenTheCopiesAppearMidGeneration() throws {
        let fresh = try TestModel.decoder(.reference), warmed = try TestModel.decoder(.reference)
        let warmCache = warmed.makeCache(maximumLength: 64)
        var warmLogits = try warmed.forward([.token(1)], cache: warmCache).logits
        for _ in 0..<InterleavedLayoutCache.floatUsesBeforeCopy { try warmed.decode(2, cache: warmCache, logits: &warmLogits) }
        #expect(warmed.weights.layers[0].query.hasInterleavedCopy && warmed.weights.output.hasInterleavedCopy)
        #expect(!fresh.weights.layers[0].query.hasInterleavedCopy)

        let prompt: [DecoderInput] = (0..<6).map { .token(Int32(3000 + $0)) }
        let freshCache = fresh.makeCache(maximumLength: 64), warmedCache = warmed.makeCache(maximumLength: 64)
        var a = try fresh.forward(prompt, cache: freshCache).logits
        var b = try warmed.forward(prompt, cache: warmedCache).logits
        for step in 0..<48 {
            if let index = Self.firstDifference(a, b) {
                Issue.record("logits differ before decoded token \(step), first at vocabulary entry \(index): \(a[index]) against \(b[index])")
                return
            }
            let next = Sampler<SeededRandomGenerator>.argmax(a)
            try fresh.decode(next, cache: freshCache, logits: &a)
            try warmed.decode(next, cache: warmedCache, logits: &b)
        }
        #expect(Self.firstDifference(a, b) == nil)
        #expect(fresh.weights.layers[29].down.hasInterleavedCopy, "the fresh decoder made its copies on the way")
    }
}

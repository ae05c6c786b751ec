import SparkEngine

/// The "language lens": which vocabulary tokens an arbitrary vector (a bridge output) is closest
/// to, by cosine similarity with the rows of the input embedding matrix. This shows where
/// modality tokens land in the language model's space.
public final class EmbeddingNeighbours {
    let decoder: LlamaDecoder
    /// ‖E_i‖ for every vocabulary row, computed once.
    let rowNorms: [Float]

    public init(decoder: LlamaDecoder) {
        self.decoder = decoder
        let c = decoder.configuration
        var norms = [Float](repeating: 0, count: c.vocabularySize)
        var row = [Float](repeating: 0, count: c.width)
        row.withUnsafeMutableBufferPointer { r in
            for i in 0..<c.vocabularySize {
                decoder.weights.tokenEmbedding.row(i, into: r.baseAddress!)
                var sum: Float = 0
                for v in r { sum += v * v }
                norms[i] = sum.squareRoot()
            }
        }
        rowNorms = norms
    }

    /// The `k` tokens whose input embeddings have the highest cosine similarity with `vector`.
    public func nearest(_ vector: [Float], k: Int) -> [TokenProbability] {
        let c = decoder.configuration
        precondition(vector.count == c.width, "language lens: vector has \(vector.count) values, the model's width is \(c.width)")
        var dots = [Float](repeating: 0, count: c.vocabularySize)
        vector.withUnsafeBufferPointer { v in
            dots.withUnsafeMutableBufferPointer { d in
                decoder.weights.tokenEmbedding.apply(v.baseAddress!, rows: 1, into: d.baseAddress!, scratch: decoder.scratch)
            }
        }
        var norm: Float = 0
        for x in vector { norm += x * x }
        norm = norm.squareRoot()
        for i in 0..<dots.count { dots[i] = rowNorms[i] > 0 && norm > 0 ? dots[i] / (rowNorms[i] * norm) : 0 }
        // TokenProbability carries the cosine here (a similarity, not a probability).
        return Sampler<SeededRandomGenerator>.topCandidates(dots, k: k).map { TokenProbability(token: $0, probability: dots[Int($0)]) }
    }
}

import SparkEngine

/// The "language lens": which vocabulary tokens an arbitrary vector (a bridge output) is closest
/// to, by cosine similarity with the rows of the input embedding matrix. This shows where
/// modality tokens land in the language model's space.
public final class EmbeddingNeighbours {
    let decoder: LlamaDecoder
    /// The token embeddings in Float32 (shared with the decoder's logit lens), so that all the
    /// vectors of one call meet the vocabulary in a single sgemm.
    let embeddings: WeightMatrix
    /// ‖E_i‖ for every vocabulary row, computed once.
    public let rowNorms: [Float]

    public init(decoder: LlamaDecoder) {
        self.decoder = decoder
        embeddings = decoder.lensMatrices().input
        guard case .dense(let values) = embeddings.storage else { preconditionFailure("lens matrices are dense") }
        let width = embeddings.inputs
        rowNorms = (0..<embeddings.outputs).map { row in
            var sum: Float = 0
            for v in values[(row * width)..<((row + 1) * width)] { sum += v * v }
            return sum.squareRoot()
        }
    }

    /// How many tokens the vocabulary has.
    public var vocabularySize: Int { embeddings.outputs }

    /// The input embedding of `token` (Float32).
    public func embedding(_ token: Int32) -> ArraySlice<Float> {
        guard case .dense(let values) = embeddings.storage else { preconditionFailure("lens matrices are dense") }
        let width = embeddings.inputs, row = Int(token)
        precondition(row >= 0 && row < embeddings.outputs, "language lens: token \(token) is outside the vocabulary of \(embeddings.outputs)")
        return values[(row * width)..<((row + 1) * width)]
    }

    /// For each vector, its cosine similarity with every token's input embedding (0 for a zero
    /// vector or row).
    public func cosines(_ vectors: [[Float]]) -> [[Float]] {
        let width = embeddings.inputs, vocabulary = embeddings.outputs
        for vector in vectors {
            precondition(vector.count == width, "language lens: vector has \(vector.count) values, the model's width is \(width)")
        }
        let dots = embeddings.apply(vectors.flatMap { $0 }, rows: vectors.count, scratch: decoder.scratch)
        return EngineThreads.map(vectors.count) { index in
            var norm: Float = 0
            for x in vectors[index] { norm += x * x }
            norm = norm.squareRoot()
            return (0..<vocabulary).map { i in
                rowNorms[i] > 0 && norm > 0 ? dots[index * vocabulary + i] / (rowNorms[i] * norm) : 0
            }
        }
    }

    /// For each vector, the `k` tokens whose input embeddings have the highest cosine similarity
    /// with it. `TokenProbability` carries the cosine here (a similarity, not a probability).
    public func nearest(_ vectors: [[Float]], k: Int) -> [[TokenProbability]] {
        cosines(vectors).map { cosines in
            Sampler<SeededRandomGenerator>.topCandidates(cosines, k: k).map { TokenProbability(token: $0, probability: cosines[Int($0)]) }
        }
    }
}

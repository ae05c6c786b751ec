import SparkEngine

/// Lynx's resampler (the paper's Modal2Language bridge, §3.4): `queries` learnable vectors of the
/// language model's width cross-attend to the encoder's tokens, `depth` times:
///
///     q ← q + W_o · Attention(W_q · LN(q), W_k · LN(tokens), W_v · LN(tokens))    (no mask)
///     q ← q + FFN(LN(q)),  FFN = W_2 · GELU(W_1 ·),  D → ffnMultiple·D → D    (none when ffnMultiple is 0)
///
/// then a final LayerNorm, giving `[queries, D_llm]` tokens the language model reads as input
/// embeddings. Projections have no bias (as the FFN in Lynx). Names under `bridges.<modality>.`:
/// `queries`, `layers.<i>.norm_queries`, `.norm_tokens`, `.attn.q`, `.attn.k`, `.attn.v`,
/// `.attn.o`, `.norm_ffn`, `.ffn.fc1`, `.ffn.fc2`, and `norm`.
///
/// `ffnMultiple` 0 leaves the feed-forward sub-layer out. At the language model's width it holds
/// 2·ffnMultiple·D² parameters (0.66 M at D = 576), half a one-layer bridge; a small checkpoint
/// budget (weights/README.md) is why a bridge may go without it.
///
/// The final norm's scale is initialised to `outputScale`, the RMS of the language model's token
/// embeddings, so an untrained bridge emits tokens at the scale of real word embeddings instead
/// of unit-variance vectors ~10× larger; training can move it freely.
public struct ModalityBridge: Sendable {
    struct Layer: Sendable {
        let normQueries: LayerNormLayer
        let normTokens: LayerNormLayer
        let query: Linear
        let key: Linear
        let value: Linear
        let output: Linear
        /// The feed-forward sub-layer, nil when `ffnMultiple` is 0.
        let feedForward: FeedForward?
    }

    struct FeedForward: Sendable {
        let norm: LayerNormLayer
        let fc1: Linear
        let fc2: Linear
    }

    public let section: BridgeSection
    /// The parameter-tree prefix (`bridges.<modality>`).
    public let prefix: String
    public let encoderWidth: Int
    public let width: Int
    let queries: Tensor
    let layers: [Layer]
    let norm: LayerNormLayer

    public init(_ store: ParameterStore, prefix: String, section: BridgeSection, encoderWidth: Int, width: Int,
                outputScale: Float = 1) throws {
        self.section = section; self.prefix = prefix; self.encoderWidth = encoderWidth; self.width = width
        let inner = section.heads * section.headWidth
        queries = try store.tensor(prefix + ".queries", [section.queries, width], .truncatedNormal(std: 0.02))
        layers = try (0..<section.depth).map { i in
            let p = "\(prefix).layers.\(i)"
            return Layer(
                normQueries: try LayerNormLayer(store, p + ".norm_queries", width: width, epsilon: 1e-5),
                normTokens: try LayerNormLayer(store, p + ".norm_tokens", width: encoderWidth, epsilon: 1e-5),
                query: try Linear(store, p + ".attn.q", inputs: width, outputs: inner, bias: false),
                key: try Linear(store, p + ".attn.k", inputs: encoderWidth, outputs: inner, bias: false),
                value: try Linear(store, p + ".attn.v", inputs: encoderWidth, outputs: inner, bias: false),
                output: try Linear(store, p + ".attn.o", inputs: inner, outputs: width, bias: false),
                feedForward: section.ffnMultiple == 0 ? nil : FeedForward(
                    norm: try LayerNormLayer(store, p + ".norm_ffn", width: width, epsilon: 1e-5),
                    fc1: try Linear(store, p + ".ffn.fc1", inputs: width, outputs: section.ffnMultiple * width, bias: false),
                    fc2: try Linear(store, p + ".ffn.fc2", inputs: section.ffnMultiple * width, outputs: width, bias: false)))
        }
        let normWeight = try store.tensor(prefix + ".norm.weight", [width], .constant(outputScale))
        let normBias = try store.tensor(prefix + ".norm.bias", [width], .zeros)
        norm = LayerNormLayer(name: prefix + ".norm", weight: normWeight, bias: normBias, epsilon: 1e-5)
    }

    /// The bridge's output shape for a configuration: `[queries, width]`.
    public static func outputShape(section: BridgeSection, width: Int) -> [Int] { [section.queries, width] }

    /// tokens `[N, encoderWidth]` → `[queries, width]`, with each layer's cross-attention
    /// probabilities `[heads, queries, N]`.
    public func callAsFunction(_ tokens: Tensor) -> (tokens: Tensor, attention: [Tensor]) {
        let (outputs, maps) = resample([tokens], keepingAttention: true)
        return (outputs[0], maps.map { $0[0] })
    }

    /// Several token sets at once (a re-identification gallery): each result is what the bridge
    /// gives that set alone, but the query-side products (norms, projections, feed-forward) of all
    /// sets run as one batch of `sets × queries` rows, which small products need to be efficient.
    /// No attention maps are kept.
    public func callAsFunction(batch sets: [Tensor]) -> [Tensor] {
        sets.isEmpty ? [] : resample(sets, keepingAttention: false).outputs
    }

    /// The resampler over every set, the query rows of all sets stacked; only the cross-attention
    /// is per set. Returns the outputs per set and, when kept, each layer's maps per set.
    private func resample(_ sets: [Tensor], keepingAttention: Bool) -> (outputs: [Tensor], maps: [[Tensor]]) {
        for tokens in sets {
            precondition(tokens.rank == 2 && tokens.shape[1] == encoderWidth,
                         "bridge expects [N, \(encoderWidth)] tokens, got \(tokens.shape)")
        }
        let count = section.queries
        var q = sets.count == 1 ? queries : Tensor.concatenate(Array(repeating: queries, count: sets.count), axis: 0)
        var maps: [[Tensor]] = []
        for layer in layers {
            let projected = layer.query(layer.normQueries(q))
            let attended = sets.enumerated().map { index, tokens in
                let kv = layer.normTokens(tokens)
                return multiHeadAttention(query: sets.count == 1 ? projected : projected.slice(rows: (index * count)..<((index + 1) * count)),
                                          key: layer.key(kv), value: layer.value(kv),
                                          queryHeads: section.heads, keyValueHeads: section.heads, returnProbabilities: keepingAttention)
            }
            q += layer.output(sets.count == 1 ? attended[0].output : Tensor.concatenate(attended.map(\.output), axis: 0))
            if let ffn = layer.feedForward { q += ffn.fc2(ffn.fc1(ffn.norm(q)).gelu()) }
            if keepingAttention { maps.append(attended.map { $0.probabilities! }) }
        }
        let normed = norm(q)
        let outputs = sets.count == 1 ? [normed] : (0..<sets.count).map { normed.slice(rows: ($0 * count)..<(($0 + 1) * count)) }
        return (outputs, maps)
    }
}

extension LayerNormLayer {
    /// A LayerNorm from given parameters.
    init(name: String, weight: Tensor, bias: Tensor, epsilon: Float) {
        self.name = name; self.weight = weight; self.bias = bias; self.epsilon = epsilon
    }
}

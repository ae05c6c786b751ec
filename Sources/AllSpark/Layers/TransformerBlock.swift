import SparkEngine

/// A pre-norm transformer encoder block in timm's layout (ViT, PointBERT, TubeViT, the sequence
/// encoders): `x += Attention(LN(x))`, `x += MLP(LN(x))`, fused `attn.qkv`, `attn.proj`,
/// `mlp.fc1` → activation → `mlp.fc2`. Names under `<name>.`: norm1, attn.qkv, attn.proj, norm2,
/// mlp.fc1, mlp.fc2.
public struct TransformerBlock: Sendable {
    public let norm1: LayerNormLayer
    public let qkv: Linear
    public let projection: Linear
    public let norm2: LayerNormLayer
    public let fc1: Linear
    public let fc2: Linear
    public let heads: Int
    public let activation: Activation

    public init(_ store: ParameterStore, _ name: String, width: Int, heads: Int, mlpRatio: Float = 4,
                activation: Activation = .gelu) throws {
        precondition(width % heads == 0, "width \(width) is not a multiple of \(heads) heads")
        let hidden = Int((Float(width) * mlpRatio).rounded())
        norm1 = try LayerNormLayer(store, name + ".norm1", width: width)
        qkv = try Linear(store, name + ".attn.qkv", inputs: width, outputs: 3 * width)
        projection = try Linear(store, name + ".attn.proj", inputs: width, outputs: width)
        norm2 = try LayerNormLayer(store, name + ".norm2", width: width)
        fc1 = try Linear(store, name + ".mlp.fc1", inputs: width, outputs: hidden)
        fc2 = try Linear(store, name + ".mlp.fc2", inputs: hidden, outputs: width)
        self.heads = heads
        self.activation = activation
    }

    /// x `[N, width]` → `[N, width]`; the attention probabilities `[heads, N, N]` when asked.
    public func callAsFunction(_ x: Tensor, returnAttention: Bool = false) -> (output: Tensor, attention: Tensor?) {
        let width = x.shape[1]
        let parts = qkv(norm1(x)).split(sizes: [width, width, width], axis: 1)
        let attended = multiHeadAttention(query: parts[0], key: parts[1], value: parts[2],
                                          queryHeads: heads, keyValueHeads: heads, returnProbabilities: returnAttention)
        var y = x + projection(attended.output)
        y += fc2(fc1(norm2(y)).applying(activation))
        return (y, attended.probabilities)
    }
}

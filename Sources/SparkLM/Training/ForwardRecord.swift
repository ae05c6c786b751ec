/// What `DecoderTrainer.forward` keeps for `backward`: per layer, only what the non-linear steps
/// need (the frozen weights take no gradient, so no input of a matrix product is kept for its own
/// sake). Rows are the batch's B·T positions, sequence after sequence.
public struct ForwardRecord {
    /// Sequences in the batch.
    public let batch: Int
    /// Positions per sequence.
    public let length: Int
    /// The cached prefix every sequence attended to (its positions come first).
    public let prefix: CachedPrefix?
    /// The RoPE position of each sequence's first row.
    public let firstPosition: Int
    /// The adapters the pass ran with, by layer (`backward` differentiates these).
    public let adapters: [Int: LynxAdapter]
    let layers: [LayerRecord]
    /// The residual stream after the last layer `[rows, width]` and its RMS factors.
    let finalResidual: [Float]
    let finalInverseRMS: [Float]
    /// The final-norm hidden states `[rows, width]`: what heads and the output matrix read.
    public let hidden: [Float]

    public var rows: Int { batch * length }
    /// Keys each query row may see: the prefix's and its own sequence's.
    var span: Int { (prefix?.length ?? 0) + length }

    /// Floats held by the record (the per-layer activations plus the final ones).
    public var floatCount: Int {
        layers.reduce(finalResidual.count + finalInverseRMS.count + hidden.count) { $0 + $1.floatCount }
    }
}

/// One layer's activations.
struct LayerRecord {
    /// The residual stream entering the layer `[rows, width]` and its attention-norm RMS factors.
    let input: [Float]
    let attentionInverseRMS: [Float]
    /// Queries, keys and values side by side, queries and keys after RoPE `[rows, width + 2·kvWidth]`.
    let queryKeyValue: [Float]
    /// Attention probabilities `[batch, heads, length, span]` (prefix keys first, then the
    /// sequence's own; zero above the causal diagonal).
    let probabilities: [Float]
    /// The residual stream after the attention block and its feed-forward-norm RMS factors.
    let middle: [Float]
    let feedForwardInverseRMS: [Float]
    /// Gate and up projections before the SwiGLU `[rows, 2·feedForwardWidth]`.
    let gateUp: [Float]
    let adapter: AdapterRecord?

    var floatCount: Int {
        input.count + attentionInverseRMS.count + queryKeyValue.count + probabilities.count + middle.count
            + feedForwardInverseRMS.count + gateUp.count + (adapter?.floatCount ?? 0)
    }
}

/// A Lynx adapter's activations: x̂ and 1/σ of its LayerNorm, the LayerNorm's output (Down's
/// input), Down's pre-activation, its SiLU (Up's input) and Up's output before the scale.
struct AdapterRecord {
    let normalized: [Float]
    let inverseDeviation: [Float]
    let normed: [Float]
    let downPreActivation: [Float]
    let hidden: [Float]
    let delta: [Float]

    var floatCount: Int {
        normalized.count + inverseDeviation.count + normed.count + downPreActivation.count + hidden.count + delta.count
    }
}

/// Keys and values of a prefix that every sequence of a batch continues (a system prompt the
/// same for every sample): computed once by `DecoderTrainer.makePrefix` and attended to by every
/// row, with no gradient flowing into it. `[length, kvWidth]` per layer, keys after RoPE at
/// positions 0..<length.
public struct CachedPrefix: Sendable {
    public let length: Int
    let keys: [[Float]]
    let values: [[Float]]
}

/// Gradients of a loss with respect to one Lynx adapter's parameters, laid out as `LynxAdapter`'s.
public struct LynxAdapterGradient: Sendable, Equatable {
    public var normWeight: [Float]
    public var normBias: [Float]
    /// `[width/2, width]`
    public var downWeight: [Float]
    public var downBias: [Float]
    /// `[width, width/2]`
    public var upWeight: [Float]
    public var upBias: [Float]
    public var scale: Float

    /// Zeros shaped like an adapter of `width`.
    public init(width: Int) {
        let b = width / 2
        normWeight = .init(repeating: 0, count: width); normBias = .init(repeating: 0, count: width)
        downWeight = .init(repeating: 0, count: b * width); downBias = .init(repeating: 0, count: b)
        upWeight = .init(repeating: 0, count: width * b); upBias = .init(repeating: 0, count: width)
        scale = 0
    }
}

/// One position of the decoder's input: a token id, or an embedding row supplied directly (the
/// modality tokens a bridge produces, already in the model's width).
public enum DecoderInput: Sendable, Equatable {
    case token(Int32)
    case embedding([Float])
}

/// What a forward pass should record besides the logits of the last position.
public struct CaptureRequest: Sendable, Equatable {
    /// The residual stream at every position after the embedding and after each layer.
    public var hiddenStates = false
    /// Attention probabilities of every layer `[heads, queries, keys]`.
    public var attention = false
    /// The final-norm hidden state of every position of this call (for task heads).
    public var finalHiddenStates = false

    public init(hiddenStates: Bool = false, attention: Bool = false, finalHiddenStates: Bool = false) {
        self.hiddenStates = hiddenStates; self.attention = attention; self.finalHiddenStates = finalHiddenStates
    }

    public static let none = CaptureRequest()
}

/// What a forward pass over positions `positions` produced.
public struct ForwardResult: Sendable {
    /// Positions (absolute) this call computed.
    public var positions: Range<Int>
    /// Logits at the last position, `vocabularySize` values.
    public var logits: [Float]
    /// Final-norm hidden state at the last position (`width` values).
    public var lastHiddenState: [Float]
    /// When requested: `[layers + 1][positions × width]`, index 0 = the input embeddings.
    public var hiddenStates: [[Float]]?
    /// When requested: `[layers][heads × positions × keys]`, keys = all positions up to the last.
    public var attention: [[Float]]?
    /// When requested: `[positions × width]` after the final norm.
    public var finalHiddenStates: [Float]?
}

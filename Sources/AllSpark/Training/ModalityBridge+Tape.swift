import SparkEngine
import SparkGrad

extension ModalityBridge {
    /// tokens `[N, encoderWidth]` → `[queries, width]` on a tape, as `callAsFunction(_:)` computes
    /// for one token set.
    public func callAsFunction(_ tokens: Variable, _ p: ParameterBinding) -> Variable {
        precondition(tokens.rank == 2 && tokens.shape[1] == encoderWidth,
                     "bridge expects [N, \(encoderWidth)] tokens, got \(tokens.shape)")
        var q = p(prefix + ".queries", queries)
        for layer in layers {
            let kv = layer.normTokens(tokens, p)
            let attended = multiHeadAttention(query: layer.query(layer.normQueries(q, p), p), key: layer.key(kv, p),
                                              value: layer.value(kv, p), queryHeads: section.heads, keyValueHeads: section.heads)
            q = q + layer.output(attended, p)
            if let ffn = layer.feedForward { q = q + ffn.fc2(ffn.fc1(ffn.norm(q, p), p).gelu(), p) }
        }
        return norm(q, p)
    }
}

extension TaskHead {
    /// The raw linear outputs `[outputs]` for a pooled hidden state `[D_llm]` on a tape.
    public func logits(_ pooled: Variable, _ p: ParameterBinding) -> Variable? {
        linear.map { $0(pooled.reshaped([1, pooled.value.count]), p).reshaped([section.outputCount]) }
    }
}

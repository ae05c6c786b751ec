import SparkEngine
import SparkFormats

/// The tensors of one decoder layer, under ggml's names (`blk.N.attn_q.weight` …).
struct LlamaLayerWeights {
    let attentionNorm: [Float]
    let query: WeightMatrix
    let key: WeightMatrix
    let value: WeightMatrix
    let attentionOutput: WeightMatrix
    let feedForwardNorm: [Float]
    let gate: WeightMatrix
    let up: WeightMatrix
    let down: WeightMatrix
}

/// Every weight of a LLaMA decoder, read from a GGUF file that stays mapped while they live.
struct LlamaWeights {
    let file: GGUFFile
    let tokenEmbedding: WeightMatrix
    let outputNorm: [Float]
    /// The output matrix; the token embedding itself when the model ties them.
    let output: WeightMatrix
    let layers: [LlamaLayerWeights]

    init(file: GGUFFile, configuration c: LlamaConfiguration) throws {
        self.file = file
        func vector(_ name: String, _ count: Int) throws -> [Float] {
            guard let info = file.tensor(name) else {
                throw LMError.unsupportedModel(file: file.path, problem: "missing tensor '\(name)'")
            }
            guard info.elementCount == count else {
                throw LMError.unsupportedModel(file: file.path, problem: "tensor '\(name)' has \(info.elementCount) values; expected \(count)")
            }
            return try file.dequantize(info).scalars
        }
        func matrix(_ name: String, _ outputs: Int, _ inputs: Int) throws -> WeightMatrix {
            try WeightMatrix.load(file, name, outputs: outputs, inputs: inputs)
        }
        tokenEmbedding = try matrix("token_embd.weight", c.vocabularySize, c.width)
        outputNorm = try vector("output_norm.weight", c.width)
        output = c.tiedOutput ? tokenEmbedding : try matrix("output.weight", c.vocabularySize, c.width)
        layers = try (0..<c.layerCount).map { i in
            let p = "blk.\(i)."
            return LlamaLayerWeights(
                attentionNorm: try vector(p + "attn_norm.weight", c.width),
                query: try matrix(p + "attn_q.weight", c.width, c.width),
                key: try matrix(p + "attn_k.weight", c.keyValueWidth, c.width),
                value: try matrix(p + "attn_v.weight", c.keyValueWidth, c.width),
                attentionOutput: try matrix(p + "attn_output.weight", c.width, c.width),
                feedForwardNorm: try vector(p + "ffn_norm.weight", c.width),
                gate: try matrix(p + "ffn_gate.weight", c.feedForwardWidth, c.width),
                up: try matrix(p + "ffn_up.weight", c.feedForwardWidth, c.width),
                down: try matrix(p + "ffn_down.weight", c.width, c.feedForwardWidth))
        }
    }
}

import SparkFormats

/// The hyper-parameters of a LLaMA-architecture decoder, read from a GGUF's `llama.*` keys.
public struct LlamaConfiguration: Sendable, Equatable, Codable {
    public var layerCount: Int
    public var width: Int
    public var headCount: Int
    public var keyValueHeadCount: Int
    public var feedForwardWidth: Int
    public var rmsNormEpsilon: Float
    public var ropeBase: Float
    /// Dimensions of each head that RoPE rotates (all of them in LLaMA).
    public var ropeDimensions: Int
    public var contextLength: Int
    public var vocabularySize: Int
    /// True when the output matrix is the token embedding (no `output.weight` in the file).
    public var tiedOutput: Bool

    public var headWidth: Int { width / headCount }
    public var keyValueWidth: Int { keyValueHeadCount * headWidth }

    public init(layerCount: Int, width: Int, headCount: Int, keyValueHeadCount: Int, feedForwardWidth: Int,
                rmsNormEpsilon: Float, ropeBase: Float, ropeDimensions: Int, contextLength: Int,
                vocabularySize: Int, tiedOutput: Bool) {
        self.layerCount = layerCount; self.width = width; self.headCount = headCount
        self.keyValueHeadCount = keyValueHeadCount; self.feedForwardWidth = feedForwardWidth
        self.rmsNormEpsilon = rmsNormEpsilon; self.ropeBase = ropeBase; self.ropeDimensions = ropeDimensions
        self.contextLength = contextLength; self.vocabularySize = vocabularySize; self.tiedOutput = tiedOutput
    }

    /// Reads and checks the configuration; every missing or inconsistent key is an error naming it.
    public init(gguf: GGUFFile) throws {
        let file = gguf.path
        func fail(_ problem: String) -> LMError { .unsupportedModel(file: file, problem: problem) }
        guard let architecture = gguf.value("general.architecture")?.string else {
            throw fail("no 'general.architecture' key; expected \"llama\"")
        }
        guard architecture == "llama" else {
            throw fail("architecture '\(architecture)' is not supported; this decoder runs \"llama\" (LLaMA-family) models")
        }
        func integer(_ key: String, default fallback: Int? = nil) throws -> Int {
            if let v = gguf.value("llama." + key)?.int { return v }
            if let fallback { return fallback }
            throw fail("missing integer key 'llama.\(key)'")
        }
        func real(_ key: String, default fallback: Float? = nil) throws -> Float {
            if let v = gguf.value("llama." + key)?.float { return Float(v) }
            if let fallback { return fallback }
            throw fail("missing number key 'llama.\(key)'")
        }
        layerCount = try integer("block_count")
        width = try integer("embedding_length")
        headCount = try integer("attention.head_count")
        keyValueHeadCount = try integer("attention.head_count_kv", default: headCount)
        feedForwardWidth = try integer("feed_forward_length")
        rmsNormEpsilon = try real("attention.layer_norm_rms_epsilon", default: 1e-5)
        ropeBase = try real("rope.freq_base", default: 10_000)
        contextLength = try integer("context_length", default: 2048)
        guard let embedding = gguf.tensor("token_embd.weight") else { throw fail("no tensor 'token_embd.weight'") }
        guard embedding.rowMajorShape.count == 2, embedding.rowMajorShape[1] == width else {
            throw fail("'token_embd.weight' has shape \(embedding.rowMajorShape); expected [vocabulary, \(width)]")
        }
        vocabularySize = embedding.rowMajorShape[0]
        tiedOutput = gguf.tensor("output.weight") == nil
        ropeDimensions = (try? integer("rope.dimension_count")) ?? 0
        if ropeDimensions == 0 { ropeDimensions = headCount > 0 ? width / headCount : 0 }
        try validate(file: file)
    }

    func validate(file: String) throws {
        func fail(_ problem: String) -> LMError { .unsupportedModel(file: file, problem: problem) }
        guard layerCount > 0, layerCount <= 1024 else { throw fail("llama.block_count is \(layerCount); expected 1…1024") }
        guard width > 0, width <= 65_536 else { throw fail("llama.embedding_length is \(width); expected 1…65536") }
        guard headCount > 0, width % headCount == 0 else {
            throw fail("llama.attention.head_count \(headCount) does not divide the width \(width)")
        }
        guard keyValueHeadCount > 0, headCount % keyValueHeadCount == 0 else {
            throw fail("llama.attention.head_count_kv \(keyValueHeadCount) does not divide head_count \(headCount)")
        }
        guard headWidth % 2 == 0, ropeDimensions > 0, ropeDimensions <= headWidth, ropeDimensions % 2 == 0 else {
            throw fail("rope dimension count \(ropeDimensions) does not fit the head width \(headWidth)")
        }
        guard feedForwardWidth > 0, feedForwardWidth <= 1 << 20 else {
            throw fail("llama.feed_forward_length is \(feedForwardWidth); expected 1…1048576")
        }
        guard contextLength > 0 else { throw fail("llama.context_length is \(contextLength); expected > 0") }
        guard rmsNormEpsilon > 0, rmsNormEpsilon.isFinite, ropeBase > 0, ropeBase.isFinite else {
            throw fail("RMSNorm epsilon \(rmsNormEpsilon) or RoPE base \(ropeBase) is not a positive number")
        }
    }
}

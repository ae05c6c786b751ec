import SparkEngine

/// How the decoder rounds intermediate values.
///
/// `.reference` computes in Float32 throughout: the exact product of the stored weights, which a
/// float64 NumPy forward pass reproduces to about 1e-3 in the logits. `.llamaCompatible` computes
/// what llama.cpp's CPU backend (AVX2) computes, operation for operation: activations rounded to
/// 8-bit blocks before every quantised product, queries, keys and values in f16 (its default f16
/// KV cache), and its order of operations in RMSNorm, RoPE, flash attention and SiLU. The two differ
/// by a few tenths of a logit after 30 layers, which decides near-ties, so greedy text agrees
/// with llama.cpp only in the compatible mode, the default.
public struct DecoderNumerics: Sendable, Equatable, Codable {
    /// How activations enter quantised products.
    public var activations: ActivationPrecision
    /// Keys and values rounded to f16 (the KV cache holds f16 values), and queries too; with
    /// `llamaOperationOrder`, queries are rounded where llama.cpp rounds them, and its one-query
    /// attention kernel keeps the weighted value sum in f16.
    public var halfPrecisionAttention: Bool
    /// llama.cpp's order of operations and roundings where it differs from the plain formula:
    /// RMSNorm sums squares in Double; RoPE builds angles by repeated multiplication and rotates
    /// with FMAs; attention is computed key by key with an online softmax (flash attention);
    /// SiLU uses llama.cpp's SIMD exponential.
    public var llamaOperationOrder: Bool
    /// The thread count of the llama.cpp run to agree with (4, its default, is what llama-simple
    /// uses). It matters in one place: from position 256 on, llama.cpp's decode attention splits
    /// the keys into one chunk per thread and merges the chunks' results, which rounds
    /// differently for each thread count.
    public var llamaThreadCount: Int

    public init(activations: ActivationPrecision, halfPrecisionAttention: Bool, llamaOperationOrder: Bool = false,
                llamaThreadCount: Int = 4) {
        self.activations = activations; self.halfPrecisionAttention = halfPrecisionAttention
        self.llamaOperationOrder = llamaOperationOrder; self.llamaThreadCount = Swift.max(1, llamaThreadCount)
    }

    public static let reference = DecoderNumerics(activations: .float32, halfPrecisionAttention: false)
    public static let llamaCompatible = DecoderNumerics(activations: .int8Blocks, halfPrecisionAttention: true,
                                                        llamaOperationOrder: true)
}

import SparkEngine

/// How the decoder rounds intermediate values.
///
/// `.reference` computes in Float32 throughout: the exact product of the stored weights, which a
/// float64 NumPy forward pass reproduces to about 1e-3 in the logits. `.llamaCompatible` rounds
/// like llama.cpp's CPU backend: activations to 8-bit blocks before every quantised product, and
/// queries, keys and values to f16 in attention (llama.cpp's default f16 KV cache). The difference
/// is a few tenths of a logit after 30 layers; it decides near-ties, so greedy text agrees with
/// llama.cpp only in the compatible mode, which is the default.
public struct DecoderNumerics: Sendable, Equatable, Codable {
    public var activations: ActivationPrecision
    public var halfPrecisionAttention: Bool

    public init(activations: ActivationPrecision, halfPrecisionAttention: Bool) {
        self.activations = activations; self.halfPrecisionAttention = halfPrecisionAttention
    }

    public static let reference = DecoderNumerics(activations: .float32, halfPrecisionAttention: false)
    public static let llamaCompatible = DecoderNumerics(activations: .int8Blocks, halfPrecisionAttention: true)
}

/// The block-quantised weight formats the engine multiplies directly (ggml's block layouts).
///
/// Every format stores 32 weights per block:
/// - `q4_0`: f16 scale `d`, 16 bytes of nibbles; weight = d · (q − 8).
/// - `q4_1`: f16 scale `d`, f16 minimum `m`, 16 bytes of nibbles; weight = d · q + m.
/// - `q8_0`: f16 scale `d`, 32 signed bytes; weight = d · q.
/// In a nibble block, byte j holds weight j in its low nibble and weight j + 16 in its high nibble.
public enum QuantizedFormat: String, Sendable, CaseIterable {
    case q4_0, q4_1, q8_0

    public static let blockElements = 32

    public var bytesPerBlock: Int {
        switch self {
        case .q4_0: return 18
        case .q4_1: return 20
        case .q8_0: return 34
        }
    }
}

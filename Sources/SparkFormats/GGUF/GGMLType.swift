/// ggml's tensor element types, with the ids GGUF files store (ggml.h's `enum ggml_type`).
/// Quantised types pack `blockSize` elements into `bytesPerBlock` bytes; plain types have a block
/// of one element. Ids 4, 5, 31–33 and 36–38 belonged to layouts that ggml removed; a file that
/// uses them is refused as unknown.
public enum GGMLType: UInt32, Sendable, CaseIterable {
    case f32 = 0, f16 = 1, q4_0 = 2, q4_1 = 3, q5_0 = 6, q5_1 = 7, q8_0 = 8, q8_1 = 9
    case q2_K = 10, q3_K = 11, q4_K = 12, q5_K = 13, q6_K = 14, q8_K = 15
    case iq2_xxs = 16, iq2_xs = 17, iq3_xxs = 18, iq1_s = 19, iq4_nl = 20, iq3_s = 21, iq2_s = 22, iq4_xs = 23
    case i8 = 24, i16 = 25, i32 = 26, i64 = 27, f64 = 28, iq1_m = 29, bf16 = 30
    case tq1_0 = 34, tq2_0 = 35, mxfp4 = 39, nvfp4 = 40, q1_0 = 41, q2_0 = 42

    /// Elements per block (256 for the K-quants' super-blocks).
    public var blockSize: Int { GGMLType.layout[self]!.blockSize }

    /// Bytes one block occupies (from ggml-common.h's block structs).
    public var bytesPerBlock: Int { GGMLType.layout[self]!.bytes }

    /// The name ggml and gguf-py print: "F32", "Q4_1", "Q6_K", "IQ2_XXS" ...
    public var name: String { String(describing: self).uppercased() }

    /// Whether `GGMLDequantize` can turn this type into Float32.
    public var isSupportedForDequantisation: Bool {
        switch self {
        case .f32, .f16, .bf16, .q8_0, .q4_0, .q4_1, .q4_K, .q6_K: return true
        default: return false
        }
    }

    /// The types `GGMLDequantize` supports, as text for error messages.
    public static var dequantisableNames: String {
        allCases.filter(\.isSupportedForDequantisation).map(\.name).joined(separator: ", ")
    }

    private static let k = 256
    /// (elements per block, bytes per block), checked against gguf-py's GGML_QUANT_SIZES.
    private static let layout: [GGMLType: (blockSize: Int, bytes: Int)] = [
        .f32: (1, 4), .f16: (1, 2), .bf16: (1, 2), .f64: (1, 8),
        .i8: (1, 1), .i16: (1, 2), .i32: (1, 4), .i64: (1, 8),
        .q4_0: (32, 2 + 16), .q4_1: (32, 2 + 2 + 16), .q5_0: (32, 2 + 4 + 16), .q5_1: (32, 2 + 2 + 4 + 16),
        .q8_0: (32, 2 + 32), .q8_1: (32, 2 + 2 + 32),
        .q2_K: (k, 2 + 2 + k / 16 + k / 4), .q3_K: (k, 2 + k / 4 + k / 8 + 12), .q4_K: (k, 2 + 2 + k / 2 + 12),
        .q5_K: (k, 2 + 2 + k / 2 + k / 8 + 12), .q6_K: (k, 2 + k / 2 + k / 4 + k / 16), .q8_K: (k, 4 + k + k / 8),
        .iq2_xxs: (k, 2 + k / 4), .iq2_xs: (k, 2 + k / 4 + k / 32), .iq3_xxs: (k, 2 + k / 4 + k / 8),
        .iq1_s: (k, 2 + k / 8 + k / 16), .iq4_nl: (32, 2 + 16), .iq3_s: (k, 2 + k / 4 + k / 8 + k / 32 + 4),
        .iq2_s: (k, 2 + k / 4 + k / 16), .iq4_xs: (k, 2 + 2 + k / 2 + k / 64), .iq1_m: (k, k / 8 + k / 16 + k / 32),
        .tq1_0: (k, 2 + 4 * 13), .tq2_0: (k, 2 + 64), .mxfp4: (32, 1 + 16), .nvfp4: (64, 4 + 32),
        .q1_0: (128, 2 + 16), .q2_0: (64, 2 + 16),
    ]
}

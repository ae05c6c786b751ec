/// Where one tensor lives in a GGUF file and what it holds. Built only by the parser, after
/// checking that its bytes lie inside the file.
public struct GGUFTensorInfo: Sendable, Equatable {
    public let name: String
    public let type: GGMLType
    /// ggml order: `dimensions[0]` is the innermost (contiguous) one.
    public let dimensions: [Int]
    /// Absolute byte offset of the tensor's data in the file.
    public let offset: Int
    /// Bytes of data (whole blocks).
    public let byteCount: Int

    /// The dimensions outermost first, as numpy or PyTorch would give them:
    /// `token_embd.weight` with dimensions [576, 49152] has row-major shape [49152, 576].
    public var rowMajorShape: [Int] { dimensions.reversed() }

    public var elementCount: Int { dimensions.reduce(1, *) }

    /// Elements per row of the row-major matrix (the innermost dimension; 1 for a scalar).
    public var rowLength: Int { dimensions.first ?? 1 }

    /// Rows of the row-major matrix (every dimension but the innermost, multiplied).
    public var rowCount: Int { rowLength == 0 ? 0 : elementCount / rowLength }
}

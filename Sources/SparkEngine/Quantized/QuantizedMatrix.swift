/// A row-major matrix whose rows are stored as quantised blocks, borrowed from memory the caller
/// keeps alive (usually a memory-mapped GGUF file). Products read the blocks directly: decoding
/// one token is bound by memory bandwidth, so a dequantised Float copy would cost 5–6× the reads.
public struct QuantizedMatrix: @unchecked Sendable {
    public let format: QuantizedFormat
    public let rows: Int
    public let columns: Int
    /// The first byte of row 0; rows follow each other without padding.
    public let base: UnsafeRawPointer
    /// The same blocks in the interleaved layout (`InterleavedCopy`), when someone made them:
    /// the integer kernels and the Float mat-vec kernel then read these instead, about half the
    /// instructions per block.
    public let interleaved: UnsafeRawPointer?

    public var blocksPerRow: Int { columns / QuantizedFormat.blockElements }
    public var bytesPerRow: Int { blocksPerRow * format.bytesPerBlock }
    public var byteCount: Int { rows * bytesPerRow }

    /// `columns` must be a multiple of 32 and `base` must hold `rows × bytesPerRow` bytes.
    /// `interleaved`, when given, must hold `base`'s blocks as `allspark_interleave` writes them.
    public init(format: QuantizedFormat, rows: Int, columns: Int, base: UnsafeRawPointer, interleaved: UnsafeRawPointer? = nil) {
        precondition(columns % QuantizedFormat.blockElements == 0, "quantised rows must be a multiple of 32 wide, got \(columns)")
        self.format = format; self.rows = rows; self.columns = columns; self.base = base; self.interleaved = interleaved
    }

    public func row(_ r: Int) -> UnsafeRawPointer { base + r * bytesPerRow }
}

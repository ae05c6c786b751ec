import CQuantKernels
import Synchronization

/// A quantised matrix's blocks regrouped for the C kernels: four rows at a time, blocks in
/// pairs, each pair's f16 scales (and minimums) for the four rows side by side and two blocks'
/// nibbles in one 32-byte load (the layout is in CQuantKernels' header). Per block the kernel then
/// runs about half the instructions (21 → ~10, AVX2 Q4_1), and the results are bit for bit those of the GGUF's
/// own layout: the same integer lanes, the same Float operations in the same order.
///
/// The Float-activation mat-vec products read it too (`interleavedFloatProducts`), with the Swift
/// kernel's results bit for bit.
///
/// Why a copy and not a replacement: the batched Float32 products, the dequantisation for sgemm
/// and the embedding lookup read rows in the GGUF's layout. The copy is made on first use by a
/// mat-vec or integer product (`WeightMatrix`), costs as much memory again as the weights (96 MB
/// for SmolLM2-135M), and sits in huge pages like them.
public final class InterleavedCopy: @unchecked Sendable {
    private let memory: HugePageMemory

    /// nil when the matrix has no interleaved form (a row count that is not a multiple of 4) or
    /// the memory cannot be had; the kernels then read the GGUF's layout, as before.
    public init?(of matrix: QuantizedMatrix) {
        let started = ContinuousClock.now
        let bytes = allspark_interleaved_bytes(matrix.formatCode, matrix.rows, matrix.blocksPerRow)
        guard bytes > 0, let memory = HugePageMemory(count: bytes) else { return nil }
        defer {
            let elapsed = ContinuousClock.now - started
            Self.bytesMade.add(bytes, ordering: .relaxed)
            Self.nanosecondsMaking.add(Int(elapsed.components.seconds) * 1_000_000_000 + Int(elapsed.components.attoseconds / 1_000_000_000),
                                       ordering: .relaxed)
        }
        self.memory = memory
        let groups = matrix.rows / 4, threads = EngineThreads.count
        let perChunk = (groups + threads - 1) / threads
        let out = memory.start
        EngineThreads.parallelFor(chunks: threads) { c in
            let begin = c * perChunk, end = Swift.min(groups, begin + perChunk)
            if begin < end { _ = allspark_interleave(matrix.formatCode, matrix.base, matrix.blocksPerRow, begin, end, out) }
        }
        memory.makeReadOnly()
    }

    /// `matrix` (the one this was made from) reading its integer products from this copy, which
    /// must outlive every use of the result.
    public func attached(to matrix: QuantizedMatrix) -> QuantizedMatrix {
        QuantizedMatrix(format: matrix.format, rows: matrix.rows, columns: matrix.columns, base: matrix.base,
                        interleaved: UnsafeRawPointer(memory.start))
    }

    public var byteCount: Int { memory.count }

    /// Every copy this process made: their bytes, and the wall time spent making them (what
    /// `allspark bench llm` reports as the copies' price).
    public static let bytesMade = Atomic<Int>(0)
    public static let nanosecondsMaking = Atomic<Int>(0)
}

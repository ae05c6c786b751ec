import SparkEngine
import Synchronization

/// A quantised weight matrix as the mat-vec kernels read it: with its interleaved copy
/// (`InterleavedCopy`), made the first time it is multiplied one or two vectors at a time, or in
/// the llama.cpp-compatible numerics — decoding, in either numerics. A model that only runs
/// batched Float passes (training, `bench pipeline`: dequantisation and sgemm, which read the
/// GGUF's layout) never pays its memory. One per matrix, shared by every copy of its
/// `WeightMatrix`; the first caller makes the copy while any other waits, and every caller after
/// that only takes the lock.
final class InterleavedLayoutCache: Sendable {
    private enum State: Sendable {
        case notMade
        case made(InterleavedCopy?)
    }

    private let state = Mutex<State>(.notMade)

    /// Whether products use the interleaved copies. Off, they read the GGUF's layout, as before
    /// 2026-12-07: `allspark bench llm --ggml-layout` measures the two side by side.
    static let enabled = Atomic<Bool>(true)

    /// `matrix` with its interleaved copy attached, made now if this is the first call; `matrix`
    /// as it is when interleaving is off or impossible (a row count not a multiple of 4).
    func matrixWithInterleavedCopy(_ matrix: QuantizedMatrix) -> QuantizedMatrix {
        guard Self.enabled.load(ordering: .relaxed) else { return matrix }
        let copy: InterleavedCopy? = state.withLock { state in
            if case .made(let copy) = state { return copy }
            let copy = InterleavedCopy(of: matrix)
            state = .made(copy)
            return copy
        }
        return copy?.attached(to: matrix) ?? matrix
    }
}

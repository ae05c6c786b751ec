import SparkEngine
import Synchronization

/// A quantised weight matrix as the C kernels read it: with its interleaved copy
/// (`InterleavedCopy`), made the first time the llama.cpp-compatible numerics multiply it, or the
/// `floatUsesBeforeCopy`-th time a Float mat-vec product (decoding in the reference numerics)
/// does. A model that only runs batched Float passes (training, `bench pipeline`: dequantisation
/// and sgemm, which read the GGUF's layout) never pays its memory. One per matrix, shared by every
/// copy of its `WeightMatrix`; the first caller makes the copy while any other waits, and every
/// caller after that only takes the lock.
///
/// Why Float decoding waits: making the copies of SmolLM2-135M (92 MB) took 54–80 ms on the AMD
/// EPYC Zen 4 (`bench llm` prints it), and each token decoded from them saves about 2 ms (120 →
/// 160 tokens/s there), so they pay for themselves after some 25–40 tokens. The trained
/// pipeline's answers are often five tokens; longer generations make the copies on the way. The
/// products are the same bit for bit either way, so switching layout in the middle of a
/// generation changes nothing. The compatible numerics make the copy at once: their prefill
/// reads it too, and chat replies are long.
final class InterleavedLayoutCache: Sendable {
    private enum State: Sendable {
        case notMade(floatUses: Int)
        case made(InterleavedCopy?)
    }

    private let state = Mutex<State>(.notMade(floatUses: 0))

    /// Float mat-vec products that read the GGUF's layout before the copy is made.
    static let floatUsesBeforeCopy = 32

    /// Whether products use the interleaved copies. Off, they read the GGUF's layout, as before
    /// 2026-12-07: `allspark bench llm --ggml-layout` measures the two side by side.
    static let enabled = Atomic<Bool>(true)

    /// `matrix` with its interleaved copy attached, made now if it is due (at once for `.int8Blocks`,
    /// at the `floatUsesBeforeCopy`-th call for `.float32`); `matrix` as it is before that, or when
    /// interleaving is off or impossible (a row count not a multiple of 4).
    func matrixWithInterleavedCopy(_ matrix: QuantizedMatrix, for activations: ActivationPrecision) -> QuantizedMatrix {
        guard Self.enabled.load(ordering: .relaxed) else { return matrix }
        let copy: InterleavedCopy? = state.withLock { state in
            switch state {
            case .made(let copy):
                return copy
            case .notMade(let floatUses):
                if activations == .float32, floatUses + 1 < Self.floatUsesBeforeCopy {
                    state = .notMade(floatUses: floatUses + 1)
                    return nil
                }
                let copy = InterleavedCopy(of: matrix)
                state = .made(copy)
                return copy
            }
        }
        return copy?.attached(to: matrix) ?? matrix
    }

    /// Whether the copy exists (tests).
    var hasCopy: Bool {
        state.withLock { state in
            if case .made(let copy) = state { return copy != nil }
            return false
        }
    }
}

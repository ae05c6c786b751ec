/// The activation buffers of one forward pass: the residual stream `x`, the normed rows `h`, the
/// queries, the attention output, its projection, the gate and up rows, and one head's scores.
///
/// The decoder keeps one set between passes and grows it, never shrinks it, so decoding a token
/// allocates nothing once the first tokens have sized it (`DecodeAllocationTests`). Passes longer
/// than `keptRows` (a long prompt's prefill) get a set of their own, freed when the pass ends: a
/// prefill of 2,048 positions would otherwise leave about 50 MB behind for the life of the model.
/// Contents are not cleared between passes: every kernel writes a buffer before it is read.
final class DecoderActivations {
    static let keptRows = 64

    let width: Int
    let feedForwardWidth: Int
    private(set) var rowCapacity = 0
    private(set) var scoreCapacity = 0
    /// `[rows × width]`
    private(set) var x, h, q, attended, projected: UnsafeMutablePointer<Float>
    /// `[rows × feedForwardWidth]`
    private(set) var gate, up: UnsafeMutablePointer<Float>
    /// One head's `[rows × keys]` attention scores.
    private(set) var scores: UnsafeMutablePointer<Float>

    init(width: Int, feedForwardWidth: Int) {
        self.width = width; self.feedForwardWidth = feedForwardWidth
        x = .allocate(capacity: 0); h = .allocate(capacity: 0); q = .allocate(capacity: 0)
        attended = .allocate(capacity: 0); projected = .allocate(capacity: 0)
        gate = .allocate(capacity: 0); up = .allocate(capacity: 0); scores = .allocate(capacity: 0)
    }

    deinit { [x, h, q, attended, projected, gate, up, scores].forEach { $0.deallocate() } }

    /// Makes room for a pass of `rows` rows whose attention needs `scoreCount` score floats.
    /// Scores grow at least by doubling: a decoded token in the reference numerics needs one more
    /// each time, and should not reallocate each time.
    func reserve(rows: Int, scoreCount: Int) {
        if rows > rowCapacity {
            [x, h, q, attended, projected, gate, up].forEach { $0.deallocate() }
            x = .allocate(capacity: rows * width); h = .allocate(capacity: rows * width)
            q = .allocate(capacity: rows * width); attended = .allocate(capacity: rows * width)
            projected = .allocate(capacity: rows * width)
            gate = .allocate(capacity: rows * feedForwardWidth); up = .allocate(capacity: rows * feedForwardWidth)
            rowCapacity = rows
        }
        if scoreCount > scoreCapacity {
            scores.deallocate()
            scoreCapacity = Swift.max(scoreCount, 2 * scoreCapacity)
            scores = .allocate(capacity: scoreCapacity)
        }
    }

    /// A copy of the residual stream's first `rows` rows.
    func residual(rows: Int) -> [Float] { Array(UnsafeBufferPointer(start: x, count: rows * width)) }
}

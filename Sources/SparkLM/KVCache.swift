/// Keys and values of every position seen so far, per layer, rows of `keyValueWidth` floats.
/// Grows by doubling up to the model's context length, so a short chat does not reserve the
/// whole context (8192 positions × 30 layers would be 377 MB for SmolLM2).
public final class KVCache {
    public let layerCount: Int
    public let rowWidth: Int
    public let maximumLength: Int
    /// Positions stored (the next position to be written).
    public private(set) var count = 0
    private(set) var capacity = 0
    private var keys: [UnsafeMutablePointer<Float>] = []
    private var values: [UnsafeMutablePointer<Float>] = []
    /// The Lynx adapters every pass over this cache runs with, when they are not the decoder's own
    /// (`LlamaDecoder.adapters`): a modality with its own adapter set. They belong to the cache
    /// because its keys and values were computed with them — a continuation must use the same set.
    public var adapters: [Int: LynxAdapter]?

    public init(configuration: LlamaConfiguration, maximumLength: Int? = nil) {
        layerCount = configuration.layerCount
        rowWidth = configuration.keyValueWidth
        self.maximumLength = Swift.min(maximumLength ?? configuration.contextLength, configuration.contextLength)
    }

    deinit { release() }

    private func release() {
        keys.forEach { $0.deallocate() }
        values.forEach { $0.deallocate() }
        keys = []; values = []; capacity = 0
    }

    /// Makes room for `length` positions in total; throws when that exceeds the context.
    func reserve(_ length: Int) throws {
        guard length <= maximumLength else {
            throw LMError.invalidInput("the sequence needs \(length) positions; the context holds \(maximumLength)")
        }
        if length <= capacity { return }
        let newCapacity = Swift.min(maximumLength, Swift.max(length, Swift.max(256, capacity * 2)))
        var newKeys: [UnsafeMutablePointer<Float>] = [], newValues: [UnsafeMutablePointer<Float>] = []
        for layer in 0..<layerCount {
            let k = UnsafeMutablePointer<Float>.allocate(capacity: newCapacity * rowWidth)
            let v = UnsafeMutablePointer<Float>.allocate(capacity: newCapacity * rowWidth)
            if count > 0 {
                k.update(from: keys[layer], count: count * rowWidth)
                v.update(from: values[layer], count: count * rowWidth)
            }
            newKeys.append(k); newValues.append(v)
        }
        let kept = count
        release()
        keys = newKeys; values = newValues; capacity = newCapacity; count = kept
    }

    func keys(layer: Int) -> UnsafeMutablePointer<Float> { keys[layer] }
    func values(layer: Int) -> UnsafeMutablePointer<Float> { values[layer] }

    /// Marks `n` more positions as written (after every layer has stored them).
    func advance(by n: Int) { count += n }

    /// Forgets positions from `length` on (to re-run from a shared prefix).
    public func truncate(to length: Int) {
        count = Swift.max(0, Swift.min(count, length))
    }

    /// Forgets everything.
    public func reset() { count = 0 }
}

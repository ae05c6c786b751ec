import Foundation
import Synchronization

/// A flag another thread (a signal handler's watcher, the TUI's key loop) sets to stop a
/// generation between tokens.
public final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public func cancel() { flag.store(true, ordering: .relaxed) }
    public func reset() { flag.store(false, ordering: .relaxed) }
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// Why a generation ended.
public enum StopReason: String, Sendable, Codable {
    case endOfGeneration = "end-of-generation token"
    case maxTokens = "max tokens"
    case cancelled
    case contextFull = "context full"
}

/// One generated token, as streamed to the caller.
public struct GenerationStep: Sendable {
    public var index: Int
    public var token: Int32
    /// The most likely next tokens at this step (temperature 1), when requested.
    public var candidates: [TokenProbability]
}

/// The outcome of `LlamaDecoder.generate`.
public struct GenerationResult: Sendable {
    public var tokens: [Int32]
    public var promptLength: Int
    public var stopReason: StopReason
    public var prefillSeconds: Double
    public var decodeSeconds: Double
    /// Top candidates per step (empty unless requested).
    public var candidates: [[TokenProbability]]

    public var prefillTokensPerSecond: Double { prefillSeconds > 0 ? Double(promptLength) / prefillSeconds : 0 }
    /// Decode rate over the tokens after the first (the first comes from the prefill's logits).
    public var decodeTokensPerSecond: Double {
        decodeSeconds > 0 && tokens.count > 1 ? Double(tokens.count - 1) / decodeSeconds : 0
    }
}

extension LlamaDecoder {
    /// Prefills `prompt` in one batched pass, then decodes one token at a time until a stop token,
    /// `maxTokens`, the context limit, or `cancel`. `onToken` sees each token as it is chosen.
    ///
    /// With `initialLogits`, the prompt is taken to be in `cache` already (an earlier forward pass
    /// produced those logits at its last position), `prompt` must be empty, and nothing is prefilled.
    public func generate<G: RandomNumberGenerator>(
        prompt: [DecoderInput], maxTokens: Int, stopTokens: Set<Int32>, sampler: inout Sampler<G>,
        cache: KVCache? = nil, initialLogits: [Float]? = nil, history initialHistory: [Int32] = [],
        topCandidates: Int = 0, cancel: CancellationFlag? = nil,
        onToken: (GenerationStep) -> Void = { _ in }
    ) throws -> GenerationResult {
        let cache = cache ?? makeCache()
        guard maxTokens >= 0 else { throw LMError.invalidInput("max tokens must be ≥ 0, got \(maxTokens)") }
        let contextLimit = cache.maximumLength
        guard cache.count + prompt.count <= contextLimit else {
            throw LMError.invalidInput("the prompt is \(cache.count + prompt.count) positions long; the context holds \(contextLimit)")
        }
        precondition(initialLogits == nil || prompt.isEmpty, "generate: give either a prompt or initial logits")
        var history = initialHistory + prompt.compactMap { if case .token(let id) = $0 { return id } else { return nil } }
        var tokens: [Int32] = [], candidates: [[TokenProbability]] = []
        // Room for every token this call can make, so that a decoded token allocates nothing.
        let room = Swift.min(maxTokens, contextLimit - cache.count - prompt.count + 1)
        tokens.reserveCapacity(room); history.reserveCapacity(history.count + room)
        let prefillStart = DispatchTime.now().uptimeNanoseconds
        var logits = try initialLogits ?? forward(prompt, cache: cache).logits
        let prefillSeconds = Double(DispatchTime.now().uptimeNanoseconds - prefillStart) / 1e9
        let decodeStart = DispatchTime.now().uptimeNanoseconds
        var reason = StopReason.maxTokens
        while tokens.count < maxTokens {
            if cancel?.isCancelled == true { reason = .cancelled; break }
            let top = topCandidates > 0 ? Sampler<G>.topProbabilities(logits, k: topCandidates) : []
            let token = sampler.next(logits: logits, history: history)
            tokens.append(token); history.append(token)
            if topCandidates > 0 { candidates.append(top) }
            onToken(GenerationStep(index: tokens.count - 1, token: token, candidates: top))
            if stopTokens.contains(token) { reason = .endOfGeneration; break }
            if tokens.count == maxTokens { break }
            if cache.count >= contextLimit { reason = .contextFull; break }
            if cancel?.isCancelled == true { reason = .cancelled; break }
            try decode(token, cache: cache, logits: &logits)
        }
        let decodeSeconds = Double(DispatchTime.now().uptimeNanoseconds - decodeStart) / 1e9
        return GenerationResult(tokens: tokens, promptLength: prompt.count, stopReason: reason,
                                prefillSeconds: prefillSeconds, decodeSeconds: decodeSeconds, candidates: candidates)
    }
}

import Foundation

/// How the next token is chosen. `temperature == 0` is greedy (argmax); the filters apply in
/// llama.cpp's order: repetition penalty, top-k, top-p, min-p, temperature, then a draw.
public struct SamplingSettings: Sendable, Equatable, Codable {
    public var temperature: Float = 0
    /// Keep the k most likely tokens (0: off).
    public var topK: Int = 40
    /// Keep the smallest set whose probability reaches p (1: off).
    public var topP: Float = 0.95
    /// Drop tokens less likely than minP × the most likely one (0: off).
    public var minP: Float = 0.05
    /// Divide positive logits (multiply negative ones) of recent tokens by this (1: off).
    public var repetitionPenalty: Float = 1
    /// How many recent tokens the penalty looks at.
    public var repetitionWindow: Int = 64
    public var seed: UInt64 = 42

    public init(temperature: Float = 0, topK: Int = 40, topP: Float = 0.95, minP: Float = 0.05,
                repetitionPenalty: Float = 1, repetitionWindow: Int = 64, seed: UInt64 = 42) {
        self.temperature = temperature; self.topK = topK; self.topP = topP; self.minP = minP
        self.repetitionPenalty = repetitionPenalty; self.repetitionWindow = repetitionWindow; self.seed = seed
    }

    public static let greedy = SamplingSettings()

    /// Checks ranges; the message names the setting and its allowed values.
    public func validated() throws -> SamplingSettings {
        func bad(_ text: String) -> LMError { .invalidInput(text) }
        guard temperature >= 0, temperature.isFinite else { throw bad("temperature must be ≥ 0, got \(temperature)") }
        guard topK >= 0 else { throw bad("top-k must be ≥ 0 (0 = off), got \(topK)") }
        guard topP > 0, topP <= 1 else { throw bad("top-p must be in (0, 1], got \(topP)") }
        guard minP >= 0, minP < 1 else { throw bad("min-p must be in [0, 1), got \(minP)") }
        guard repetitionPenalty > 0, repetitionPenalty.isFinite else { throw bad("repetition penalty must be > 0, got \(repetitionPenalty)") }
        guard repetitionWindow >= 0 else { throw bad("repetition window must be ≥ 0, got \(repetitionWindow)") }
        return self
    }

    /// One line for display: "greedy" or "temp 0.8, top-k 40, top-p 0.95, min-p 0.05, seed 42".
    public var summary: String {
        var parts: [String] = []
        if temperature == 0 { parts.append("greedy") } else {
            parts.append("temp \(temperature)")
            if topK > 0 { parts.append("top-k \(topK)") }
            if topP < 1 { parts.append("top-p \(topP)") }
            if minP > 0 { parts.append("min-p \(minP)") }
            parts.append("seed \(seed)")
        }
        if repetitionPenalty != 1 { parts.append("repeat-penalty \(repetitionPenalty)") }
        return parts.joined(separator: ", ")
    }
}

/// A token and its probability.
public struct TokenProbability: Sendable, Equatable, Codable {
    public var token: Int32
    public var probability: Float
    public init(token: Int32, probability: Float) { self.token = token; self.probability = probability }
}

/// Picks tokens from logits according to `SamplingSettings`, with its own seeded generator so the
/// same seed gives the same text.
public struct Sampler<Generator: RandomNumberGenerator> {
    public let settings: SamplingSettings
    var generator: Generator

    public init(settings: SamplingSettings, generator: Generator) {
        self.settings = settings; self.generator = generator
    }

    /// The next token given the logits and the tokens so far (for the repetition penalty).
    public mutating func next(logits: [Float], history: [Int32]) -> Int32 {
        var logits = logits
        if settings.repetitionPenalty != 1 {
            for token in Set(history.suffix(settings.repetitionWindow)) where Int(token) < logits.count && token >= 0 {
                let i = Int(token)
                logits[i] = logits[i] > 0 ? logits[i] / settings.repetitionPenalty : logits[i] * settings.repetitionPenalty
            }
        }
        if settings.temperature == 0 { return Self.argmax(logits) }

        // Candidates sorted by logit (descending; ties: lower id first).
        var candidates = Self.topCandidates(logits, k: settings.topK > 0 ? settings.topK : logits.count)
        var probabilities = Self.softmax(candidates.map { logits[Int($0)] })
        if settings.topP < 1 {
            var cumulative: Float = 0, keep = 0
            for p in probabilities { cumulative += p; keep += 1; if cumulative >= settings.topP { break } }
            candidates.removeSubrange(keep...); probabilities.removeSubrange(keep...)
        }
        if settings.minP > 0, let best = probabilities.first {
            let keep = probabilities.firstIndex { $0 < settings.minP * best } ?? probabilities.count
            candidates.removeSubrange(Swift.max(1, keep)...); probabilities.removeSubrange(Swift.max(1, keep)...)
        }
        let weights = Self.softmax(candidates.map { logits[Int($0)] / settings.temperature })
        // 53 random bits → [0, 1), computed here rather than by Double.random(in:using:), whose
        // algorithm the standard library does not promise to keep: same seed, same text, always.
        let draw = Float(Double(generator.next() >> 11) * 0x1p-53)
        var cumulative: Float = 0
        for (token, w) in zip(candidates, weights) {
            cumulative += w
            if draw < cumulative { return token }
        }
        return candidates.last!
    }

    public static func argmax(_ logits: [Float]) -> Int32 {
        var best = 0
        for i in 1..<logits.count where logits[i] > logits[best] { best = i }
        return Int32(best)
    }

    /// Ids of the k largest logits, largest first; equal logits keep the lower id first.
    public static func topCandidates(_ logits: [Float], k: Int) -> [Int32] {
        let k = Swift.min(k, logits.count)
        if k == logits.count {
            return logits.indices.sorted { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }.map { Int32($0) }
        }
        // Partial selection: keep a sorted buffer of k; fine for k ≪ vocabulary.
        var best: [Int] = []
        best.reserveCapacity(k + 1)
        for i in logits.indices {
            let v = logits[i]
            if best.count == k, let last = best.last, !(v > logits[last]) { continue }
            var lo = 0, hi = best.count
            while lo < hi { let mid = (lo + hi) / 2; if logits[best[mid]] >= v { lo = mid + 1 } else { hi = mid } }
            best.insert(i, at: lo)
            if best.count > k { best.removeLast() }
        }
        return best.map { Int32($0) }
    }

    static func softmax(_ values: [Float]) -> [Float] {
        guard let m = values.max() else { return [] }
        let e = values.map { exp($0 - m) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }

    /// The k most probable tokens under softmax(logits) (temperature 1), for inspection.
    public static func topProbabilities(_ logits: [Float], k: Int) -> [TokenProbability] {
        guard let m = logits.max() else { return [] }
        var sum: Double = 0
        for v in logits { sum += Double(exp(v - m)) }
        return topCandidates(logits, k: k).map { TokenProbability(token: $0, probability: Float(Double(exp(logits[Int($0)] - m)) / sum)) }
    }
}

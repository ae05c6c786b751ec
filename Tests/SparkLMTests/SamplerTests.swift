import Testing
@testable import SparkLM

/// A fixed sequence of random words, so a sampler's draws are known in advance.
struct ScriptedGenerator: RandomNumberGenerator {
    var words: [UInt64]
    var index = 0
    mutating func next() -> UInt64 { defer { index += 1 }; return words[index % words.count] }
}

struct SamplerTests {
    let logits: [Float] = [1.0, 3.0, 2.0, 3.0, -1.0]   // ids 1 and 3 tie for the top

    @Test func greedyTakesTheLowestIdAmongTies() {
        var sampler = Sampler(settings: .greedy, generator: ScriptedGenerator(words: [0]))
        #expect(sampler.next(logits: logits, history: []) == 1)
    }

    @Test func topCandidatesAreSortedAndStable() {
        #expect(Sampler<ScriptedGenerator>.topCandidates(logits, k: 3) == [1, 3, 2])
        #expect(Sampler<ScriptedGenerator>.topCandidates(logits, k: 5) == [1, 3, 2, 0, 4])
    }

    @Test func topProbabilitiesAreTheSoftmax() {
        // softmax([1,3,2,3,-1]): exp values e^1, e^3, e^2, e^3, e^-1, computed by hand:
        // sum = 2.71828 + 20.0855 + 7.38906 + 20.0855 + 0.36788 = 50.6462
        let top = Sampler<ScriptedGenerator>.topProbabilities(logits, k: 2)
        #expect(top.map(\.token) == [1, 3])
        #expect(abs(top[0].probability - 20.0855 / 50.6462) < 1e-4)
    }

    @Test func repetitionPenaltyDemotesRecentTokens() {
        var settings = SamplingSettings.greedy
        settings.repetitionPenalty = 2   // logit 3 of id 1 becomes 1.5; id 3 wins
        var sampler = Sampler(settings: settings, generator: ScriptedGenerator(words: [0]))
        #expect(sampler.next(logits: logits, history: [1]) == 3)
    }

    @Test func topKOneIsGreedyWhateverTheDraw() {
        let settings = SamplingSettings(temperature: 1.5, topK: 1, topP: 1, minP: 0)
        var sampler = Sampler(settings: settings, generator: ScriptedGenerator(words: [UInt64.max, 0, 1 << 63]))
        for _ in 0..<3 { #expect(sampler.next(logits: [0, 5, 1], history: []) == 1) }
    }

    @Test func drawsFollowTheCumulativeDistribution() {
        // Two candidates, logits 0 and 0 at temperature 1: probabilities ½, ½.
        // The draw is the top 53 bits / 2^53: word 0 → 0.0 (first token), a word with the top bit
        // set → ≥ 0.5 (second token).
        let settings = SamplingSettings(temperature: 1, topK: 0, topP: 1, minP: 0)
        var sampler = Sampler(settings: settings, generator: ScriptedGenerator(words: [0, 1 << 63]))
        #expect(sampler.next(logits: [0, 0], history: []) == 0)
        #expect(sampler.next(logits: [0, 0], history: []) == 1)
    }

    @Test func minPAndTopPCutTheTail() {
        // Probabilities ≈ [0.6652, 0.2447, 0.0900]; top-p 0.6 keeps only the first.
        let topP = SamplingSettings(temperature: 1, topK: 0, topP: 0.6, minP: 0)
        var a = Sampler(settings: topP, generator: ScriptedGenerator(words: [UInt64.max]))
        #expect(a.next(logits: [2, 1, 0], history: []) == 0)
        // min-p 0.2: keep tokens with p ≥ 0.2 · 0.6652 = 0.133 → ids 0 and 1; the last draw picks id 1.
        let minP = SamplingSettings(temperature: 1, topK: 0, topP: 1, minP: 0.2)
        var b = Sampler(settings: minP, generator: ScriptedGenerator(words: [UInt64.max]))
        #expect(b.next(logits: [2, 1, 0], history: []) == 1)
    }

    @Test func invalidSettingsNameTheSetting() {
        #expect(throws: LMError.self) { try SamplingSettings(temperature: -1).validated() }
        do { _ = try SamplingSettings(topP: 0).validated() } catch { #expect("\(error)".contains("top-p")) }
    }
}

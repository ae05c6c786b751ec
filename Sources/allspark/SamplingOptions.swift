import ArgumentParser
import SparkLM

/// The sampling flags shared by `chat`, `run` and `repl`, named as in llama.cpp's CLI.
struct SamplingOptions: ParsableArguments {
    @Option(name: .customLong("temp"), help: "Temperature; 0 is greedy (always the most likely token).")
    var temperature: Float = 0

    @Option(name: .customLong("top-k"), help: "Keep only the k most likely tokens (0: off).")
    var topK: Int = 40

    @Option(name: .customLong("top-p"), help: "Keep the smallest set of tokens whose probability reaches p (1: off).")
    var topP: Float = 0.95

    @Option(name: .customLong("min-p"), help: "Drop tokens less likely than min-p × the most likely one (0: off).")
    var minP: Float = 0.05

    @Option(name: .customLong("repeat-penalty"), help: "Penalty for tokens among the last 64 (1: off).")
    var repeatPenalty: Float = 1

    @Option(help: "Seed of the sampler: the same seed gives the same text.")
    var seed: UInt64 = 42

    var settings: SamplingSettings {
        get throws {
            try SamplingSettings(temperature: temperature, topK: topK, topP: topP, minP: minP,
                                 repetitionPenalty: repeatPenalty, seed: seed).validated()
        }
    }
}

import Foundation
import Testing
import SparkLM

/// The acceptance test for the language model (item 8): greedy generations in the
/// llama.cpp-compatible numerics agree with llama.cpp's `llama-simple` on the same GGUF — at least
/// 9 of the 12 prompts identical over 64 new tokens, and wherever one differs, the first differing
/// step is a near-tie in our model (top-2 probabilities within 2 percentage points).
///
/// The references were recorded with llama.cpp built from the llama-cpp-python 0.3.36 source
/// archive (GCC 12, -O3 -march=native, AVX2+FMA+F16C, CPU backend, 4 threads, flash attention on,
/// f16 KV cache) by a program running examples/simple's greedy loop through llama.h, whose text
/// was checked identical to `llama-simple -m MODEL -n 64 PROMPT` for every prompt. Prompt ids are
/// llama.cpp's tokenisation (add_special, parse_special; this vocabulary adds no BOS). Chat
/// prompts are ChatML with SmolLM's default system prompt. Generations end after 64 tokens or at an
/// end-of-generation token (`stoppedAt`, not included in `generated`). Literals printed by
/// scripts/reference/llama_cpp_references.py.
struct LlamaAgreementTests {
    struct Reference {
        let name: String
        let prompt: [Int32]
        let generated: [Int32]
        let stoppedAt: Int32?
    }

    static let references: [Reference] = [
        .init(name: "plain_capital", prompt: [504, 3575, 282, 4649, 314],
              generated: [7042, 30, 198, 198, 504, 1797, 1918, 553, 253, 2155, 282, 4723, 216, 35, 34, 33, 2215, 701, 30, 198, 198, 504, 1797, 1918, 553, 253, 2155, 282, 4723, 216, 35, 33, 33, 2215, 701, 30, 198, 198, 504, 1797, 1918, 553, 253, 2155, 282, 4723, 216, 35, 33, 33, 2215, 701, 30, 198, 198, 504, 1797, 1918, 553, 253, 2155, 282, 4723, 216],
              stoppedAt: nil),
        .init(name: "plain_code", prompt: [1604, 3987, 46477, 24, 94, 727],
              generated: [472, 585, 304, 1758, 216, 32, 42, 448, 1003, 216, 33, 472, 1003, 2822, 24, 38572, 46477, 24, 94, 731, 216, 33, 25, 1232, 216, 33, 28, 304, 25, 198, 198, 19, 4246, 260, 1517, 198, 3272, 24, 38572, 46477, 24, 33, 32, 1292, 216, 907, 21367, 42, 216, 35, 35, 35, 198, 3725, 198, 198, 788, 451, 2909, 28, 392, 722, 253, 35881],
              stoppedAt: nil),
        .init(name: "plain_list", prompt: [4590, 314, 253, 1398, 282, 5574, 42, 198, 33, 30],
              generated: [12619, 3231, 198, 34, 30, 10910, 198, 35, 30, 4924, 432, 198, 36, 30, 19923, 198, 37, 30, 2820, 554, 198, 38, 30, 38766, 198, 39, 30, 4924, 432, 25403, 198, 40, 30, 37756, 9500, 198, 41, 30, 10062, 9500, 198, 33, 32, 30, 10910, 198, 33, 33, 30, 4924, 432, 198, 33, 34, 30, 19923, 198, 33, 35, 30, 10910, 198, 33, 36],
              stoppedAt: nil),
        .init(name: "plain_story", prompt: [6403, 1980, 253, 655, 28, 281, 253, 1165, 6560, 28],
              generated: [665, 436, 253, 9357, 1573, 267, 19341, 3365, 3906, 103, 266, 30, 3906, 103, 266, 436, 253, 4163, 282, 9019, 284, 761, 253, 986, 2537, 37722, 30, 909, 4161, 281, 253, 11637, 10000, 411, 253, 11637, 282, 40105, 274, 42081, 30, 198, 198, 13793, 103, 266, 761, 253, 7388, 3365, 330, 5484, 28, 617, 436, 253, 3953, 284, 1942, 8180, 30, 2306, 436, 253],
              stoppedAt: nil),
        .init(name: "plain_question", prompt: [65, 42, 4896, 314, 260, 6376, 4461, 47, 198, 49, 42],
              generated: [378, 2988, 314, 42, 378, 6376, 314, 4461, 975, 282, 253, 980, 1217, 13739, 43464, 24484, 30, 198, 50, 42, 378, 2988, 314, 42, 378, 6376, 314, 4461, 975, 282, 253, 980, 1217, 13739, 43464, 24484, 30, 198, 51, 42, 378, 2988, 314, 42, 378, 6376, 314, 4461, 975, 282, 253, 980, 1217, 13739, 43464, 24484, 30, 198, 52, 42, 378, 2988, 314, 42],
              stoppedAt: nil),
        .init(name: "plain_numbers", prompt: [33, 28, 216, 33, 28, 216, 34, 28, 216, 35, 28, 216, 37, 28, 216, 40, 28, 216, 33, 35, 28],
              generated: [216, 33, 38, 28, 216, 34, 32, 28, 216, 34, 37, 28, 216, 35, 32, 28, 216, 35, 38, 28, 216, 36, 34, 28, 216, 36, 41, 28, 216, 37, 37, 28, 216, 38, 33, 28, 216, 38, 39, 28, 216, 39, 34, 28, 216, 39, 38, 28, 216, 40, 33, 28, 216, 41, 33, 28, 216, 33, 32, 34, 28, 216, 33, 32],
              stoppedAt: nil),
        .init(name: "chat_capital", prompt: [1, 9690, 198, 2683, 359, 253, 5356, 5646, 11173, 3365, 3511, 308, 34519, 28, 7018, 411, 407, 19712, 8182, 2, 198, 1, 4093, 198, 1780, 314, 260, 3575, 282, 4649, 47, 2, 198, 1, 520, 9531, 198],
              generated: [60, 23, 39614, 1141, 552, 28, 2618, 2828, 313, 7712, 769, 28, 2618, 2849, 1558, 26261, 11708, 46767, 28, 2618, 2849, 1558, 26261, 11708, 46767, 30, 5145, 2849, 1558, 26261, 11708, 46767, 28, 2618, 2849, 1558, 26261, 11708, 46767, 28, 2618, 2849, 1558, 26261, 11708, 46767, 30, 5145, 2849, 1558, 26261, 11708, 46767, 28, 2618, 2849, 1558, 26261, 11708, 46767, 28, 2618, 2849, 1558],
              stoppedAt: nil),
        .init(name: "chat_haiku", prompt: [1, 9690, 198, 2683, 359, 253, 5356, 5646, 11173, 3365, 3511, 308, 34519, 28, 7018, 411, 407, 19712, 8182, 2, 198, 1, 4093, 198, 19161, 253, 421, 30614, 563, 260, 5065, 30, 2, 198, 1, 520, 9531, 198],
              generated: [788, 260, 16862, 282, 260, 5065, 28, 253, 13879, 6122, 28, 198, 49, 9154, 8664, 28, 253, 9154, 8664, 28, 198, 49, 8664, 338, 314, 441, 288, 325, 6090, 28, 198, 49, 8664, 338, 314, 441, 288, 325, 6090, 30],
              stoppedAt: 2),
        .init(name: "chat_neural", prompt: [1, 9690, 198, 2683, 359, 253, 5356, 5646, 11173, 3365, 3511, 308, 34519, 28, 7018, 411, 407, 19712, 8182, 2, 198, 1, 4093, 198, 36971, 732, 253, 8844, 3082, 314, 281, 582, 6330, 30, 2, 198, 1, 520, 9531, 198],
              generated: [49, 8844, 3082, 314, 253, 1502, 282, 3746, 1380, 7748, 6504, 411, 260, 1205, 2106, 506, 8844, 3082, 28, 837, 7688, 359, 6504, 411, 260, 2678, 284, 1517, 282, 260, 1205, 2106, 506, 8844, 3082, 30],
              stoppedAt: 2),
        .init(name: "chat_arithmetic", prompt: [1, 9690, 198, 2683, 359, 253, 5356, 5646, 11173, 3365, 3511, 308, 34519, 28, 7018, 411, 407, 19712, 8182, 2, 198, 1, 4093, 198, 1780, 314, 216, 33, 34, 1711, 216, 39, 47, 2, 198, 1, 520, 9531, 198],
              generated: [33, 34, 1711, 216, 39, 314, 216, 39, 34, 30],
              stoppedAt: 2),
        .init(name: "chat_tips", prompt: [1, 9690, 198, 2683, 359, 253, 5356, 5646, 11173, 3365, 3511, 308, 34519, 28, 7018, 411, 407, 19712, 8182, 2, 198, 1, 4093, 198, 26533, 549, 1296, 5608, 327, 9286, 10231, 30, 2, 198, 1, 520, 9531, 198],
              generated: [33, 30, 5427, 253, 23087, 42, 330, 876, 29, 32944, 8034, 416, 724, 346, 2951, 6554, 284, 4782, 30, 669, 2978, 4054, 1678, 1711, 327, 746, 28, 4836, 28, 284, 2143, 2123, 30, 1116, 34, 30, 41171, 2789, 44881, 42, 378, 768, 1070, 2775, 346, 416, 536, 288, 2951, 10231, 314, 288, 18537, 469, 4381, 30, 669, 1530, 7281, 335, 260, 768, 1070, 4381],
              stoppedAt: nil),
        .init(name: "chat_translate", prompt: [1, 9690, 198, 2683, 359, 253, 5356, 5646, 11173, 3365, 3511, 308, 34519, 28, 7018, 411, 407, 19712, 8182, 2, 198, 1, 4093, 198, 8241, 12837, 637, 12018, 5738, 23, 618, 5071, 30, 2, 198, 1, 520, 9531, 198],
              generated: [13793, 744, 15751, 1264, 5415, 744, 15751, 30],
              stoppedAt: 2),
    ]

    /// llama.cpp's end-of-generation tokens for this vocabulary: <|endoftext|> and <|im_end|>.
    static let stopTokens: Set<Int32> = [0, 2]

    struct Outcome {
        let name: String
        /// First step where our token differs from llama.cpp's (nil: identical), with our top two.
        let divergence: (step: Int, ours: [TokenProbability], theirs: Int32)?
    }

    @Test(.enabled(if: TestModel.isPresent, TestModel.absentMessage))
    func greedyGenerationsAgreeWithLlamaCpp() throws {
        let decoder = try TestModel.decoder(.llamaCompatible)
        var outcomes: [Outcome] = []
        for reference in Self.references {
            var sampler = Sampler(settings: .greedy, generator: SystemRandomNumberGenerator())
            let result = try decoder.generate(prompt: reference.prompt.map { .token($0) }, maxTokens: 64,
                                              stopTokens: Self.stopTokens, sampler: &sampler, topCandidates: 2)
            let expected = reference.generated + (reference.stoppedAt.map { [$0] } ?? [])
            let common = min(result.tokens.count, expected.count)
            let step = (0..<common).first { result.tokens[$0] != expected[$0] }
                ?? (result.tokens.count == expected.count ? nil : common)
            let divergence = step.map { (step: $0, ours: result.candidates[min($0, result.candidates.count - 1)],
                                         theirs: $0 < expected.count ? expected[$0] : -1) }
            outcomes.append(Outcome(name: reference.name, divergence: divergence))
        }

        let identical = outcomes.filter { $0.divergence == nil }.count
        var lines = ["llama.cpp agreement: \(identical)/\(outcomes.count) greedy generations identical"]
        for outcome in outcomes {
            guard let d = outcome.divergence else { continue }
            let gap = d.ours[0].probability - d.ours[1].probability
            lines.append(String(format: "  %@ diverges at step %d: llama.cpp %d, ours %d (%.1f%%) over %d (%.1f%%), gap %.2f pp",
                                outcome.name, d.step, d.theirs, d.ours[0].token, d.ours[0].probability * 100,
                                d.ours[1].token, d.ours[1].probability * 100, gap * 100))
            #expect(gap < 0.02, "\(outcome.name): the first divergence (step \(d.step)) is not a near-tie: gap \(gap * 100) pp")
        }
        print(lines.joined(separator: "\n"))
        #expect(outcomes.count >= 10)
        #expect(identical >= 9, "only \(identical) of \(outcomes.count) generations are identical to llama.cpp's")
    }
}

import Foundation
import Testing
@testable import AllSpark
import AllSparkData

/// Code → documentation ranking: the parts worked out by hand here; the scores and one evaluation
/// on the code samples with the language model are in the PipelineTests extension below (that
/// suite owns the shared model, whose decoder serves one caller at a time).
struct DocstringRankingTests {
    @Test func wordsSplitIdentifiersAndDropShortOnes() {
        #expect(DocstringRankingEvaluation.words("def b64_encode(inputString): return toBytes(s) or x") ==
                ["def", "encode", "input", "string", "return", "to", "bytes"].filter { $0.count >= 3 })
        #expect(DocstringRankingEvaluation.overlap(summary: "Return the encoded bytes.", code: "def f(x): return encode(to_bytes(x))") == 2.0 / 4.0)
        #expect(DocstringRankingEvaluation.overlap(summary: "A b.", code: "anything") == 0)
    }

    @Test func ranksCountTiesAgainstTheTrueCandidate() {
        #expect(DocstringRankingEvaluation.rank(of: 0, in: [0.5, 0.1, 0.2]) == 1)
        #expect(DocstringRankingEvaluation.rank(of: 0, in: [0.5, 0.5, 0.9]) == 3)
    }

    @Test func distractorsAreDistinctOthersAndReproducible() {
        let a = DocstringRankingEvaluation.distractors(for: 3, among: 12, count: 9)
        #expect(a.count == 9 && Set(a).count == 9 && !a.contains(3) && a.allSatisfy { (0..<12).contains($0) })
        #expect(a == DocstringRankingEvaluation.distractors(for: 3, among: 12, count: 9))
        #expect(a != DocstringRankingEvaluation.distractors(for: 4, among: 12, count: 9))
    }

}

extension PipelineTests {
    /// The batched branch scores equal each candidate's mean log-probability from a plain forward
    /// of the whole sequence with the candidate appended.
    @Test(.enabled(if: PipelineTests.model != nil)) func docstringBranchScoresEqualPlainForwards() throws {
        let model = try #require(PipelineTests.model)
        let lm = model.languageModel
        let assembler = SequenceAssembler(tokenizer: lm.tokenizer, template: lm.template,
                                          systemPrompt: model.configuration.languageModel.systemPrompt, maximumLength: lm.maximumContext)
        let sequence = try assembler.assemble(.tokens(lm.tokenizer.encode("def add(a, b):\n    return a + b\n", parseSpecial: false)),
                                              prompt: "Write a one-sentence documentation comment.")
        let candidates = ["Return the sum of a and b.", "Open a socket.", "Sum."]
        let scores = try DocstringRankingEvaluation.meanLogProbabilities(candidates, after: sequence, model: model)
        for (candidate, score) in zip(candidates, scores) {
            let tokens = lm.tokenizer.encode(candidate, parseSpecial: false)
            var total = 0.0
            for i in 0..<tokens.count {
                let cache = lm.makeCache()
                let logits = try lm.decoder.forward(sequence.inputs + tokens[..<i].map { .token($0) }, cache: cache).logits
                total += Double(DocstringRankingEvaluation.logSoftmax(logits)[Int(tokens[i])])
            }
            let expected = total / Double(tokens.count)
            #expect(abs(score - expected) < 1e-3 * max(1, abs(expected)), "\(candidate): \(score) vs \(expected)")
        }
        #expect(scores[0] > scores[1], "the right summary is more likely than an unrelated one")
    }

    @Test(.enabled(if: PipelineTests.model != nil)) func docstringRankingOnTheCodeSamples() throws {
        let model = try #require(PipelineTests.model)
        let report = try DocstringRankingEvaluation.evaluate(model: model, directory: "samples/code", prompt: "Write a one-sentence documentation comment.",
                                                             limit: nil, distractors: 3, perSample: true)
        #expect(report.samples == 6 && report.outcomes?.count == 6)
        #expect(report.metric == "MRR (true summary among 4)")
        #expect((0.25...1).contains(report.model) && (0.25...1).contains(report.baseline))
        #expect(abs(report.extra["chance MRR"]! - (1 + 0.5 + 1.0 / 3 + 0.25) / 4) < 1e-12)
        #expect(abs(report.model - report.outcomes!.map(\.model).reduce(0, +) / 6) < 1e-12)
    }
}

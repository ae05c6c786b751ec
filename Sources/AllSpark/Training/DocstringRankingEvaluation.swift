import AllSparkData
import Foundation
import SparkEngine
import SparkLM

/// Code → documentation measured as the paper measures it (CodeSearchNet's MRR): for each function,
/// its true summary and `distractors` summaries of other functions of the same folder are scored
/// by the language model — the mean log-probability of the summary's tokens as the assistant's
/// answer after the code and the prompt, as the pipeline assembles them — and the true one's rank
/// gives 1 / rank. The candidates share the prompt, so they run as branches of one batched pass
/// over the cached prompt.
///
/// The baseline, on the same candidates: lexical overlap — the share of a summary's words that
/// also occur in the code (identifiers split at `_` and case changes).
public enum DocstringRankingEvaluation {
    public static func evaluate(model: AllSparkModel, directory: String, prompt: String, limit: Int?, distractors: Int = 9,
                                perSample: Bool) throws -> EvaluationReport {
        let catalog = try SampleCatalog.read(directory: directory)
        let all = try GeneratedAnswerEvaluation.labelledTexts(catalog, modality: .code, limit: nil)
        guard all.count > distractors else {
            throw TrainingError("\(directory): \(all.count) functions; ranking against \(distractors) distractors needs more")
        }
        let measured = Array(all.prefix(limit ?? all.count))
        let lm = model.languageModel
        let assembler = SequenceAssembler(tokenizer: lm.tokenizer, template: lm.template,
                                          systemPrompt: model.configuration.languageModel.systemPrompt, maximumLength: lm.maximumContext)
        var modelRanks: [Int] = [], baselineRanks: [Int] = [], outcomes: [SampleOutcome] = [], answers: [String] = []
        for (index, sample) in measured.enumerated() {
            let others = Self.distractors(for: index, among: all.count, count: distractors)
            let candidates = [sample.label] + others.map { all[$0].label }
            let sequence = try assembler.assemble(.tokens(lm.tokenizer.encode(sample.text, parseSpecial: false)), prompt: prompt)
            let scores = try Self.meanLogProbabilities(candidates, after: sequence, model: model)
            let overlap = candidates.map { Self.overlap(summary: $0, code: sample.text) }
            let rank = Self.rank(of: 0, in: scores), baselineRank = Self.rank(of: 0, in: overlap)
            modelRanks.append(rank)
            baselineRanks.append(baselineRank)
            if answers.count < 6 {
                let best = scores.indices.max { scores[$0] < scores[$1] } ?? 0
                answers.append("\(sample.label) → ranked \(rank); best: \(candidates[best])")
            }
            if perSample {
                outcomes.append(SampleOutcome(sample: sample.reference, label: sample.label, predicted: "rank \(rank)",
                                              model: 1 / Double(rank), baseline: 1 / Double(baselineRank), right: rank == 1))
            }
        }
        func mrr(_ ranks: [Int]) -> Double { ranks.reduce(0) { $0 + 1 / Double($1) } / Double(max(1, ranks.count)) }
        func recallAt1(_ ranks: [Int]) -> Double { Double(ranks.filter { $0 == 1 }.count) / Double(max(1, ranks.count)) }
        let chance = (1...(distractors + 1)).reduce(0.0) { $0 + 1 / Double($1) } / Double(distractors + 1)
        // Trained adapters (code's own set) are what this measures; else the pretrained model alone.
        let adapters = try model.adapters(.code).provenance
        let checkpoint = adapters.map { $0.isTrained ? "adapters: \($0)" : nil } ?? nil
        return EvaluationReport(
            modality: Modality.code.rawValue, metric: "MRR (true summary among \(distractors + 1))", higherIsBetter: true,
            model: mrr(modelRanks), baseline: mrr(baselineRanks), baselineName: "lexical overlap of summary and code",
            extra: ["recall@1": recallAt1(modelRanks), "baseline recall@1": recallAt1(baselineRanks), "chance MRR": chance],
            samples: measured.count, data: catalog.entries.first?.source.components(separatedBy: ",").first ?? directory,
            checkpoint: checkpoint ?? "none: the pretrained language model, zero-shot", larf: nil, answers: answers,
            outcomes: perSample ? outcomes : nil)
    }

    /// `count` other indices of `0..<total` for sample `index`, the same in every run.
    static func distractors(for index: Int, among total: Int, count: Int) -> [Int] {
        var generator = SeededRandomGenerator(seed: UInt64(index) &+ 0x5EED)
        var chosen: [Int] = []
        while chosen.count < count {
            let candidate = Int(generator.next() % UInt64(total))
            if candidate != index && !chosen.contains(candidate) { chosen.append(candidate) }
        }
        return chosen
    }

    /// 1 + how many candidates score at least as high as candidate `index` (ties count against it).
    static func rank(of index: Int, in scores: [Double]) -> Int {
        1 + scores.indices.filter { $0 != index && scores[$0] >= scores[index] }.count
    }

    /// Each candidate's mean log-probability per token as the answer that follows `sequence`.
    static func meanLogProbabilities(_ candidates: [String], after sequence: AssembledSequence, model: AllSparkModel) throws -> [Double] {
        let lm = model.languageModel
        let cache = try model.languageModelCache(.code)
        let prompt = try lm.decoder.forward(sequence.inputs, cache: cache)
        let first = logSoftmax(prompt.logits)
        let tokens = candidates.map { lm.tokenizer.encode($0, parseSpecial: false) }
        guard tokens.allSatisfy({ !$0.isEmpty }) else { throw TrainingError("a summary without tokens") }
        // Branch k reads its candidate's tokens but the last; row i predicts token i + 1.
        let long = tokens.indices.filter { tokens[$0].count > 1 }
        let hidden = long.isEmpty ? [] : try lm.decoder.forwardBranches(
            long.map { k in tokens[k].dropLast().map { DecoderInput.token($0) } }, cache: cache, prefixLength: sequence.count)
        let width = lm.configuration.width
        var hiddenOf: [Int: [Float]] = [:]
        for (k, rows) in zip(long, hidden) { hiddenOf[k] = rows }
        return tokens.indices.map { k in
            var total = Double(first[Int(tokens[k][0])])
            if let rows = hiddenOf[k] {
                for i in 1..<tokens[k].count {
                    let logits = lm.decoder.outputLogits(normedHidden: Array(rows[((i - 1) * width)..<(i * width)]))
                    total += Double(logSoftmax(logits)[Int(tokens[k][i])])
                }
            }
            return total / Double(tokens[k].count)
        }
    }

    static func logSoftmax(_ logits: [Float]) -> [Float] {
        let top = logits.max() ?? 0
        let sum = logits.reduce(0.0) { $0 + exp(Double($1 - top)) }
        let shift = top + Float(log(sum))
        return logits.map { $0 - shift }
    }

    /// The share of the summary's words (3 letters or more) that occur in the code.
    static func overlap(summary: String, code: String) -> Double {
        let summaryWords = words(summary), codeWords = Set(words(code))
        guard !summaryWords.isEmpty else { return 0 }
        return Double(summaryWords.filter { codeWords.contains($0) }.count) / Double(summaryWords.count)
    }

    /// Lower-case words of 3+ letters; identifiers split at `_` and at lower→upper case changes.
    static func words(_ text: String) -> [String] {
        var result: [String] = [], current = ""
        var previousLower = false
        func flush() {
            if current.count >= 3 { result.append(current.lowercased()) }
            current = ""
        }
        for character in text {
            if character.isLetter {
                if character.isUppercase && previousLower { flush() }
                current.append(character)
                previousLower = character.isLowercase
            } else {
                flush()
                previousLower = false
            }
        }
        flush()
        return result
    }
}

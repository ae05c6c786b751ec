import AllSparkData
import Foundation
import SparkLM

/// LaRF for a modality the tokenizer encodes (text): the language model reads each sample after
/// the prompt, as the pipeline assembles it, and answers greedily; the answer is right when it
/// names the sample's class (`AnswerSentence.namedClass`). Beside it, on the same samples, the
/// majority class of the baseline data. There is no encoder, bridge or head here: what answers is
/// the pretrained language model (with the Lynx adapters, zero until trained), so the figure is
/// the zero-shot one.
public enum GeneratedAnswerEvaluation {
    public static func evaluate(model: AllSparkModel, modality: Modality, directory: String, baselineDirectory: String?,
                                prompt: String, limit: Int?, maxTokens: Int = 8, perSample: Bool) throws -> EvaluationReport {
        let catalog = try SampleCatalog.read(directory: directory)
        let samples = try labelledTexts(catalog, modality: modality, limit: limit)
        // The baseline needs only the labels: its folder's texts are not read.
        let fit = try baselineDirectory.map { try classLabels(SampleCatalog.read(directory: $0)) } ?? samples.map(\.label)
        let labels = Array(Set(fit + samples.map(\.label))).sorted()
        var counts: [String: Int] = [:]
        for label in fit { counts[label, default: 0] += 1 }
        let majority = counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key ?? ""

        let lm = model.languageModel
        let assembler = SequenceAssembler(tokenizer: lm.tokenizer, template: lm.template,
                                          systemPrompt: model.configuration.languageModel.systemPrompt, maximumLength: lm.maximumContext)
        var right = 0, answers: [String] = [], outcomes: [SampleOutcome] = []
        for sample in samples {
            let ids = lm.tokenizer.encode(sample.text, parseSpecial: false)
            let sequence = try assembler.assemble(.tokens(ids), prompt: prompt)
            let (generated, _) = try lm.generate(prompt: sequence.inputs, settings: .greedy, maxTokens: maxTokens,
                                                 cache: model.languageModelCache(modality))
            let answer = generated.trimmingCharacters(in: .whitespacesAndNewlines)
            let named = AnswerSentence.namedClass(in: answer, labels: labels).map { labels[$0] }
            let isRight = named == sample.label
            if isRight { right += 1 }
            if answers.count < 6 { answers.append("\(sample.label) → \(answer)") }
            if perSample {
                outcomes.append(SampleOutcome(sample: sample.reference, label: sample.label, predicted: named ?? "(no class named)",
                                              model: isRight ? 1 : 0, baseline: sample.label == majority ? 1 : 0, right: isRight))
            }
        }
        let count = Double(max(1, samples.count))
        let accuracy = Double(right) / count
        let baseline = Double(samples.filter { $0.label == majority }.count) / count
        return EvaluationReport(modality: modality.rawValue, metric: "accuracy of the generated answer", higherIsBetter: true,
                                model: accuracy, baseline: baseline, baselineName: "majority class (\(majority))",
                                extra: [:], samples: samples.count, data: catalog.entries.first?.source ?? directory,
                                checkpoint: "none: the pretrained language model, zero-shot", larf: accuracy, larfSamples: samples.count,
                                answers: answers, outcomes: perSample ? outcomes : nil)
    }

    struct LabelledText { var reference: String; var text: String; var label: String }

    /// Every entry's class label; an entry without one is an error naming it (an evaluation must
    /// not silently shrink), as is a folder without entries.
    static func classLabels(_ catalog: SampleCatalog) throws -> [String] {
        guard !catalog.entries.isEmpty else {
            throw TrainingDataset.Problem(file: (catalog.directory as NSString).appendingPathComponent(SampleCatalog.indexFileName),
                                          problem: "no samples listed (expected an index.json as scripts/fetch-data writes)")
        }
        return try catalog.entries.map { entry in
            guard case .className(let label)? = entry.sampleLabel else {
                throw TrainingDataset.Problem(file: catalog.reference(entry).text, problem: "no class label in index.json; expected {\"label\": {\"class\": …}}")
            }
            return label
        }
    }

    /// The folder's first `limit` samples with their class labels; a sample that is not text is an error naming it.
    static func labelledTexts(_ catalog: SampleCatalog, modality: Modality, limit: Int?) throws -> [LabelledText] {
        let labels = try classLabels(catalog)
        var texts: [LabelledText] = []
        for (entry, label) in zip(catalog.entries, labels).prefix(limit ?? Int.max) {
            let reference = catalog.reference(entry)
            let sample = try SampleLoaders.load(modality, reference, catalog: catalog)
            switch sample.content {
            case .text(let text): texts.append(LabelledText(reference: reference.text, text: text, label: label))
            case .code(let code, _): texts.append(LabelledText(reference: reference.text, text: code, label: label))
            default: throw TrainingDataset.Problem(file: reference.text, problem: "expected text, got \(sample.content.kindName)")
            }
        }
        return texts
    }
}

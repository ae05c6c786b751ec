import AllSparkData
import Foundation
import SparkEngine
import SparkLM
import Testing

@testable import AllSpark

extension TrainingTests {
    /// A temporary data folder of labelled text files (`t0.<ext>`, …) with its index.json and a
    /// configuration extending the tiny one with `modalities` (JSON text); call `remove` after.
    static func labelledTextFolder(_ name: String, files: [(text: String, label: String)], ext: String = "txt",
                                   modalities: String) throws -> (directory: String, configuration: String) {
        _ = FileManager.default.changeCurrentDirectoryPath(root.path)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("allspark-\(name)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var entries: [[String: Any]] = []
        for (i, file) in files.enumerated() {
            try file.text.write(toFile: "\(directory)/t\(i).\(ext)", atomically: true, encoding: .utf8)
            entries.append(["file": "t\(i).\(ext)", "label": ["class": file.label], "title": "test file \(i)", "generated": false,
                            "source": "written for this test", "licence": "CC0-1.0"])
        }
        try JSONSerialization.data(withJSONObject: ["samples": entries]).write(to: URL(fileURLWithPath: "\(directory)/index.json"))
        let configuration = "{\"extends\": \"\(root.path)/configs/allspark-tiny.json\", \"name\": \"\(name)\", \"modalities\": \(modalities)}"
        try configuration.write(toFile: "\(directory)/config.json", atomically: true, encoding: .utf8)
        return (directory, "\(directory)/config.json")
    }

    /// A text sentiment classifier (negative / positive, untrained head) on a temporary folder of
    /// `files`: its model, a trainer for it, the loaded examples, and the folder to remove after.
    static func textClassifier(_ name: String, files: [(String, String)])
        throws -> (directory: String, model: AllSparkModel, trainer: ModalityTrainer, data: TrainingDataset) {
        let (directory, configuration) = try labelledTextFolder(
            name, files: files.map { (text: $0.0, label: $0.1) },
            modalities: "{\"text\": {\"head\": {\"kind\": \"classification\", \"labels\": [\"negative\", \"positive\"]}}}")
        let model = try AllSparkModel(configuration: AllSparkConfiguration.load(path: configuration))
        let trainer = try ModalityTrainer(model: model, modality: .text, decoder: DecoderTrainer(decoder: model.languageModel.decoder),
                                          options: TrainingOptions())
        let data = try TrainingDataset.load(directory: directory, modality: .text, inputs: model.trainingInputs(.text),
                                            head: model.components(.text).head.section, strict: true)
        return (directory, model, trainer, data)
    }

    /// A modality whose section says `"ownAdapters": true` trains and runs its own Lynx adapter set
    /// (`adapters.text.…`): with `trainAdapters` the answer loss reaches that set and not the shared
    /// one, and once that set is no longer the identity, text's language-model pass changes while
    /// another modality's (on the same input rows) stays what the shared adapters give.
    @Test(.enabled(if: available)) func ownAdaptersTrainAndRunForTheirModalityAlone() throws {
        let (directory, configuration) = try Self.labelledTextFolder(
            "own-adapters", files: [("what a lovely morning", "positive"), ("this is the worst service I have had", "negative")],
            modalities: "{\"text\": {\"ownAdapters\": true, \"head\": {\"kind\": \"classification\", \"labels\": [\"negative\", \"positive\"]}}}")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let model = try AllSparkModel(configuration: AllSparkConfiguration.load(path: configuration))
        #expect(try model.adapterModule(.text) == "adapters.text")
        #expect(try model.adapterModule(.code) == "llm.adapters")
        let trainer = try ModalityTrainer(model: model, modality: .text, decoder: DecoderTrainer(decoder: model.languageModel.decoder),
                                          options: TrainingOptions(trainAdapters: true))
        let data = try TrainingDataset.load(directory: directory, modality: .text, inputs: model.trainingInputs(.text),
                                            head: model.components(.text).head.section, strict: true)
        let prompt = try model.prompts(.text).prompts[0].text
        let result = try trainer.step(data.examples, prompt: prompt)
        #expect(result.languageLoss > 0)
        let names = Set(result.gradients.keys)
        #expect(names.contains("adapters.text.1.up.weight"))
        #expect(names.contains("heads.text.weight"))
        #expect(!names.contains { $0.hasPrefix("llm.adapters") })
        #expect(names.allSatisfy { $0.hasPrefix("adapters.text.") || $0.hasPrefix("heads.text.") })
        let up = try #require(result.gradients["adapters.text.1.up.weight"])
        #expect(up.scalars.contains { $0 != 0 }, "an identity adapter's Up still gets a gradient")

        // The same input rows through text (own adapters) and code (shared, untrained) agree until
        // text's set is moved off the identity; then only text's pass changes.
        let ids = model.promptTokenIds("a short test sentence")
        let sequence = try model.assemble(.tokens(ids), prompt: prompt)
        let before = try model.runLanguageModel(.text, sequence).result.logits
        #expect(before == (try model.runLanguageModel(.code, sequence).result.logits))
        var moved = model.store.parameters(under: "adapters.text.1.up")
        for (name, tensor) in moved { moved[name] = Tensor(shape: tensor.shape, scalars: tensor.scalars.indices.map { Float($0 % 7) * 1e-2 }) }
        try model.store.update(from: moved)
        try model.rebuildComponents()
        let text = try model.runLanguageModel(.text, sequence).result.logits
        let code = try model.runLanguageModel(.code, sequence).result.logits
        #expect(code == before)
        #expect(text != before)
        #expect(model.languageModel.decoder.adapters.values.allSatisfy { $0.upWeight.allSatisfy { $0 == 0 } })
        #expect(model.provenanceLines(for: .text).contains { $0.component == "adapters text" })
    }

    /// Code has no head: with its own adapters training, the first line of each function's
    /// documentation is the answer the language model learns to write. Only `adapters.code.…`
    /// gets gradients, they match central differences, and the evaluation reports the answer's
    /// loss beside the pretrained model's on the same samples.
    @Test(.enabled(if: available)) func codeLearnsItsDocumentationThroughItsOwnAdapters() throws {
        let functions = [("def add(a, b):\n    return a + b\n", "Return the sum of a and b."),
                         ("def is_empty(items):\n    return len(items) == 0\n", "Tell whether the list has no items.")]
        let (directory, configuration) = try Self.labelledTextFolder(
            "code-adapters", files: functions.map { (text: $0.0, label: $0.1) }, ext: "py",
            modalities: "{\"code\": {\"ownAdapters\": true, \"head\": {\"kind\": \"generation\"}}}")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let model = try AllSparkModel(configuration: AllSparkConfiguration.load(path: configuration))
        #expect(throws: TrainingError.self) { try ModalityTrainer.checkTrainable(model: model, modality: .code) }
        let trainer = try ModalityTrainer(model: model, modality: .code, decoder: DecoderTrainer(decoder: model.languageModel.decoder),
                                          options: TrainingOptions(trainAdapters: true))
        let data = try TrainingDataset.load(directory: directory, modality: .code, inputs: model.trainingInputs(.code),
                                            head: model.components(.code).head.section, strict: true)
        #expect(data.examples.map(\.answer) == functions.map(\.1))
        let prompt = try model.prompts(.code).prompts[0].text
        let result = try trainer.step(data.examples, prompt: prompt)
        #expect(result.headLoss == 0 && result.languageLoss > 0)
        #expect(!result.gradients.isEmpty && result.gradients.keys.allSatisfy { $0.hasPrefix("adapters.code.") })
        // A larger step than the default: these gradients are small (~4e-3), and the Float32
        // rounding of a ~3-nat loss over 2h must stay well under the 3 % tolerance.
        try Self.checkGradients(trainer, data.examples, prompt: prompt, names: ["adapters.code.1.up.weight", "adapters.code.29.up.bias"],
                                result: result, step: 2e-2)
        let report = try trainer.evaluate(data.examples, training: data.examples, prompt: prompt, batchSize: 2, data: directory, checkpoint: "none")
        #expect(report.metric == "answer cross-entropy per token")
        // Untrained adapters are the identity: the model's loss is the pretrained model's.
        #expect(abs(report.model - report.baseline) <= 1e-4 * report.baseline)
        #expect(abs(report.model - Double(result.languageLoss)) <= 1e-4 * report.model)
    }
}

extension TrainingTests {
    /// The LaRF figures of an evaluation: the share of generated answers naming the sample's class,
    /// and the share naming the class the head predicted for the same sample, recounted here from
    /// each answer's text and each sample's own head prediction (the per-sample outcomes, which
    /// also carry each answer).
    @Test(.enabled(if: available)) func larfAndHeadAgreementCountTheAnswersThatNameEachClass() throws {
        let files = [("what a lovely morning", "positive"), ("this is the worst service I have had", "negative"),
                     ("I love this song so much", "positive"), ("the train was late again, awful", "negative")]
        let (directory, model, trainer, data) = try Self.textClassifier("larf-agreement", files: files)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let prompt = try model.prompts(.text).prompts[0].text
        let report = try trainer.evaluate(data.examples, training: data.examples, prompt: prompt, batchSize: 2, data: directory,
                                          checkpoint: "none", larfSamples: files.count, perSample: true)
        let labels = ["negative", "positive"]
        let outcomes = try #require(report.outcomes)
        #expect(report.larfSamples == files.count && report.answers.count == files.count && outcomes.count == files.count)
        var right = 0, agree = 0
        for (answer, outcome) in zip(report.answers, outcomes) {
            let parts = answer.components(separatedBy: " → ")
            #expect(parts.count == 2 && parts[0] == outcome.label, "\(answer)")
            let named = AnswerSentence.namedClass(in: parts.last ?? "", labels: labels)
            // Each outcome carries its own answer and the class that answer names.
            #expect(outcome.answer == parts.last && outcome.answerNames == (named.map { labels[$0] } ?? "(no class named)"), "\(outcome)")
            if named == labels.firstIndex(of: outcome.label) { right += 1 }
            if named == outcome.predicted.flatMap(labels.firstIndex(of:)) { agree += 1 }
        }
        #expect(report.larf == Double(right) / Double(files.count))
        #expect(report.extra["answerAgreesWithHead"] == Double(agree) / Double(files.count))
    }
}

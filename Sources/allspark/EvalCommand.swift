import AllSpark
import AllSparkData
import ArgumentParser
import Foundation
import SparkLM

/// `allspark eval`: the paper's metric for a modality beside a simple baseline, same samples, same run.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure a modality's head (and its LaRF answers) beside a simple baseline.",
        discussion: """
            Runs every sample of --data with the modality's first prompt (the paper fixes prompt 1 \
            for testing) and prints the task's metric for the model and for a baseline computed on \
            the same samples: the majority class of --baseline-data (classification), constant \
            velocity (trajectory, beside linear regression on the observed track fitted on \
            --baseline-data: the stronger bar), persistence (graph), the training mean (regressions, depth), \
            nearest neighbour on raw pixels (infrared re-identification: rank-1 and mAP over each \
            sample's gallery, through the inference path), lexical overlap (code: the MRR of the true \
            docstring summary among 10, scored by the language model's log-probability). For classification also the \
            LaRF score: the share of samples whose greedy generated answer names the right class. \
            --checkpoint loads trained weights (strictly); without one the model is untrained and \
            the report says so.
            """)

    @Option(help: "The modality (one whose encoder can learn: rgb, trajectory, graph, msi, sar, oblique …).") var modality: String
    @Option(help: "The folder of samples to measure on (index.json).") var data: String
    @Option(help: "Samples the baseline is fitted on (default: --data itself).") var baselineData: String?
    @Option(help: "A checkpoint (safetensors) with the modality's trained parts.") var checkpoint: String?
    @OptionGroup var configuration: ConfigurationOption
    @Option(help: "Samples per forward batch.") var batch: Int = 8
    @Option(help: "How many samples get a generated answer for the LaRF score (text: every sample; its answer is the prediction).") var larf: Int = 50
    @Option(help: "Which of the modality's prompts to use (1 = the paper's test-time prompt).") var prompt: Int = 1
    @Option(help: "Use at most this many samples.") var limit: Int?
    @Flag(help: "Print the report as JSON.") var json = false
    @Flag(help: "Also list every sample's own metric, the baseline's, and whether the model got it right.") var perSample = false

    func validate() throws {
        guard Modality(rawValue: modality) != nil else { throw ValidationError("unknown modality '\(modality)'") }
        if batch <= 0 { throw ValidationError("--batch must be positive") }
    }

    /// Which files the modality's own components were loaded from (the adapters are shared and
    /// may stay untrained while the encoder, bridge and head are trained), each once; "none: …"
    /// when none of them is trained.
    func loadedWeights(_ model: AllSparkModel, _ modality: Modality) -> String {
        _ = try? model.components(modality)  // built now, so that they say where they came from
        let own = model.provenanceLines(for: modality).filter { $0.component != "language model" && $0.component != "adapters" }
        let sources = own.filter { $0.provenance.isTrained }.map { $0.provenance.description }
            .reduce(into: [String]()) { found, source in if !found.contains(source) { found.append(source) } }
        return sources.isEmpty ? "none: " + (own.first?.provenance.description ?? "untrained") : sources.joined(separator: "; ")
    }

    func run() throws {
        try reportingErrors("eval") {
            let modality = Modality(rawValue: self.modality)!
            var config = try configuration.load()
            if let checkpoint { config.checkpoint = checkpoint }
            let model = try AllSparkModel(configuration: config)
            if modality.usesTokenizer, try modality == .code || model.components(modality).head.linear == nil {
                // Text and code without a task head: no encoder, bridge or head to measure; the language model answers.
                let prompts = try model.prompts(modality).prompts
                guard prompts.indices.contains(prompt - 1) else {
                    throw ValidationError("--prompt \(prompt): \(modality.rawValue) has \(prompts.count) prompts")
                }
                if modality == .code {
                    try show(try DocstringRankingEvaluation.evaluate(model: model, directory: data, prompt: prompts[prompt - 1].text,
                                                                     limit: limit, perSample: perSample))
                    return
                }
                let report = try GeneratedAnswerEvaluation.evaluate(model: model, modality: modality, directory: data,
                                                                    baselineDirectory: baselineData, prompt: prompts[prompt - 1].text,
                                                                    limit: limit, perSample: perSample)
                try show(report)
                return
            }
            if try config.section(modality).head.kind == .reidentification {
                // Rank-1 and mAP over each sample's gallery, through the inference path.
                let prompts = try model.prompts(modality).prompts
                guard prompts.indices.contains(prompt - 1) else {
                    throw ValidationError("--prompt \(prompt): \(modality.rawValue) has \(prompts.count) prompts")
                }
                try show(try ReidentificationEvaluation.evaluate(model: model, directory: data, prompt: prompts[prompt - 1].text,
                                                                  limit: limit, checkpoint: checkpoint ?? loadedWeights(model, modality),
                                                                  perSample: perSample))
                return
            }
            try ModalityTrainer.checkTrainable(model: model, modality: modality)
            let trainer = try ModalityTrainer(model: model, modality: modality, decoder: DecoderTrainer(decoder: model.languageModel.decoder),
                                              options: TrainingOptions())
            let components = try model.components(modality)
            let inputs = try model.trainingInputs(modality)
            let samples = try TrainingDataset.load(directory: data, modality: modality, inputs: inputs, head: components.head.section, limit: limit)
            let fit = try baselineData.map {
                try TrainingDataset.load(directory: $0, modality: modality, inputs: inputs, head: components.head.section)
            } ?? samples
            let prompts = try model.prompts(modality).prompts
            guard prompts.indices.contains(self.prompt - 1) else {
                throw ValidationError("--prompt \(self.prompt): \(modality.rawValue) has \(prompts.count) prompts")
            }
            let prompt = prompts[self.prompt - 1].text
            let provenance = model.provenanceLines(for: modality).filter { $0.component != "language model" }
            let weights = checkpoint ?? loadedWeights(model, modality)
            let report = try trainer.evaluate(samples.examples, training: fit.examples, prompt: prompt, batchSize: batch,
                                              data: samples.provenance, checkpoint: weights, larfSamples: larf,
                                              perSample: perSample)
            if !json {
                if !samples.skipped.isEmpty { print("\(samples.skipped.count) samples skipped") }
                for line in provenance where !line.provenance.isTrained { print("  \(line.component): \(line.provenance)  ← UNTRAINED") }
            }
            try show(report)
        }
    }

    func show(_ report: EvaluationReport) throws {
        if json {
            try printJSON(report)
            return
        }
        print("\(report.modality): \(report.samples) samples (\(report.data))")
        print("weights: \(report.checkpoint)")
        print(String(format: "%@: model %.4f, baseline %.4f (%@)%@", report.metric, report.model, report.baseline, report.baselineName,
                     report.higherIsBetter ? " — higher is better" : " — lower is better"))
        // The answers' agreement with the head is printed beside the LaRF score, below.
        for (name, value) in report.extra.sorted(by: { $0.key < $1.key }) where name != "answerAgreesWithHead" {
            print(String(format: "  %@: %.4f", name, value))
        }
        if report.extra.keys.contains(where: { $0.hasPrefix("linear regression") }) {
            let inSample = report.extra.keys.contains { $0.hasPrefix("linear regression (in-sample)") }
            print("  (linear regression: ridge from the observed track, relative to its last position, to the future's")
            print(inSample ? "   deviation from constant velocity, fitted on these same samples, which flatters it: give --baseline-data)"
                           : "   deviation from constant velocity, fitted on --baseline-data; the figure a learned head has to beat)")
        }
        if let larf = report.larf {
            let answered = report.larfSamples ?? min(self.larf, report.samples)
            print(String(format: "LaRF: %.1f %% of %d generated answers name the right class", larf * 100, answered))
            if let agreement = report.extra["answerAgreesWithHead"] {
                print(String(format: "  %.1f %% of them name the class the head predicted", agreement * 100))
            }
            for answer in report.answers { print("  \(answer)") }
        }
        for outcome in report.outcomes ?? [] {
            print(String(format: "  %@ %@: %@%@ (model %.4g, baseline %.4g)%@", outcome.right ? "right" : "wrong", outcome.sample, outcome.label,
                         outcome.predicted.map { " → " + $0 } ?? "", outcome.model, outcome.baseline,
                         outcome.answer.map { " answer \"\($0)\" names \(outcome.answerNames ?? "(no class named)")" } ?? ""))
        }
    }
}

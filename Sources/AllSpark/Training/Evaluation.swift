import AllSparkData
import Foundation
import SparkEngine
import SparkGrad
import SparkLM

/// A metric of the model beside a simple baseline, measured on the same samples in the same run.
public struct EvaluationReport: Sendable, Codable, Equatable {
    public var modality: String
    /// The paper's metric for the task ("accuracy", "ADE" …); lower is better unless `higherIsBetter`.
    public var metric: String
    public var higherIsBetter: Bool
    public var model: Double
    public var baseline: Double
    public var baselineName: String
    /// Further figures by name ("FDE", "baseline FDE", "loss" …).
    public var extra: [String: Double]
    public var samples: Int
    public var data: String
    public var checkpoint: String
    /// Share of samples whose greedy generated answer names the right class (classification only).
    public var larf: Double?
    /// How many generated answers `larf` is the share of (nil: no LaRF score).
    public var larfSamples: Int? = nil
    /// A few generated answers, for the eye.
    public var answers: [String]
    /// Each sample's own metric beside the baseline's (when asked for).
    public var outcomes: [SampleOutcome]?
}

/// The generated answers of a classification: the share naming the right class, the share naming
/// the head's class, a line per answer, and where the bridge's tokens land (nil without a bridge).
struct LaRFScore {
    var score: Double
    var headAgreement: Double
    var answers: [String]
    /// Each answer's text and the class it names, in the examples' order.
    var generated: [(text: String, named: Int?)] = []
    var lens: (ownClass: Double, otherClass: Double)?
}

/// One sample's result: the task's metric on it alone, the baseline's, and whether the model got
/// it right (classification: the predicted class is the true one; otherwise: nearer the truth
/// than the baseline).
public struct SampleOutcome: Sendable, Codable, Equatable {
    public var sample: String
    public var label: String
    public var predicted: String?
    public var model: Double
    public var baseline: Double
    public var right: Bool
    /// The greedy generated answer, and the class it names, for the samples the LaRF score read.
    public var answer: String? = nil
    public var answerNames: String? = nil
}

extension ModalityTrainer {
    /// The head's metric and the validation loss on `examples` with `prompt`, the baseline fitted
    /// on `training`, and — with `larfSamples` > 0 — the LaRF score on the first that many.
    public func evaluate(_ examples: [TrainingExample], training: [TrainingExample], prompt: String, batchSize: Int,
                         data: String, checkpoint: String, larfSamples: Int = 0, perSample: Bool = false) throws -> EvaluationReport {
        let head = try model.components(modality).head.section
        if head.kind == .generation {
            return try answerLossReport(examples, prompt: prompt, batchSize: batchSize, data: data, checkpoint: checkpoint)
        }
        var outputs: [Tensor] = []
        var lossSum: Double = 0
        for start in stride(from: 0, to: examples.count, by: batchSize) {
            let batch = Array(examples[start..<min(examples.count, start + batchSize)])
            let result = try step(batch, prompt: prompt, gradients: false)
            lossSum += Double(result.loss) * Double(batch.count)
            let width = result.headOutputs.shape[1]  // a ranking's outputs are its gallery's similarities
            for b in 0..<batch.count { outputs.append(result.headOutputs.slice(rows: b..<(b + 1)).reshaped([width])) }
        }
        let linear = head.kind == .trajectory ? Self.linearBaseline(fittedOn: training, evaluating: examples) : nil
        func measure(_ outputs: [Tensor], _ examples: [TrainingExample]) -> EvaluationReport {
            switch head.kind {
            case .classification, .reidentification:
                let labels = head.ranksGallery ? (0..<(outputs.first?.count ?? 0)).map { "gallery image \($0)" } : head.labels ?? []
                return Self.classification(outputs, examples, training: training, labels: labels)
            case .trajectory: return Self.trajectory(outputs, examples, head: head, linear: linear)
            case .graph: return Self.graph(outputs, examples, head: head)
            default: return Self.values(outputs, examples, training: training, head: head)
            }
        }
        var report = measure(outputs, examples)
        if head.ranksGallery {
            // The outputs rank the sample's gallery: accuracy is rank-1, and the baseline always picks
            // the gallery position that held the match most often in training.
            report.metric = "rank-1"
            report.baselineName = report.baselineName.replacingOccurrences(of: "majority class", with: "always the most frequent match")
        }
        if perSample {
            // The same metric on each sample alone.
            report.outcomes = zip(outputs, examples).map { output, example in
                let alone = measure([output], [example])
                let predicted = head.kind == .classification ? Self.predictedClass(output, labels: head.labels ?? []) : nil
                return SampleOutcome(sample: example.reference.text, label: example.label, predicted: predicted, model: alone.model,
                                     baseline: alone.baseline,
                                     right: head.kind == .classification ? alone.model == 1 : alone.model < alone.baseline)
            }
        }
        report.modality = modality.rawValue
        report.extra["loss"] = lossSum / Double(max(1, examples.count))
        report.samples = examples.count
        report.data = data
        report.checkpoint = checkpoint
        if head.kind == .classification, larfSamples > 0 {
            let answered = Array(examples.prefix(larfSamples))
            let larf = try larfScore(answered, prompt: prompt, labels: head.labels ?? [],
                                     headPredictions: outputs.prefix(answered.count).map(Self.predictedIndex))
            report.larf = larf.score
            if let lens = larf.lens {
                report.extra["lensClassWord"] = lens.ownClass
                report.extra["lensOtherClassWord"] = lens.otherClass
            }
            report.extra["answerAgreesWithHead"] = larf.headAgreement
            report.larfSamples = answered.count
            report.answers = Array(larf.answers.prefix(6))
            let classLabels = head.labels ?? []
            for (index, generated) in larf.generated.enumerated() where index < (report.outcomes?.count ?? 0) {
                report.outcomes?[index].answer = generated.text
                report.outcomes?[index].answerNames = generated.named.map { classLabels.indices.contains($0) ? classLabels[$0] : "class \($0)" }
                    ?? "(no class named)"
            }
        }
        return report
    }

    /// A modality without a head (code: the language model writes the documentation): the answer's
    /// cross-entropy per token with the adapters, beside the same loss of the pretrained language
    /// model (adapters off) on the same samples.
    func answerLossReport(_ examples: [TrainingExample], prompt: String, batchSize: Int, data: String,
                          checkpoint: String) throws -> EvaluationReport {
        var model = 0.0, pretrained = 0.0
        for start in stride(from: 0, to: examples.count, by: batchSize) {
            let batch = Array(examples[start..<min(examples.count, start + batchSize)])
            model += Double(try step(batch, prompt: prompt, gradients: false).languageLoss) * Double(batch.count)
            pretrained += Double(try step(batch, prompt: prompt, gradients: false, adaptersOff: true).languageLoss) * Double(batch.count)
        }
        let count = Double(max(1, examples.count))
        return EvaluationReport(modality: modality.rawValue, metric: "answer cross-entropy per token", higherIsBetter: false,
                                model: model / count, baseline: pretrained / count, baselineName: "the pretrained language model",
                                extra: ["loss": model / count], samples: examples.count, data: data, checkpoint: checkpoint,
                                larf: nil, answers: [], outcomes: nil)
    }

    /// Greedy answers after the prompt through the inference path; the share naming the right class.
    /// With a bridge, also where its tokens land: the share whose nearest vocabulary token (the
    /// language lens's first word) is a word of the sample's own class, and beside it the same
    /// share for the other classes' words, averaged over those classes — what a lens that showed
    /// class words regardless of the input would score on its own class.
    /// `headAgreement`: the share of the answers that name the class the head predicted for the
    /// same sample (`headPredictions`, in `examples`' order) — where the two readings of one
    /// sequence, the language model's words and the head's classes, disagree.
    func larfScore(_ examples: [TrainingExample], prompt: String, labels: [String], headPredictions: [Int]) throws -> LaRFScore {
        let lm = model.languageModel
        let assembler = SequenceAssembler(tokenizer: lm.tokenizer, template: lm.template,
                                          systemPrompt: model.configuration.languageModel.systemPrompt, maximumLength: lm.maximumContext)
        let classWords = Dictionary(uniqueKeysWithValues: labels.map { ($0, LensAlignment.classTokens($0, tokenizer: lm.tokenizer)) })
        var right = 0, agree = 0, ownHits = 0, otherHits = 0.0, tokens = 0
        var answers: [String] = [], generated: [(text: String, named: Int?)] = []
        for (index, example) in examples.enumerated() {
            let tape = Tape()
            let p = ParameterBinding(tape: tape, store: model.store)
            let rows = try modalityRows(example, p).value
            let sequence = try assembler.assemble(.embeddings(rows), prompt: prompt)
            let (text, _) = try lm.generate(prompt: sequence.inputs, settings: .greedy, maxTokens: 8, cache: model.languageModelCache(modality))
            let named = AnswerSentence.namedClass(in: text, labels: labels)
            if named == labels.firstIndex(of: example.label) { right += 1 }
            if index < headPredictions.count, named == headPredictions[index] { agree += 1 }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            answers.append("\(example.label) → \(trimmed)")
            generated.append((trimmed, named))
            guard !modality.usesTokenizer else { continue }
            let own = classWords[example.label] ?? [], others = classWords.filter { $0.key != example.label }.map(\.value)
            let vectors = (0..<rows.shape[0]).map { rows[row: $0].scalars }
            for nearest in model.languageLens().nearest(vectors, k: 1) {
                guard let token = nearest.first?.token else { continue }
                tokens += 1
                if own.contains(token) { ownHits += 1 }
                otherHits += Double(others.filter { $0.contains(token) }.count) / Double(max(1, others.count))
            }
        }
        let lens = tokens > 0 ? (Double(ownHits) / Double(tokens), otherHits / Double(tokens)) : nil
        let count = Double(max(1, examples.count))
        return LaRFScore(score: Double(right) / count, headAgreement: Double(agree) / count, answers: answers, generated: generated, lens: lens)
    }

    /// The highest output's index (ties: the lower index).
    static func predictedIndex(_ output: Tensor) -> Int {
        output.scalars.indices.max { output.scalars[$0] < output.scalars[$1] || (output.scalars[$0] == output.scalars[$1] && $0 > $1) } ?? 0
    }

    static func predictedClass(_ output: Tensor, labels: [String]) -> String {
        let index = predictedIndex(output)
        return index < labels.count ? labels[index] : "class \(index)"
    }

    static func classification(_ outputs: [Tensor], _ examples: [TrainingExample], training: [TrainingExample],
                               labels: [String]) -> EvaluationReport {
        let truth = examples.map { if case .classIndex(let i) = $0.target { return i } else { return -1 } }
        let predicted = outputs.map(predictedIndex)
        var counts = [Int: Int]()
        for example in training { if case .classIndex(let i) = example.target { counts[i, default: 0] += 1 } }
        let majority = counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key ?? 0
        let accuracy = Double(zip(predicted, truth).filter { $0 == $1 }.count) / Double(max(1, truth.count))
        let baseline = Double(truth.filter { $0 == majority }.count) / Double(max(1, truth.count))
        return EvaluationReport(modality: "", metric: "accuracy", higherIsBetter: true, model: accuracy, baseline: baseline,
                                baselineName: "majority class (\(majority < labels.count ? labels[majority] : "\(majority)"))",
                                extra: [:], samples: 0, data: "", checkpoint: "", larf: nil, answers: [], outcomes: nil)
    }

    /// ADE and FDE in the scene's units, against constant velocity from the last observed step.
    /// Targets and outputs are deviations from constant velocity (`TaskHead.predict`), so the
    /// model's error is |output − target| and constant velocity's is |target| (a zero deviation).
    /// With `linear`, the same figures for its predictions go into `extra` under its name.
    static func trajectory(_ outputs: [Tensor], _ examples: [TrainingExample], head: HeadSection,
                           linear: (baseline: LinearRegressionBaseline, name: String)? = nil) -> EvaluationReport {
        let steps = head.steps ?? 0
        var model = DisplacementErrors(), constantVelocity = DisplacementErrors(), linearErrors = DisplacementErrors()
        for (output, example) in zip(outputs, examples) {
            guard case .values(let scaled, _) = example.target, scaled.count >= 2 * steps, output.count >= 2 * steps else { continue }
            func metres(_ values: [Float]) -> (Int) -> (x: Float, y: Float) {
                { k in (head.unscale(values[2 * k], index: 0), head.unscale(values[2 * k + 1], index: 1)) }
            }
            let target = metres(scaled)
            model.add(steps: steps, target: target, predicted: metres(output.scalars))
            constantVelocity.add(steps: steps, target: target, predicted: { _ in (0, 0) })
            if let linear, example.input.count == linear.baseline.featureCount {
                linearErrors.add(steps: steps, target: target, predicted: metres(linear.baseline.predict(example.input.scalars)))
            }
        }
        var extra = ["FDE": model.fde, "baseline FDE": constantVelocity.fde]
        if let linear, linearErrors.samples > 0 {
            extra["\(linear.name) ADE"] = linearErrors.ade
            extra["\(linear.name) FDE"] = linearErrors.fde
        }
        return EvaluationReport(modality: "", metric: "ADE", higherIsBetter: false, model: model.ade, baseline: constantVelocity.ade,
                                baselineName: "constant velocity", extra: extra,
                                samples: 0, data: "", checkpoint: "", larf: nil, answers: [], outcomes: nil)
    }

    /// Ridge regression from each training sample's prepared track to its scaled deviation from
    /// constant velocity, named for the report: "linear regression", or "linear regression
    /// (in-sample)" when it was fitted on samples it is evaluated on (eval without
    /// --baseline-data). Nil with fewer training samples than twice its coefficients per output.
    static func linearBaseline(fittedOn training: [TrainingExample], evaluating examples: [TrainingExample])
        -> (baseline: LinearRegressionBaseline, name: String)? {
        var inputs: [[Float]] = [], targets: [[Float]] = []
        for example in training {
            guard case .values(let values, _) = example.target else { continue }
            inputs.append(example.input.scalars); targets.append(values)
        }
        guard let features = inputs.first?.count, inputs.count >= 2 * (features + 1),
              let baseline = LinearRegressionBaseline(inputs: inputs, targets: targets) else { return nil }
        let fitted = Set(training.map(\.reference))
        let inSample = examples.contains { fitted.contains($0.reference) }
        return (baseline, inSample ? "linear regression (in-sample)" : "linear regression")
    }

    /// MAE and RMSE over the observed future readings (missing ones, 0, are masked as
    /// STAEformer does), against persistence: each node's last reading. Targets and outputs are
    /// deviations from it in standard deviations (`TaskHead.predict`), so the model's error is
    /// |output − target|·std and persistence's is |target|·std.
    static func graph(_ outputs: [Tensor], _ examples: [TrainingExample], head: HeadSection) -> EvaluationReport {
        var absolute = 0.0, squared = 0.0, baseAbsolute = 0.0, baseSquared = 0.0, count = 0
        for (output, example) in zip(outputs, examples) {
            guard case .values(let target, let observed) = example.target else { continue }
            for i in target.indices where observed.map({ $0[i] }) ?? true {
                let scale = Double(head.unscale(1, index: i) - head.unscale(0, index: i))
                let e = abs(Double(output.scalars[i] - target[i]) * scale), b = abs(Double(target[i]) * scale)
                absolute += e; squared += e * e; baseAbsolute += b; baseSquared += b * b; count += 1
            }
        }
        let n = Double(max(1, count))
        return EvaluationReport(modality: "", metric: "MAE", higherIsBetter: false, model: absolute / n, baseline: baseAbsolute / n,
                                baselineName: "persistence (each sensor's last reading)",
                                extra: ["RMSE": (squared / n).squareRoot(), "baseline RMSE": (baseSquared / n).squareRoot(), "values": Double(count)],
                                samples: 0, data: "", checkpoint: "", larf: nil, answers: [], outcomes: nil)
    }

    /// MAE and RMSE in the target's units against predicting the training set's mean of each
    /// output, over the values that are targets (a depth cell with no known depth is not).
    static func values(_ outputs: [Tensor], _ examples: [TrainingExample], training: [TrainingExample], head: HeadSection) -> EvaluationReport {
        let count = head.outputCount
        var sums = [Double](repeating: 0, count: count), seen = [Int](repeating: 0, count: count)
        for example in training {
            guard case .values(let v, let observed) = example.target, v.count == count else { continue }
            for i in 0..<count where observed.map({ $0[i] }) ?? true { sums[i] += Double(v[i]); seen[i] += 1 }
        }
        let mean = (0..<count).map { seen[$0] > 0 ? sums[$0] / Double(seen[$0]) : 0 }
        var mae = 0.0, baseMAE = 0.0, squared = 0.0, baseSquared = 0.0, values = 0
        for (output, example) in zip(outputs, examples) {
            guard case .values(let target, let observed) = example.target else { continue }
            for i in 0..<count where observed.map({ $0[i] }) ?? true {
                let t = Double(head.unscale(target[i], index: i))
                let e = abs(Double(head.unscale(output.scalars[i], index: i)) - t)
                let b = abs(Double(head.unscale(Float(mean[i]), index: i)) - t)
                mae += e; baseMAE += b; squared += e * e; baseSquared += b * b
                values += 1
            }
        }
        let n = Double(max(1, values))
        return EvaluationReport(modality: "", metric: "MAE", higherIsBetter: false, model: mae / n, baseline: baseMAE / n,
                                baselineName: "training mean", extra: ["RMSE": (squared / n).squareRoot(), "baseline RMSE": (baseSquared / n).squareRoot()],
                                samples: 0, data: "", checkpoint: "", larf: nil, answers: [], outcomes: nil)
    }
}

/// Average and final displacement errors (ADE, FDE) of one predictor over samples, in metres.
struct DisplacementErrors {
    private var adeSum = 0.0, fdeSum = 0.0
    private(set) var samples = 0

    var ade: Double { adeSum / Double(max(1, samples)) }
    var fde: Double { fdeSum / Double(max(1, samples)) }

    /// One sample: its `target` and `predicted` deviations from constant velocity at each future
    /// step, in metres.
    mutating func add(steps: Int, target: (Int) -> (x: Float, y: Float), predicted: (Int) -> (x: Float, y: Float)) {
        guard steps > 0 else { return }
        for k in 0..<steps {
            let (tx, ty) = target(k), (px, py) = predicted(k)
            let e = Double(((px - tx) * (px - tx) + (py - ty) * (py - ty)).squareRoot())
            adeSum += e / Double(steps)
            if k == steps - 1 { fdeSum += e }
        }
        samples += 1
    }
}

import AllSparkData
import Foundation
import SparkEngine

/// A folder of samples with ground truth (an `index.json` as `allspark synth` or
/// `scripts/fetch-data` writes it) turned into training examples for one modality.
///
/// Bad data is reported by file: an unreadable sample, a label not in the configuration's label
/// list, or a sample the encoder cannot take is either skipped (and counted in `skipped`) or,
/// with `strict`, the first one is an error. Never a crash.
public struct TrainingDataset: Sendable {
    public var directory: String
    public var examples: [TrainingExample]
    /// Samples left out, with why.
    public var skipped: [(file: String, problem: String)]
    /// The catalog's provenance in a line ("generated: allspark synth rgb --count 64 --seed 1", or the source).
    public var provenance: String

    public struct Problem: Error, CustomStringConvertible {
        public var file: String
        public var problem: String
        public var description: String { "\(file): \(problem)" }
    }

    public static func load(directory: String, modality: Modality, encoder: any TrainableEncoder, head: HeadSection,
                            strict: Bool = false, limit: Int? = nil) throws -> TrainingDataset {
        let catalog = try SampleCatalog.read(directory: directory)
        guard !catalog.entries.isEmpty else {
            throw Problem(file: (directory as NSString).appendingPathComponent(SampleCatalog.indexFileName),
                          problem: "no samples listed (expected an index.json as `allspark synth \(modality.rawValue) --out \(directory)` writes)")
        }
        var examples: [TrainingExample] = []
        var skipped: [(String, String)] = []
        for entry in catalog.entries {
            if let limit, examples.count >= limit { break }
            let reference = catalog.reference(entry)
            do {
                var sample = try SampleLoaders.load(modality, reference)
                if sample.label == nil { sample.label = entry.sampleLabel }
                let (target, label) = try Self.target(of: sample, head: head, encoder: encoder)
                let answer = head.kind == .classification ? AnswerSentence.forClass(label) : nil
                examples.append(TrainingExample(reference: reference, input: try encoder.prepare(sample), target: target,
                                                answer: answer, label: label))
            } catch {
                if strict { throw Problem(file: reference.text, problem: "\(error)") }
                skipped.append((reference.text, "\(error)"))
            }
        }
        let sources = Set(catalog.entries.map(\.source))
        let generated = catalog.entries.allSatisfy(\.generated)
        let listed = sources.sorted().prefix(2).joined(separator: "; ") + (sources.count > 2 ? "; …" : "")
        let provenance = generated && !listed.hasPrefix("generated") ? "generated: " + listed : listed
        return TrainingDataset(directory: directory, examples: examples, skipped: skipped, provenance: provenance)
    }

    /// The head's target for a sample with ground truth, and a label to show.
    static func target(of sample: Sample, head: HeadSection, encoder: any TrainableEncoder) throws -> (HeadTarget, String) {
        switch (head.kind, sample.label) {
        case (.classification, .className(let name)?):
            guard let index = head.labels?.firstIndex(of: name) else {
                throw Problem(file: sample.path, problem: "label '\(name)' is not one of the head's labels: \((head.labels ?? []).joined(separator: ", "))")
            }
            return (.classIndex(index), name)
        case (.trajectory, .futureTrajectory(let future)?):
            let steps = head.steps ?? 0
            guard future.shape == [steps, 2] else {
                throw Problem(file: sample.path, problem: "future track has shape \(future.shape); the head predicts [\(steps), 2]")
            }
            guard case .trajectory(let observed, _) = sample.content, observed.shape[0] > 0 else {
                throw Problem(file: sample.path, problem: "not a trajectory sample")
            }
            let last = observed.shape[0] - 1
            let origin = [observed[last, 0], observed[last, 1]]
            let step = TrajectoryVelocity.lastStep(observed)
            let velocity = [step.x, step.y]
            // What the head predicts: the deviation from constant velocity (see TaskHead.predict).
            let values = (0..<(steps * 2)).map { i in
                head.scale(future.scalars[i] - origin[i % 2] - Float(i / 2 + 1) * velocity[i % 2], index: i % 2)
            }
            return (.values(values), "future track")
        case (.graph, .futureSeries(let series)?):
            guard series.shape == head.outputShape else {
                throw Problem(file: sample.path, problem: "future series has shape \(series.shape); the head predicts \(head.outputShape)")
            }
            return (.values(series.scalars.enumerated().map { head.scale($0.element, index: $0.offset) }), "future series")
        case (.regression, .value(let value, _)?):
            return (.values([head.scale(Float(value))]), String(format: "%.4g", value))
        case (_, nil):
            throw Problem(file: sample.path, problem: "no ground truth (no label in index.json and none in the file)")
        default:
            throw Problem(file: sample.path, problem: "its ground truth does not fit a \(head.kind.rawValue) head")
        }
    }
}

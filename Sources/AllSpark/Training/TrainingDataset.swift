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

    /// How many samples the examples come from (an infrared sample gives two training inputs).
    public var sampleCount: Int { Set(examples.map(\.reference)).count }

    public struct Problem: Error, CustomStringConvertible {
        public var file: String
        public var problem: String
        public var description: String { "\(file): \(problem)" }
    }

    public static func load(directory: String, modality: Modality, encoder: any TrainableEncoder, head: HeadSection,
                            strict: Bool = false, limit: Int? = nil) throws -> TrainingDataset {
        try load(directory: directory, modality: modality, inputs: encoder.trainingInputs, head: head, strict: strict, limit: limit)
    }

    /// The same with the inputs made by `inputs` (`AllSparkModel.trainingInputs`: an encoder's
    /// prepared inputs, or a text's token ids). `limit` counts samples, not inputs: an infrared
    /// sample gives two (its query and its match), and `--limit` promises samples.
    public static func load(directory: String, modality: Modality, inputs: (Sample) throws -> [(input: Tensor, variant: Int)],
                            head: HeadSection, strict: Bool = false, limit: Int? = nil) throws -> TrainingDataset {
        let catalog = try SampleCatalog.read(directory: directory)
        guard !catalog.entries.isEmpty else {
            throw Problem(file: (directory as NSString).appendingPathComponent(SampleCatalog.indexFileName),
                          problem: "no samples listed (expected an index.json as `allspark synth \(modality.rawValue) --out \(directory)` writes)")
        }
        var examples: [TrainingExample] = []
        var skipped: [(String, String)] = []
        var samplesUsed = 0
        for entry in catalog.entries {
            if let limit, samplesUsed >= limit { break }
            let reference = catalog.reference(entry)
            do {
                var sample = try SampleLoaders.load(modality, reference, catalog: catalog)
                if sample.label == nil { sample.label = entry.sampleLabel }
                // Re-identification learns the query's identity (the catalog's class); the file's
                // own label says which gallery image shows that person.
                // Gallery ranking learns which gallery image is the match, whoever the person is.
                var labelled = sample
                if head.kind == .reidentification, !head.ranksGallery { labelled.label = entry.sampleLabel }
                let (target, label) = try Self.target(of: labelled, head: head)
                // Classification says the class in a sentence; generation's label is the answer itself.
                let answer = head.kind == .classification ? AnswerSentence.forClass(label, form: head.answer ?? .withArticle) : head.kind == .generation ? label : nil
                for (input, variant) in try inputs(sample) {
                    examples.append(TrainingExample(reference: reference, input: input, target: target, answer: answer,
                                                    label: label, variant: variant))
                }
                samplesUsed += 1
            } catch {
                if strict { throw Problem(file: reference.text, problem: "\(error)") }
                skipped.append((reference.text, "\(error)"))
            }
        }
        let sources = Set(catalog.entries.map(\.source))
        let generated = catalog.entries.allSatisfy(\.generated)
        let listed = Self.summarisedSources(sources)
        let provenance = generated && !listed.hasPrefix("generated") ? "generated: " + listed : listed
        return TrainingDataset(directory: directory, examples: examples, skipped: skipped, provenance: provenance)
    }

    /// The depth head's target: the map `[H, W]` averaged over each cell of the head's grid,
    /// counting only known depths (> 0); a cell with none is not a target.
    static func depthTarget(_ map: Tensor, head: HeadSection, file: String) throws -> HeadTarget {
        let grid = head.grid ?? []
        guard grid.count == 2, map.rank == 2, map.dim(0) >= grid[0], map.dim(1) >= grid[1] else {
            throw Problem(file: file, problem: "depth map has shape \(map.shape); the head predicts a \(grid) grid (the map must be at least as large)")
        }
        let (height, width) = (map.dim(0), map.dim(1))
        var values = [Float](repeating: 0, count: grid[0] * grid[1]), observed = [Bool](repeating: false, count: values.count)
        for row in 0..<grid[0] {
            for column in 0..<grid[1] {
                var sum = 0.0, count = 0
                for y in (row * height / grid[0])..<((row + 1) * height / grid[0]) {
                    for x in (column * width / grid[1])..<((column + 1) * width / grid[1]) where map[y, x] > 0 {
                        sum += Double(map[y, x]); count += 1
                    }
                }
                let i = row * grid[1] + column
                if count > 0 { values[i] = head.scale(Float(sum / Double(count)), index: i); observed[i] = true }
            }
        }
        return .values(values, observed: observed)
    }

    /// The head's target for a sample with ground truth, and a label to show.
    static func target(of sample: Sample, head: HeadSection) throws -> (HeadTarget, String) {
        switch (head.kind, sample.label) {
        case (.classification, .className(let name)?), (.reidentification, .className(let name)?):
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
            return (.values(values, observed: nil), "future track")
        case (.graph, .futureSeries(let future)?):
            let nodes = head.nodes ?? 0, steps = head.steps ?? 0
            guard future.shape == [steps, nodes] else {
                throw Problem(file: sample.path, problem: "future series has shape \(future.shape); the head predicts [\(steps), \(nodes)] (steps × nodes)")
            }
            guard case .graph(let series, _, _, _) = sample.content else { throw Problem(file: sample.path, problem: "not a graph sample") }
            let last = GraphPersistence.lastReadings(series, fallback: head.unscale(0))
            guard last.count == nodes else {
                throw Problem(file: sample.path, problem: "the observed series has \(last.count) nodes; the head predicts \(nodes)")
            }
            // What the head predicts: [nodes, steps] deviations from each node's last reading, in
            // standard deviations (TaskHead.predict). A missing future reading (0) is not a target.
            var values = [Float](repeating: 0, count: nodes * steps), observed = [Bool](repeating: false, count: nodes * steps)
            for node in 0..<nodes {
                for step in 0..<steps where future[step, node] != 0 {
                    let i = node * steps + step
                    values[i] = head.scale(future[step, node], index: i) - head.scale(last[node], index: i)
                    observed[i] = true
                }
            }
            return (.values(values, observed: observed), "future series")
        case (.depth, .depthMap(let map)?):
            return (try depthTarget(map, head: head, file: sample.path), "depth map")
        case (.reidentification, .galleryMatch(let index)?) where head.ranksGallery:
            return (.classIndex(index), "gallery image \(index)")
        case (.generation, .className(let text)?):
            return (.answerOnly, text)
        case (.regression, .value(let value, _)?):
            return (.values([head.scale(Float(value))], observed: nil), String(format: "%.4g", value))
        case (_, nil):
            throw Problem(file: sample.path, problem: "no ground truth (no label in index.json and none in the file)")
        default:
            throw Problem(file: sample.path, problem: "its ground truth does not fit a \(head.kind.rawValue) head")
        }
    }
}

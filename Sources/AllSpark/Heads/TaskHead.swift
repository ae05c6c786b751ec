import AllSparkData
import Foundation
import SparkEngine

/// A modality's task head (the paper, §3.5 and Table 4): one linear layer on the language model's
/// pooled final hidden state, `heads.<modality>.weight` `[outputs, D_llm]` and `.bias`, followed by
/// the task's parameter-free read-out — softmax for classes, unscaling with the stored mean and
/// std for regressions, the last observed position added back for trajectories.
public struct TaskHead: Sendable {
    public let modality: Modality
    public let section: HeadSection
    public let linear: Linear?
    /// A gallery-ranking head's shift of the query's projection, `heads.<modality>.query_shift`
    /// `[outputs]`: the query's sequence reads an infrared image and the gallery's read RGB
    /// images, whose pooled states differ by more than people do, so each side is centred on
    /// its own mean — the bias on the gallery's, the bias plus this on the query's.
    public let queryShift: Tensor?

    public init(_ store: ParameterStore, modality: Modality, section: HeadSection, width: Int) throws {
        self.modality = modality; self.section = section
        linear = section.kind == .generation ? nil
            : try Linear(store, "heads.\(modality.rawValue)", inputs: width, outputs: section.outputCount)
        queryShift = section.ranksGallery ? try store.tensor("heads.\(modality.rawValue).query_shift", [section.outputCount], .zeros) : nil
    }

    /// A gallery-ranking head's embedding of the query's pooled state: its projection plus the
    /// query shift (a gallery image's is `logits` alone).
    public func queryEmbedding(_ pooled: Tensor) -> Tensor? {
        guard let outputs = logits(pooled) else { return nil }
        guard let queryShift else { return outputs }
        return Tensor(shape: outputs.shape, scalars: zip(outputs.scalars, queryShift.scalars).map { $0 + $1 })
    }

    /// The raw linear outputs for a pooled hidden state `[D_llm]`.
    public func logits(_ pooled: Tensor) -> Tensor? {
        linear.map { $0(pooled.reshaped([1, pooled.count])).reshaped([section.outputCount]) }
    }

    /// Reads the prediction out of the raw outputs. `context` carries what the read-out needs
    /// beyond the logits: the trajectory's last observed position, the re-identification ranking.
    public func predict(_ outputs: Tensor?, context: HeadContext = HeadContext()) -> Prediction {
        guard let outputs else { return .generation }
        let values = outputs.scalars
        switch section.kind {
        case .generation:
            return .generation
        case .classification:
            return .classification(Self.classScores(values, labels: section.labels ?? []))
        case .reidentification:
            // A gallery-ranking head's outputs are the embedding the gallery is ranked by, not identities.
            let names = section.labels ?? (0..<section.classCount).map { "identity \($0)" }
            return .reidentification(identities: section.ranksGallery ? [] : Self.classScores(values, labels: names),
                                     embedding: context.embedding, ranking: context.ranking)
        case .regression:
            return .regression(values: values.enumerated().map { section.unscale($0.element, index: $0.offset) },
                               target: section.target ?? "value", unit: section.unit ?? "")
        case .trajectory:
            let steps = section.steps ?? 0
            var points = [Float](repeating: 0, count: steps * 2)
            // The head predicts the deviation from constant velocity: its read-out adds the last
            // observed position and k + 1 times the last observed step (a zero head is exactly
            // the constant-velocity forecast; training learns the corrections).
            for i in 0..<(steps * 2) {
                let (origin, velocity) = i % 2 == 0 ? (context.origin.x, context.velocity.x) : (context.origin.y, context.velocity.y)
                points[i] = section.unscale(values[i], index: i % 2) + origin + Float(i / 2 + 1) * velocity
            }
            return .trajectory(Tensor(shape: [steps, 2], scalars: points))
        case .graph:
            // Outputs are [nodes, steps], each the deviation from the node's last reading
            // (GraphPersistence) in standard deviations; without readings, from the mean.
            let steps = max(1, section.steps ?? 1)
            let forecast = values.enumerated().map { i, value -> Float in
                let node = i / steps
                let deviation = section.unscale(value, index: i) - section.unscale(0, index: i)
                return deviation + (node < context.lastReadings.count ? context.lastReadings[node] : section.unscale(0, index: i))
            }
            return .series(Tensor(shape: section.outputShape, scalars: forecast), unit: section.unit ?? "")
        case .depth:
            return .depth(Tensor(shape: section.outputShape, scalars: values.enumerated().map { section.unscale($0.element, index: $0.offset) }))
        }
    }

    /// Softmax probabilities, most probable first (ties: lower index first).
    static func classScores(_ logits: [Float], labels: [String]) -> [ClassScore] {
        guard let top = logits.max() else { return [] }
        let exps = logits.map { Foundation.exp(Double($0 - top)) }
        let total = exps.reduce(0, +)
        return logits.indices.map { i in
            ClassScore(index: i, label: i < labels.count ? labels[i] : "class \(i)", probability: Float(exps[i] / total))
        }.sorted { $0.probability != $1.probability ? $0.probability > $1.probability : $0.index < $1.index }
    }
}

/// Inputs of a head's read-out other than its logits.
public struct HeadContext: Sendable {
    /// Added to trajectory predictions: the last observed position (TrajectoryNormalisation's offset).
    public var origin: (x: Float, y: Float)
    /// Added k + 1 times to the k-th future trajectory position: the last observed step.
    public var velocity: (x: Float, y: Float) = (0, 0)
    /// Graph forecasts are deviations from these, one per node (`GraphPersistence.lastReadings`).
    public var lastReadings: [Float] = []
    /// The pooled embedding (re-identification).
    public var embedding: [Float]
    /// The gallery ranked by cosine similarity (re-identification).
    public var ranking: [GalleryMatch]

    public init(origin: (x: Float, y: Float) = (0, 0), embedding: [Float] = [], ranking: [GalleryMatch] = []) {
        self.origin = origin; self.embedding = embedding; self.ranking = ranking
    }

    /// Cosine similarity of two vectors (0 when either is zero).
    public static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        var dot: Double = 0, na: Double = 0, nb: Double = 0
        for (x, y) in zip(a, b) { dot += Double(x) * Double(y); na += Double(x) * Double(x); nb += Double(y) * Double(y) }
        return na > 0 && nb > 0 ? Float(dot / (na.squareRoot() * nb.squareRoot())) : 0
    }
}

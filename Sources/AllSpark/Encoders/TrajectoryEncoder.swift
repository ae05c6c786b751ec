import AllSparkData
import SparkEngine

/// Trajectory: a TUTR-style encoder (Shi et al. 2023, "Trajectory Unified Transformer"; the paper
/// §3.3.2): every observed step's (x, y) goes through one linear layer 2 → D (`input_proj`), a
/// learned embedding of the step's index is added (`pos_embed`, `[steps, D]`), then `depth`
/// pre-norm transformer blocks (`blocks.<i>`) and a final LayerNorm (`norm`). Paper size: 8 steps,
/// 2 blocks × 256 → 8 × 256 tokens, one per observed step.
///
/// Preprocessing (`TrajectoryNormalisation.relativeToLastObserved`): positions become
/// displacements from the last observed position, so the model sees motion, not the scene's
/// absolute coordinates; the subtracted offset is returned in `extras["offset"]` so the head's
/// predicted offsets can be mapped back to the scene.
///
/// Neighbours: TUTR uses the other pedestrians only in its social-level decoder, after the
/// encoder, and the paper's encoder takes the pedestrian's own track; so neighbours are not
/// encoded. They are moved into the same relative frame and returned in `extras["neighbours"]`
/// (`[count, steps, 2]`) for views.
public final class TrajectoryEncoder: ModalityEncoder {
    public static let modality = Modality.trajectory

    struct InputSection: ConfigSection, Equatable {
        /// Observed steps per sample (8 in ETH/UCY's protocol).
        var steps: Int
        static let allowedKeys = ["steps"]
        mutating func validate(in object: ConfigObject) throws {
            try requirePositive(steps, "steps", in: object)
            // The step embedding has one row per step; beyond this a file would rather be wrong.
            if steps > 4096 { throw object.error("steps", "is \(steps); expected at most 4096") }
        }
    }

    public let specification: EncoderSpecification
    let input: InputSection
    let inputProjection: Linear
    let stepEmbedding: Tensor
    let stack: TransformerStack

    public static func specification(section: ModalitySection) throws -> EncoderSpecification {
        let (input, stack) = try sections(section)
        return EncoderSpecification(
            inputShape: [input.steps, 2], tokenShape: [input.steps, stack.width],
            summary: "TUTR-style: linear 2→\(stack.width) per step + step embedding, \(stack.summary)")
    }

    static func sections(_ section: ModalitySection) throws -> (InputSection, TransformerStackSection) {
        (try section.input.decode(InputSection.self), try section.encoder.decode(TransformerStackSection.self))
    }

    public init(section: ModalitySection, store: ParameterStore) throws {
        let (input, stackSection) = try Self.sections(section)
        self.input = input
        specification = try Self.specification(section: section)
        let prefix = Self.parameterPrefix
        inputProjection = try Linear(store, prefix + ".input_proj", inputs: 2, outputs: stackSection.width)
        stepEmbedding = try store.tensor(prefix + ".pos_embed", [input.steps, stackSection.width], .truncatedNormal(std: 0.02))
        stack = try TransformerStack(store, prefix, section: stackSection)
    }

    public func encode(_ sample: Sample) throws -> EncoderOutput {
        guard case .trajectory(let observed, let neighbours) = sample.content else {
            throw EncoderInputError(.trajectory, "expected a trajectory sample, got \(sample.content.kindName)")
        }
        try Self.check(observed, steps: input.steps, what: "the observed track", requireFinite: true)
        for (index, neighbour) in neighbours.enumerated() {
            try Self.check(neighbour, steps: input.steps, what: "neighbour \(index)", requireFinite: false)
        }
        let relative = TrajectoryNormalisation.relativeToLastObserved(observed, neighbours: neighbours)
        let tokens = stack(inputProjection(relative.observed) + stepEmbedding)
        var extras = ["offset": Tensor(shape: [2], scalars: relative.offset)]
        if !relative.neighbours.isEmpty {
            extras["neighbours"] = Tensor.concatenate(relative.neighbours.map { $0.reshaped([1, input.steps, 2]) }, axis: 0)
        }
        return EncoderOutput(input: relative.observed, tokens: tokens,
                             layout: .sequence(labels: Self.stepLabels(input.steps)), extras: extras)
    }

    /// The network's input: the observed track relative to its last position `[steps, 2]`.
    public func prepare(_ sample: Sample) throws -> Tensor {
        guard case .trajectory(let observed, let neighbours) = sample.content else {
            throw EncoderInputError(.trajectory, "expected a trajectory sample, got \(sample.content.kindName)")
        }
        try Self.check(observed, steps: input.steps, what: "the observed track", requireFinite: true)
        return TrajectoryNormalisation.relativeToLastObserved(observed, neighbours: neighbours).observed
    }

    /// "t-7" … "t0": steps counted back from the last observed one, the frame the tokens live in.
    static func stepLabels(_ steps: Int) -> [String] {
        (0..<steps).map { "t-\(steps - 1 - $0)" }.map { $0 == "t-0" ? "t0" : $0 }
    }

    /// Positions must be `[steps, 2]`; the observed track must also be finite, since a NaN would
    /// spread through every token via attention.
    static func check(_ positions: Tensor, steps: Int, what: String, requireFinite: Bool) throws {
        guard positions.shape == [steps, 2] else {
            throw EncoderInputError(.trajectory, "\(what) has shape \(positions.shape); expected [\(steps), 2] (the configured input.steps × (x, y))")
        }
        if requireFinite, let bad = positions.scalars.firstIndex(where: { !$0.isFinite }) {
            throw EncoderInputError(.trajectory, "\(what) holds \(positions.scalars[bad]) at step \(bad / 2); expected finite coordinates")
        }
    }
}

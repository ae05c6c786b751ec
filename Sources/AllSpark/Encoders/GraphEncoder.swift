import AllSparkData
import SparkEngine

/// Graph (traffic): STAEformer's input embedding (Liu et al. 2023, "Spatio-Temporal Adaptive
/// Embedding Makes Vanilla Transformer SOTA for Traffic Forecasting"; the paper §3.3.2). For every
/// (step, node) position it concatenates
///   - `input_proj`: a linear layer over the 3 input channels (value, time of day, day of week),
///   - `tod_embedding`: the time-of-day slot's row (`stepsPerDay` slots, 288 of 5 minutes),
///   - `dow_embedding`: the day of the week's row (7, Monday = 0),
///   - `adaptive_embedding`: a learned `[steps, nodes, width]` tensor, one row per position,
/// in that order, as STAEformer's `torch.cat(features, dim=-1)`. Paper size: 24 + 24 + 24 + 80 = 152
/// per position, 12 steps × 207 nodes → 2484 × 152 tokens in step-major order. As SPEC-MODALITIES.md
/// fixes it, the encoder is the embedding only (STAEformer's temporal and spatial transformer
/// layers are not part of it): the bridge attends over the positions directly.
///
/// Preprocessing, as STAEformer's data preparation: the input is `[steps, nodes, 3]` of the
/// series' feature 0 (speed or flow) standardised with the configured training `mean` and `std`,
/// the time-of-day fraction and the day-of-week number of each step (the same for every node).
/// The time-of-day slot is `floor(fraction · stepsPerDay)`. Readings of 0 (missing in METR-LA)
/// are standardised like any value, as STAEformer does; its loss masks them, not its input. The
/// adjacency is not used: STAEformer learns the spatial structure in the adaptive embedding.
/// The paper configuration's `mean`/`std` (54.4059 / 19.4937 mph) are the values commonly reported
/// for METR-LA's training split (quoted, not recomputed: the data set is not in this repository);
/// the tiny configuration's are numpy's over our four generated days
/// (`scripts/reference/structured_encoders_reference.py`).
public final class GraphEncoder: ModalityEncoder {
    public static let modality = Modality.graph

    struct InputSection: ConfigSection, Equatable {
        var steps: Int
        var nodes: Int
        /// Time-of-day slots per day (288 for 5-minute steps).
        var stepsPerDay: Int
        /// Standardisation of feature 0 (the training split's mean and standard deviation).
        var mean: Float
        var std: Float
        static let allowedKeys = ["steps", "nodes", "stepsPerDay", "mean", "std"]
        mutating func validate(in object: ConfigObject) throws {
            for (key, value) in [("steps", steps), ("nodes", nodes), ("stepsPerDay", stepsPerDay)] {
                try requirePositive(value, key, in: object)
            }
            // Bounds that keep steps × nodes × width far from overflow and the tables plausible.
            if steps > 10_000 { throw object.error("steps", "is \(steps); expected at most 10000") }
            if nodes > 100_000 { throw object.error("nodes", "is \(nodes); expected at most 100000") }
            if stepsPerDay > 86_400 { throw object.error("stepsPerDay", "is \(stepsPerDay); expected at most 86400 (one per second)") }
            if !mean.isFinite { throw object.error("mean", "is \(mean); expected a finite number") }
            if !(std > 0 && std.isFinite) { throw object.error("std", "is \(std); expected a positive number") }
        }
    }

    struct EmbeddingSection: ConfigSection, Equatable {
        var inputEmbedding: Int
        var timeOfDayEmbedding: Int
        var dayOfWeekEmbedding: Int
        var adaptiveEmbedding: Int
        static let allowedKeys = ["inputEmbedding", "timeOfDayEmbedding", "dayOfWeekEmbedding", "adaptiveEmbedding"]
        mutating func validate(in object: ConfigObject) throws {
            for (key, value) in [("inputEmbedding", inputEmbedding), ("timeOfDayEmbedding", timeOfDayEmbedding),
                                 ("dayOfWeekEmbedding", dayOfWeekEmbedding), ("adaptiveEmbedding", adaptiveEmbedding)] {
                try requirePositive(value, key, in: object)
                if value > 4096 { throw object.error(key, "is \(value); expected at most 4096") }
            }
        }
        var width: Int { inputEmbedding + timeOfDayEmbedding + dayOfWeekEmbedding + adaptiveEmbedding }
        var parts: [Int] { [inputEmbedding, timeOfDayEmbedding, dayOfWeekEmbedding, adaptiveEmbedding] }
    }

    /// Input channels of `input_proj`: value, time-of-day fraction, day of week.
    static let channels = 3
    static let daysPerWeek = 7

    public let specification: EncoderSpecification
    let input: InputSection
    let embedding: EmbeddingSection
    let inputProjection: Linear
    let timeOfDayTable: Tensor
    let dayOfWeekTable: Tensor
    let adaptive: Tensor

    public static func specification(section: ModalitySection) throws -> EncoderSpecification {
        let (input, embedding) = try sections(section)
        let parts = embedding.parts.map(String.init).joined(separator: " + ")
        return EncoderSpecification(
            inputShape: [input.steps, input.nodes, channels], tokenShape: [input.steps * input.nodes, embedding.width],
            summary: "STAEformer embedding: input, time of day, day of week, adaptive (\(parts) = \(embedding.width)) per step × node")
    }

    static func sections(_ section: ModalitySection) throws -> (InputSection, EmbeddingSection) {
        (try section.input.decode(InputSection.self), try section.encoder.decode(EmbeddingSection.self))
    }

    public init(section: ModalitySection, store: ParameterStore) throws {
        let (input, embedding) = try Self.sections(section)
        self.input = input; self.embedding = embedding
        specification = try Self.specification(section: section)
        let prefix = Self.parameterPrefix
        inputProjection = try Linear(store, prefix + ".input_proj", inputs: Self.channels, outputs: embedding.inputEmbedding)
        timeOfDayTable = try store.tensor(prefix + ".tod_embedding.weight", [input.stepsPerDay, embedding.timeOfDayEmbedding], .truncatedNormal(std: 0.02))
        dayOfWeekTable = try store.tensor(prefix + ".dow_embedding.weight", [Self.daysPerWeek, embedding.dayOfWeekEmbedding], .truncatedNormal(std: 0.02))
        // STAEformer initialises it with xavier_uniform_: for a [steps, nodes, w] tensor PyTorch's
        // fan-in is nodes·w and fan-out steps·w.
        let bound = (6 / Float((input.nodes + input.steps) * embedding.adaptiveEmbedding)).squareRoot()
        adaptive = try store.tensor(prefix + ".adaptive_embedding", [input.steps, input.nodes, embedding.adaptiveEmbedding], .uniform(bound: bound))
    }

    public func encode(_ sample: Sample) throws -> EncoderOutput {
        guard case .graph(let series, let timeOfDay, let dayOfWeek, _) = sample.content else {
            throw EncoderInputError(.graph, "expected a traffic graph sample, got \(sample.content.kindName)")
        }
        // The same numbers as `forward` on `prepare`'s channels (TapeForwardTests checks it).
        let slots = try Self.timeSlots(series: series, timeOfDay: timeOfDay, dayOfWeek: dayOfWeek, input: input)
        let positions = input.steps * input.nodes
        let channels = Self.inputChannels(series: series, timeOfDay: timeOfDay, dayOfWeek: dayOfWeek, input: input)
        let projected = inputProjection(channels.reshaped([positions, Self.channels]))
        // One table row per step, repeated over the nodes of that step.
        let perPosition = (0..<positions).map { $0 / input.nodes }
        let timeOfDayRows = try timeOfDayTable.embeddingRows(perPosition.map { slots[$0] })
        let dayOfWeekRows = try dayOfWeekTable.embeddingRows(perPosition.map { dayOfWeek[$0] })
        let tokens = Tensor.concatenate([projected, timeOfDayRows, dayOfWeekRows,
                                         adaptive.reshaped([positions, embedding.adaptiveEmbedding])], axis: 1)
        return EncoderOutput(input: channels, tokens: tokens, layout: .timeByNode(steps: input.steps, nodes: input.nodes),
                             extras: ["time_of_day_slot": Tensor(shape: [input.steps], scalars: slots.map(Float.init))])
    }

    /// The network's input: `[steps, nodes, 3]` channels (standardised value, time-of-day
    /// fraction, day of week), validated. The tables' row numbers are read back from channels 1
    /// and 2 by `forward`.
    public func prepare(_ sample: Sample) throws -> Tensor {
        guard case .graph(let series, let timeOfDay, let dayOfWeek, _) = sample.content else {
            throw EncoderInputError(.graph, "expected a traffic graph sample, got \(sample.content.kindName)")
        }
        _ = try Self.timeSlots(series: series, timeOfDay: timeOfDay, dayOfWeek: dayOfWeek, input: input)
        return Self.inputChannels(series: series, timeOfDay: timeOfDay, dayOfWeek: dayOfWeek, input: input)
    }

    /// Time-of-day slot and day of week of each step, from prepared channels `[steps, nodes, 3]`
    /// (node 0's, which every node shares).
    func calendar(ofChannels channels: Tensor) -> (slots: [Int], days: [Int]) {
        let stride = input.nodes * Self.channels
        let slots = (0..<input.steps).map { min(Int(channels.scalars[$0 * stride + 1] * Float(input.stepsPerDay)), input.stepsPerDay - 1) }
        let days = (0..<input.steps).map { Int(channels.scalars[$0 * stride + 2]) }
        return (slots, days)
    }

    /// Checks the sample against the configuration and returns each step's time-of-day slot.
    static func timeSlots(series: Tensor, timeOfDay: [Float], dayOfWeek: [Int], input: InputSection) throws -> [Int] {
        guard series.rank == 3, series.dim(2) >= 1 else {
            throw EncoderInputError(.graph, "the series has shape \(series.shape); expected [steps, nodes, features] with at least one feature")
        }
        guard series.dim(1) == input.nodes else {
            throw EncoderInputError(.graph, "the sample has \(series.dim(1)) nodes but the configuration's input.nodes is \(input.nodes); the adaptive embedding is learned per node, so they must match")
        }
        guard series.dim(0) == input.steps else {
            throw EncoderInputError(.graph, "the sample has \(series.dim(0)) steps but the configuration's input.steps is \(input.steps)")
        }
        guard timeOfDay.count == input.steps, dayOfWeek.count == input.steps else {
            throw EncoderInputError(.graph, "the sample has \(timeOfDay.count) time-of-day and \(dayOfWeek.count) day-of-week values; expected one per step (\(input.steps))")
        }
        if let bad = series.scalars.firstIndex(where: { !$0.isFinite }) {
            let features = series.dim(2)
            throw EncoderInputError(.graph, "the series holds \(series.scalars[bad]) at [\(bad / (input.nodes * features)), \((bad / features) % input.nodes), \(bad % features)]; expected finite values")
        }
        if let bad = dayOfWeek.firstIndex(where: { !(0..<daysPerWeek).contains($0) }) {
            throw EncoderInputError(.graph, "day of week of step \(bad) is \(dayOfWeek[bad]); expected 0 (Monday) … 6 (Sunday)")
        }
        return try timeOfDay.enumerated().map { step, fraction in
            guard fraction >= 0, fraction < 1 else {
                throw EncoderInputError(.graph, "time of day of step \(step) is \(fraction); expected a fraction of the day in [0, 1)")
            }
            // A fraction a hair below 1 may round up to stepsPerDay in Float; it belongs to the last slot.
            return min(Int(fraction * Float(input.stepsPerDay)), input.stepsPerDay - 1)
        }
    }

    /// `[steps, nodes, 3]`: standardised feature 0, time-of-day fraction, day of week.
    static func inputChannels(series: Tensor, timeOfDay: [Float], dayOfWeek: [Int], input: InputSection) -> Tensor {
        let steps = input.steps, nodes = input.nodes, features = series.dim(2)
        return series.withUnsafeBufferPointer { x in
            Tensor(shape: [steps, nodes, channels], uninitializedWith: { out in
                for t in 0..<steps {
                    let tod = timeOfDay[t], dow = Float(dayOfWeek[t])
                    for n in 0..<nodes {
                        let position = t * nodes + n
                        out[3 * position] = (x[position * features] - input.mean) / input.std
                        out[3 * position + 1] = tod
                        out[3 * position + 2] = dow
                    }
                }
            })
        }
    }
}

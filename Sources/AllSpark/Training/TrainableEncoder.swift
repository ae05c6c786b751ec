import AllSparkData
import SparkEngine
import SparkGrad

/// An encoder that can learn: its preprocessing (`prepare`, deterministic, no parameters) is split
/// from its network (`forward` on a tape), so training prepares each sample once and runs only the
/// network per step. `encode` is `prepare` then the network on tensors.
public protocol TrainableEncoder: ModalityEncoder {
    /// The network's input for `sample`, validated.
    func prepare(_ sample: Sample) throws -> Tensor
    /// The network on a tape: prepared input → tokens `[N, D]`.
    func forward(_ input: Variable, _ p: ParameterBinding) -> Variable
    /// The inputs one sample trains with, each with its variant: `prepare(sample)` (variant 0) for
    /// every encoder but infrared, which also trains the gallery's matching image alone.
    func trainingInputs(_ sample: Sample) throws -> [(input: Tensor, variant: Int)]
    /// The network on a tape for an input of `variant`.
    func forward(_ input: Variable, variant: Int, _ p: ParameterBinding) -> Variable
}

extension TrainableEncoder {
    public func trainingInputs(_ sample: Sample) throws -> [(input: Tensor, variant: Int)] { [(try prepare(sample), 0)] }
    public func forward(_ input: Variable, variant: Int, _ p: ParameterBinding) -> Variable { forward(input, p) }
}

extension RGBEncoder: TrainableEncoder {
    public func forward(_ input: Variable, _ p: ParameterBinding) -> Variable { backbone(input, p) }
}

extension TrajectoryEncoder: TrainableEncoder {
    public func forward(_ input: Variable, _ p: ParameterBinding) -> Variable {
        stack(inputProjection(input, p) + p(Self.parameterPrefix + ".pos_embed", stepEmbedding), p)
    }
}

extension GraphEncoder: TrainableEncoder {
    /// Channels `[steps, nodes, 3]` → `[steps · nodes, width]`: the input projection, the
    /// time-of-day and day-of-week rows of each step, and the adaptive embedding, concatenated.
    public func forward(_ channels: Variable, _ p: ParameterBinding) -> Variable {
        let positions = input.steps * input.nodes
        let (slots, days) = calendar(ofChannels: channels.value)
        let perPosition = (0..<positions).map { $0 / input.nodes }
        let prefix = Self.parameterPrefix
        return Variable.concatenate([
            inputProjection(channels.reshaped([positions, Self.channels]), p),
            p(prefix + ".tod_embedding.weight", timeOfDayTable).embeddingRows(perPosition.map { slots[$0] }),
            p(prefix + ".dow_embedding.weight", dayOfWeekTable).embeddingRows(perPosition.map { days[$0] }),
            p(prefix + ".adaptive_embedding", adaptive).reshaped([positions, embedding.adaptiveEmbedding]),
        ], axis: 1)
    }
}

extension MSIEncoder: TrainableEncoder {
    public func forward(_ input: Variable, _ p: ParameterBinding) -> Variable { backbone(input, p) }
}

extension SAREncoder: TrainableEncoder {
    /// Chip `[1, size, size]` → `[side², channels]`: conv, batch norm (fixed statistics), ReLU and
    /// max-pool per layer, then one token per feature-map cell.
    public func forward(_ chip: Variable, _ p: ParameterBinding) -> Variable {
        var x = chip
        for layer in layers { x = layer.norm(layer.convolution(x, p), p).relu().maxPool2d(kernel: layer.pool) }
        return x.reshaped([x.shape[0], featureSide * featureSide]).permuted([1, 0])
    }
}

extension ObliqueEncoder: TrainableEncoder {
    /// Views `[views, 3, size, size]` → one shared ViT per view plus that view's embedding,
    /// concatenated view after view (the ViT's parameters are bound once and sum their gradients).
    public func forward(_ views: Variable, _ p: ParameterBinding) -> Variable {
        let count = views.shape[0], plane = views.shape[1] * views.shape[2] * views.shape[3]
        let flat = views.reshaped([count, plane])
        let embeddings = p(Self.parameterPrefix + ".view_embed", viewEmbedding)
        return Variable.concatenate((0..<count).map { v in
            backbone(flat.slice(rows: v..<(v + 1)).reshaped(Array(views.shape.dropFirst())), p) + embeddings.slice(rows: v..<(v + 1)).reshaped([embeddings.shape[1]])
        }, axis: 0)
    }
}

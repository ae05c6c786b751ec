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
}

extension RGBEncoder: TrainableEncoder {
    public func forward(_ input: Variable, _ p: ParameterBinding) -> Variable { backbone(input, p) }
}

extension TrajectoryEncoder: TrainableEncoder {
    public func forward(_ input: Variable, _ p: ParameterBinding) -> Variable {
        stack(inputProjection(input, p) + p(Self.parameterPrefix + ".pos_embed", stepEmbedding), p)
    }
}

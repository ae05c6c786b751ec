import AllSparkData
import SparkEngine

extension AllSparkModel {
    /// How a sample of `modality` becomes training inputs: the trainable encoder's prepared
    /// inputs, or for text and code the token ids (as Floats, exact below 2²⁴), which the trainer
    /// embeds with the frozen language model (`ModalityTrainer.modalityRows`).
    public func trainingInputs(_ modality: Modality) throws -> (Sample) throws -> [(input: Tensor, variant: Int)] {
        if modality.usesTokenizer {
            return { sample in
                let ids = try self.encode(modality, sample).tokenIds ?? []
                guard !ids.isEmpty else { throw TrainingError("the \(modality.rawValue) has no tokens (expected some text)") }
                return [(Tensor(shape: [ids.count], scalars: ids.map(Float.init)), 0)]
            }
        }
        guard let encoder = try components(modality).encoder as? any TrainableEncoder else {
            throw TrainingError("the \(modality.rawValue) encoder cannot learn (its forward pass is not on the tape)")
        }
        return encoder.trainingInputs
    }
}

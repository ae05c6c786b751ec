/// What one training run learns and how, besides the optimiser's numbers.
public struct TrainingOptions: Sendable, Equatable {
    /// Weight of the task head's loss in the total.
    public var headLossWeight: Float = 1
    /// Weight of the language-model loss on the answer sentence (LaRF) in the total.
    public var languageLossWeight: Float = 1
    /// Whether the Lynx adapters inside the language model learn: the modality's own set when its
    /// section says `ownAdapters`, else the set every modality shares (so a per-modality run leaves
    /// them frozen by default).
    public var trainAdapters = false
    /// Whether the modality's encoder learns (the paper freezes the RGB encoder when it is pretrained).
    public var trainEncoder = true
    /// Gallery ranking on the encoder's own tokens, without the bridge and the language model: a
    /// pretraining stage for the infrared encoder (`ModalityTrainer.galleryRankingStep`).
    public var encoderOnly = false
    /// Gallery ranking's second stage: the head's embedding of each image learns to point where a
    /// fixed random projection of the (pretrained) encoder's tokens points (cosine distance), a
    /// target for every image instead of one ranking per sample
    /// (`ModalityTrainer.encoderDistillationLoss`).
    public var distilEncoder = false
    /// Weight of the lens-alignment term (`LensAlignment`): each bridge token of a classified
    /// sample is pulled towards a word of its class. 0: off.
    public var lensWeight: Float = 0

    public init(headLossWeight: Float = 1, languageLossWeight: Float = 1, trainAdapters: Bool = false, trainEncoder: Bool = true,
                encoderOnly: Bool = false, distilEncoder: Bool = false, lensWeight: Float = 0) {
        self.headLossWeight = headLossWeight; self.languageLossWeight = languageLossWeight
        self.trainAdapters = trainAdapters; self.trainEncoder = trainEncoder; self.encoderOnly = encoderOnly
        self.distilEncoder = distilEncoder; self.lensWeight = lensWeight
    }
}

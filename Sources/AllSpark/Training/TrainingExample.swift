import AllSparkData
import SparkEngine

/// What a head is trained towards, in the head's own (scaled) units.
public enum HeadTarget: Sendable, Equatable {
    /// A class index (classification).
    case classIndex(Int)
    /// Values in the head's output order, already scaled with the head's mean and std
    /// (regression, trajectory offsets, graph series). `observed` marks the values that are
    /// targets (a graph's missing future readings are not); nil: all of them.
    case values([Float], observed: [Bool]?)
    /// No head target: the language model's answer is all there is to learn (code → the first
    /// line of its documentation, with the adapters training).
    case answerOnly
}

/// One sample made ready for training: the encoder's prepared input, the head's target and the
/// answer sentence the language model is taught to say (LaRF: the model names the class in words).
public struct TrainingExample: Sendable {
    public var reference: SampleReference
    /// The trainable encoder's input (`TrainableEncoder.prepare`).
    public var input: Tensor
    public var target: HeadTarget
    /// The assistant's answer, e.g. "A forest."; nil: no language-model loss for this sample.
    public var answer: String?
    public var label: String
    /// Which of the encoder's training inputs this is (`TrainableEncoder.trainingInputs`; 0 for
    /// all but infrared, whose variant 1 is a gallery image alone through the RGB branch).
    public var variant: Int

    public init(reference: SampleReference, input: Tensor, target: HeadTarget, answer: String?, label: String, variant: Int = 0) {
        self.reference = reference; self.input = input; self.target = target; self.answer = answer; self.label = label
        self.variant = variant
    }
}

/// The sentence a sample's class is said in. Short, and with the class's words as they are
/// written (underscores become spaces), so the words tokenize as ordinary language.
public enum AnswerSentence {
    public static func forClass(_ label: String, form: AnswerForm = .withArticle) -> String {
        let words = label.replacingOccurrences(of: "_", with: " ")
        guard form == .withArticle else { return "\(words)." }
        let article = words.first.map { "aeiouAEIOU".contains($0) } == true ? "An" : "A"
        return "\(article) \(words)."
    }

    /// The class a generated answer names: the label whose words appear in `text` (the longest
    /// match wins, so "dense residential" beats "residential"); nil when none does.
    public static func namedClass(in text: String, labels: [String]) -> Int? {
        let lowered = text.lowercased()
        var best: (index: Int, length: Int)?
        for (index, label) in labels.enumerated() {
            let words = label.replacingOccurrences(of: "_", with: " ").lowercased()
            if lowered.contains(words), words.count > (best?.length ?? 0) { best = (index, words.count) }
        }
        return best?.index
    }
}

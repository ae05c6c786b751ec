/// What a generated answer says beside a classification head: the class its text names
/// (`AnswerSentence.namedClass`, the rule `allspark eval`'s LaRF score counts with) and the class
/// the head predicted from the same sequence. The two are separate readings of one pass, so they
/// can part ways (an hsi spectrum: the head says Asphalt, the answer "A Bitumen."); the screens say
/// so rather than leave a user to notice.
public struct AnswerReading: Sendable, Codable, Equatable {
    /// The class the answer names; nil when it names none of the head's classes.
    public var namedClass: String?
    /// The head's most probable class.
    public var headClass: String
    /// Whether the head has trained weights (an untrained head's class is noise).
    public var headTrained: Bool
    /// Whether the answer names the head's class.
    public var agrees: Bool

    /// nil unless the head classifies: regressions, trajectories and the rest have no class to name.
    public init?(answer: String, head: HeadStage?) {
        guard let head, case .classification(let scores) = head.prediction, let top = scores.first else { return nil }
        let labels = scores.sorted { $0.index < $1.index }.map(\.label)
        namedClass = AnswerSentence.namedClass(in: answer, labels: labels).map { labels[$0] }
        headClass = top.label
        headTrained = head.provenance?.isTrained ?? false
        agrees = namedClass == headClass
    }

    /// One clause for the stage's note.
    public var summary: String {
        let whose = headTrained ? "the head" : "the untrained head"
        guard let namedClass else { return "the answer names none of the classes; \(whose) predicts \(headClass)" }
        return agrees ? "the answer names \(namedClass), as \(whose) predicts"
                      : "the answer names \(namedClass), but \(whose) predicts \(headClass)"
    }
}

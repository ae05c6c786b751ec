import AllSparkData

/// A small list to choose from, drawn over the screen: the modality's prompts, or the steps of a
/// comparison. j/k or the arrows move, Enter chooses, Esc backs out, a click chooses a row.
public struct Dialog: Equatable, Sendable {
    public enum Purpose: Equatable, Sendable {
        /// `p`: use one of the modality's prompts.
        case choosePrompt
        /// `c`, step 1: compare two prompts or two samples.
        case compareWhat
        /// `c`, step 2: the first prompt or sample.
        case compareFirst
        /// `c`, step 3: the second, the first already chosen.
        case compareSecond(first: Choice.Value)
    }

    public struct Choice: Equatable, Sendable {
        public enum Value: Equatable, Sendable {
            case prompt(String)
            case sample(SampleReference)
            case comparePrompts
            case compareSamples
            case showLastComparison
        }
        public var label: String
        /// Shown dimmed on the right ("built-in", "user", "edited").
        public var detail: String
        public var value: Value
        public init(_ label: String, detail: String = "", value: Value) { self.label = label; self.detail = detail; self.value = value }
    }

    public var purpose: Purpose
    public var title: String
    /// One line under the title saying what choosing does.
    public var explanation: String
    public var choices: [Choice]
    public var selection: Int
    public var offset = 0

    public init(purpose: Purpose, title: String, explanation: String, choices: [Choice], selection: Int = 0) {
        self.purpose = purpose; self.title = title; self.explanation = explanation; self.choices = choices
        self.selection = min(max(0, selection), max(0, choices.count - 1))
    }

    public var chosen: Choice? { choices.indices.contains(selection) ? choices[selection] : nil }

    public mutating func move(by steps: Int) {
        guard !choices.isEmpty else { return }
        selection = min(choices.count - 1, max(0, selection.addingClamped(steps)))
    }
}

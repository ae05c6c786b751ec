import AllSparkData
import SparkLM

/// Two runs of the same modality that differ in one thing — the prompt or the sample — side by side:
/// head predictions, next-token candidates and generations, with what differs spelled out.
public struct Comparison: Sendable {
    public struct Side: Sendable {
        /// "prompt 2: Describe this remote sensing image briefly" or the sample path.
        public var label: String
        public var trace: Trace
    }

    public enum Variable: String, Sendable { case prompt, sample }

    public var variable: Variable
    public var a: Side
    public var b: Side

    /// One line per difference found (top class, regression value, next token, generated text).
    public func differences(tokenizer: BPETokenizer) -> [String] {
        var lines: [String] = []
        if let pa = a.trace.head?.prediction, let pb = b.trace.head?.prediction, pa != pb {
            switch (pa, pb) {
            case (.classification(let x), .classification(let y)):
                if x.first?.label != y.first?.label {
                    lines.append("top class: \(x.first?.label ?? "?") vs \(y.first?.label ?? "?")")
                } else if let fx = x.first, let fy = y.first {
                    lines.append("top class \(fx.label) in both; probability \(Self.percent(fx.probability)) vs \(Self.percent(fy.probability))")
                }
            default:
                lines.append("head outputs differ")
            }
        }
        let na = a.trace.languageModel?.nextTokens ?? [], nb = b.trace.languageModel?.nextTokens ?? []
        if na.first?.token != nb.first?.token {
            let fa = na.first.map { tokenizer.piece($0.token) } ?? "?", fb = nb.first.map { tokenizer.piece($0.token) } ?? "?"
            lines.append("most likely next token: \"\(fa)\" vs \"\(fb)\"")
        } else if let fa = na.first, let fb = nb.first, Self.percent(fa.probability) != Self.percent(fb.probability) {
            // The same top token with another probability is a difference too (a prompt after a
            // modality-mean head's tokens changes the distribution, not the prediction).
            lines.append("most likely next token \"\(tokenizer.piece(fa.token))\" in both; probability \(Self.percent(fa.probability)) vs \(Self.percent(fb.probability))")
        }
        let ga = a.trace.generation?.text, gb = b.trace.generation?.text
        if let ga, let gb, ga != gb {
            let common = zip(ga, gb).prefix { $0 == $1 }.count
            lines.append("generations differ after \(common) characters")
        }
        if lines.isEmpty { lines.append("no difference in the head prediction, the next-token probabilities shown or the generation") }
        return lines
    }

    static func percent(_ p: Float) -> String { String(format: "%.1f%%", p * 100) }
}

extension PipelineSession {
    /// Runs the current sample with prompt texts `first` and `second` (through generation when
    /// `maxNewTokens` > 0, else through the head). The encoder and bridge run once. The user's
    /// prompt and results are as they were afterwards.
    public func compare(prompts first: String, _ second: String, cancel: CancellationFlag? = nil) throws -> Comparison {
        try keepingSelection {
            let a = try side("prompt: \(first)", cancel) { setPrompt(text: first) }
            let b = try side("prompt: \(second)", cancel) { setPrompt(text: second) }
            return Comparison(variable: .prompt, a: a, b: b)
        }
    }

    /// Runs the current prompt on samples `first` and `second`; the user's sample and results are
    /// as they were afterwards.
    public func compare(samples first: SampleReference, _ second: SampleReference, cancel: CancellationFlag? = nil) throws -> Comparison {
        try keepingSelection {
            let a = try side("sample: \(first.text)", cancel) { select(sample: first) }
            let b = try side("sample: \(second.text)", cancel) { select(sample: second) }
            return Comparison(variable: .sample, a: a, b: b)
        }
    }

    private func side(_ label: String, _ cancel: CancellationFlag?, choose: () -> Void) throws -> Comparison.Side {
        choose()
        try run(through: maxNewTokens > 0 ? .generation : .head, cancel: cancel)
        return Comparison.Side(label: label, trace: trace)
    }
}

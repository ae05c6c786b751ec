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
        if let pa = a.trace.head?.prediction, let pb = b.trace.head?.prediction, let line = Self.headDifference(pa, pb) {
            lines.append(line)
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
        if lines.isEmpty { lines.append("no difference in the head prediction (beyond rounding), the next-token probabilities shown or the generation") }
        return lines
    }

    /// The line for two head predictions, or nil when they agree as far as the screen shows them.
    ///
    /// Bit equality is the wrong test: a prompt after a modality-mean head's tokens cannot change its
    /// prediction, yet on some BLAS kernels (OpenBLAS's SkylakeX on the Intel machine of issue 13)
    /// a longer sequence changes the earlier rows' rounding, so the outputs differ in their last
    /// bits. Probabilities are compared as printed (one decimal of a percent); values, when they
    /// differ by more than `relativeRounding` of their largest magnitude (at least 1).
    public static func headDifference(_ pa: Prediction, _ pb: Prediction) -> String? {
        switch (pa, pb) {
        case (.classification(let x), .classification(let y)):
            guard let fx = x.first, let fy = y.first else { return nil }
            if fx.label != fy.label { return "top class: \(fx.label) vs \(fy.label)" }
            let px = percent(fx.probability), py = percent(fy.probability)
            return px == py ? nil : "top class \(fx.label) in both; probability \(px) vs \(py)"
        default:
            guard sameKind(pa, pb), let x = values(pa), let y = values(pb), x.count == y.count else {
                return pa == pb ? nil : "head outputs differ"
            }
            let largest = zip(x, y).map { abs($0 - $1) }.max() ?? 0
            let scale = max(1, x.map(abs).max() ?? 0, y.map(abs).max() ?? 0)
            if largest.isNaN || largest > relativeRounding * scale {
                return "head outputs differ (largest difference \(String(format: "%.3g", largest)))"
            }
            return nil
        }
    }

    /// Differences below this share of the largest value are rounding, not the variable compared.
    public static let relativeRounding: Float = 1e-4

    static func sameKind(_ a: Prediction, _ b: Prediction) -> Bool {
        switch (a, b) {
        case (.classification, .classification), (.regression, .regression), (.trajectory, .trajectory),
             (.series, .series), (.reidentification, .reidentification), (.depth, .depth), (.generation, .generation):
            return true
        default:
            return false
        }
    }

    /// A numeric prediction's values, in a fixed order; nil for classes and generation.
    static func values(_ prediction: Prediction) -> [Float]? {
        switch prediction {
        case .regression(let values, _, _): return values
        case .trajectory(let t), .series(let t, _), .depth(let t): return t.scalars
        case .reidentification(_, let embedding, _): return embedding
        case .classification, .generation: return nil
        }
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

import AllSpark
import AllSparkData
import Foundation
import SparkEngine
import SparkLM

/// A pipeline run as text for people, stage by stage, every number read from the session's trace.
/// `allspark run` prints `block(_:)` for each stage; the REPL's `show` adds `details(_:)`.
/// Output of an untrained component is marked UNTRAINED wherever it appears.
public struct StageReport {
    public let session: PipelineSession
    /// The trace shown: the session's, or another run of it (one side of a comparison).
    public let trace: Trace

    public init(session: PipelineSession, trace: Trace? = nil) {
        self.session = session
        self.trace = trace ?? session.trace
    }
    var tokenizer: BPETokenizer { session.model.languageModel.tokenizer }

    // MARK: - As `allspark run` prints it

    public func header() -> [String] {
        ["\(AllSparkVersion.name) \(AllSparkVersion.version) · \(session.model.configuration.name) · \(session.modality.displayName)",
         "prompt: \(session.promptText)"]
    }

    public func footer() -> [String] {
        ["provenance:"] + provenance() + checkpoint() + [String(format: "total %.0f ms", totalSeconds * 1000)]
    }

    /// With a checkpoint: how many tensors it lacked and held in vain, the first few named.
    public func checkpoint() -> [String] {
        guard let report = session.model.checkpointReport(for: session.modality) else { return [] }
        func names(_ list: [String]) -> String {
            list.isEmpty ? "" : ": " + list.prefix(4).joined(separator: ", ") + (list.count > 4 ? ", …" : "")
        }
        return ["checkpoint \(report.file):",
                "  missing \(report.missing.count) (initialised from the seed)\(names(report.missing))",
                "  unexpected \(report.unexpected.count) (not used)\(names(report.unexpected))"]
    }

    /// One line per component in use, untrained ones marked.
    public func provenance() -> [String] {
        session.model.provenanceLines(for: session.modality).map {
            "  \($0.component): \($0.provenance)\($0.provenance.isTrained ? "" : "  ← UNTRAINED")" + trainedOn($0.component)
        }
    }

    /// " (trained on …, N steps, val.accuracy …)" for a component loaded from a checkpoint that says so.
    func trainedOn(_ component: String) -> String {
        let words = component.split(separator: " ")
        guard words.count == 2,
              let kind = ["encoder": "encoders", "bridge": "bridges", "head": "heads", "adapters": "adapters"][String(words[0])] else { return "" }
        let summary = session.model.trainedSummary(module: "\(kind).\(words[1])")
        return summary.isEmpty ? "" : " (\(summary))"
    }

    var totalSeconds: Double { trace.records.values.reduce(0) { $0 + $1.seconds } }

    /// The stage's line (shape, time, statistics, provenance mark), its note, and for the bridge,
    /// the language model and the head, their results in brief. Empty when the stage has not run.
    public func block(_ stage: PipelineStage) -> [String] {
        guard let record = trace.records[stage] else { return [] }
        var lines = [stageLine(record), "    " + record.note]
        switch stage {
        case .bridge:
            if let lens = trace.bridge?.languageLens {
                let words = lens.prefix(8).map { $0.first.map { Self.quote(tokenizer.piece($0.token)) } ?? "?" }
                lines.append("    language lens (nearest word per bridge token)\(untrainedMark(trace.bridge?.provenance)): "
                             + words.joined(separator: " ") + (lens.count > 8 ? " …" : ""))
            }
        case .languageModel:
            if let lm = trace.languageModel {
                let next = lm.nextTokens.prefix(5).map { "\(Self.quote(tokenizer.piece($0.token))) \(Self.percent($0.probability))" }
                lines.append("    next tokens: " + next.joined(separator: ", "))
                let lens = lm.logitLens.enumerated().filter { $0.offset % 5 == 4 || $0.offset == lm.logitLens.count - 1 }
                    .map { "L\($0.offset): \(Self.quote(tokenizer.piece($0.element.token)))" }
                lines.append("    logit lens: " + lens.joined(separator: "  "))
            }
        case .head:
            if let head = trace.head { lines += prediction(head) }
        default:
            break
        }
        return lines
    }

    /// "✓ encoder         [65, 192]         3.1 ms  n=… x∈[…] μ=… σ=…  UNTRAINED"
    public func stageLine(_ record: StageRecord) -> String {
        let shape = record.outputShape.map(Self.shape) ?? ""
        var line = "✓ " + TextColumns.row([(record.stage.title, 15), (shape, 14), (String(format: "%7.1f ms", record.seconds * 1000), 0)])
        if let summary = record.summary { line += "  " + summary.line }
        if let provenance = record.provenance, !provenance.isTrained { line += "  UNTRAINED" }
        return line
    }

    /// The head's prediction, in the task's units, marked when the head is untrained.
    public func prediction(_ head: HeadStage, limit: Int = 5) -> [String] {
        let mark = untrainedMark(head.provenance, long: true)
        switch head.prediction {
        case .classification(let scores):
            return ["    classes\(mark):"] + scores.prefix(limit).map { s in
                let bar = String(repeating: "█", count: Int((s.probability * 30).rounded()))
                return "      " + TextColumns.row([(s.label, 24), (String(format: "%5.1f%%", s.probability * 100), 7), (bar, 0)])
            }
        case .regression(let values, let target, let unit):
            return ["    \(target)\(mark): " + values.map { String(format: "%.3f", $0) + " " + unit }.joined(separator: ", ")]
        case .trajectory(let points):
            return ["    future positions\(mark): " + (0..<points.shape[0]).map { String(format: "(%.2f, %.2f)", points[$0, 0], points[$0, 1]) }.joined(separator: " ")]
        case .series(let values, let unit):
            let s = TensorSummary(values)
            return ["    forecast \(values.shape[0]) nodes × \(values.shape[1]) steps\(mark): mean \(String(format: "%.2f", s.mean)) \(unit), range \(String(format: "%.2f…%.2f", s.min, s.max))"]
        case .reidentification(let identities, _, let ranking):
            let rankingLine = "    gallery ranking (cosine)\(mark): " + ranking.map { "\($0.name) \(String(format: "%.3f", $0.similarity))" }.joined(separator: ", ")
            // A gallery-ranking head names no identities: its outputs are the embedding.
            guard !identities.isEmpty else { return [rankingLine] }
            return ["    identities\(mark): " + identities.prefix(3).map { "\($0.label) \(Self.percent($0.probability))" }.joined(separator: ", "), rankingLine]
        case .depth(let map):
            let s = TensorSummary(map)
            return ["    depth map \(map.shape[0]) × \(map.shape[1])\(mark): \(String(format: "%.2f…%.2f", s.min, s.max))"]
        case .generation:
            return []
        }
    }

    // MARK: - More, for `show`

    /// The stage list: what has run (shape, time) and what comes next.
    public func stageList() -> [String] {
        var lines = PipelineStage.allCases.map { stage -> String in
            guard let record = trace.records[stage] else {
                return "· " + TextColumns.row([(stage.title, 15), (stage == session.nextStage ? "next" : "not computed", 0)])
            }
            let shape = record.outputShape.map(Self.shape) ?? ""
            let mark = record.provenance.map { $0.isTrained ? "" : "  UNTRAINED" } ?? ""
            return "✓ " + TextColumns.row([(stage.title, 15), (shape, 14), (String(format: "%7.1f ms", record.seconds * 1000), 0)]) + mark
        }
        if !trace.records.isEmpty { lines.append(String(format: "total %.0f ms", totalSeconds * 1000)) }
        return lines
    }

    /// `block(stage)` followed by everything else the stage recorded.
    public func details(_ stage: PipelineStage) -> [String] {
        let block = block(stage)
        guard let record = trace.records[stage] else { return [] }
        var lines = block
        if record.shapes.count > 1 {
            lines.append("    shapes: " + record.shapes.map { "\($0.name) \(Self.shape($0.shape))" }.joined(separator: ", "))
        }
        if let provenance = record.provenance { lines.append("    provenance: \(provenance)" + (provenance.isTrained ? "" : "  ← UNTRAINED")) }
        switch stage {
        case .sample: lines += sampleDetails()
        case .encoder: lines += encoderDetails()
        case .bridge: lines += bridgeDetails()
        case .prompt: lines += promptDetails()
        case .sequence: lines += sequenceDetails()
        case .languageModel: lines += languageModelDetails()
        case .head: lines += headDetails()
        case .generation: lines += generationDetails()
        }
        return lines
    }

    private func sampleDetails() -> [String] {
        guard let sample = trace.sample else { return [] }
        var lines = ["    file: \(sample.path)",
                     "    source: \(sample.provenance.source) (\(sample.provenance.origin); licence \(sample.provenance.licence))"]
        if let label = sample.label { lines.append("    label: \(Self.describe(label))") }
        if case .text(let text) = sample.content { lines.append("    text: " + Self.clip(text, 200)) }
        if case .code(let code, let language) = sample.content { lines.append("    \(language): " + Self.clip(code, 200)) }
        return lines
    }

    private func encoderDetails() -> [String] {
        guard let encoder = trace.encoder else { return [] }
        let mark = untrainedMark(encoder.provenance)
        var lines = ["    token layout: " + Self.describe(encoder.output.layout)]
        let norms = encoder.tokenNorms
        if let largest = norms.indices.max(by: { norms[$0] < norms[$1] }) {
            let s = TensorSummary(norms)
            lines.append("    token norms\(mark): \(TensorSummary.format(s.min))…\(TensorSummary.format(s.max)), mean \(TensorSummary.format(s.mean)); largest at token \(largest)")
        }
        for (name, tensor) in encoder.output.extras.sorted(by: { $0.key < $1.key }) {
            lines.append("    \(name) \(Self.shape(tensor.shape)): \(TensorSummary(tensor).line)")
        }
        return lines
    }

    private func bridgeDetails() -> [String] {
        guard let bridge = trace.bridge else { return [] }
        let mark = untrainedMark(bridge.provenance)
        var lines: [String] = []
        for (layer, attention) in bridge.attention.enumerated() where attention.rank == 3 {
            // Mean over heads and queries: which encoder tokens the layer reads most.
            let keys = attention.shape[2], rows = attention.shape[0] * attention.shape[1]
            var mean = [Float](repeating: 0, count: keys)
            for r in 0..<rows { for k in 0..<keys { mean[k] += attention.scalars[r * keys + k] } }
            let top = mean.indices.sorted { mean[$0] > mean[$1] }.prefix(3)
                .map { "token \($0) \(String(format: "%.3f", mean[$0] / Float(max(rows, 1))))" }
            lines.append("    attention layer \(layer) \(Self.shape(attention.shape))\(mark), most read: " + top.joined(separator: ", "))
        }
        lines.append("    language lens\(mark) (cosine with the nearest input embeddings):")
        for (index, neighbours) in bridge.languageLens.enumerated() {
            lines.append("      \(index): " + neighbours.prefix(3).map { "\(Self.quote(tokenizer.piece($0.token))) \(String(format: "%.3f", $0.probability))" }.joined(separator: "  "))
        }
        return lines
    }

    private func promptDetails() -> [String] {
        guard let prompt = trace.prompt else { return [] }
        let which = prompt.number.map { "prompt \($0)" + (prompt.origin.map { " (\($0.rawValue))" } ?? "") } ?? "typed prompt (not saved)"
        return ["    \(which): \(prompt.text)",
                "    pieces: " + zip(prompt.tokenIds, prompt.pieces).map { "\(Self.quote($1))·\($0)" }.joined(separator: " ")]
    }

    private func sequenceDetails() -> [String] {
        guard let sequence = trace.sequence else { return [] }
        return sequence.segments.map { segment in
            let ids = sequence.tokenIds[segment.range]
            let content = ids.contains(nil) ? "\(segment.length) embedding rows from the bridge"
                : Self.clip(ids.compactMap { $0 }.map { tokenizer.piece($0) }.joined(), 60).debugDescription
            return "    " + TextColumns.row([("\(segment.range.lowerBound)..<\(segment.range.upperBound)", 10), (segment.kind.rawValue, 18), (content, 0)])
        }
    }

    private func languageModelDetails() -> [String] {
        guard let lm = trace.languageModel else { return [] }
        var lines = ["    next tokens: " + lm.nextTokens.map { "\(Self.quote(tokenizer.piece($0.token))) \(Self.percent($0.probability))" }.joined(separator: ", ")]
        if let adapters = lm.adapterProvenance { lines.append("    adapters: \(adapters)\(untrainedMark(adapters))") }
        lines.append("    logit lens at the last position (top token after each layer):")
        lines += lm.logitLens.enumerated().map { "      L\($0.offset): \(Self.quote(tokenizer.piece($0.element.token))) \(Self.percent($0.element.probability))" }
        let last = lm.residualNorms.map { $0.last ?? 0 }
        lines.append("    ‖residual‖ at the last position, input then each layer: " + last.map(TensorSummary.format).joined(separator: " "))
        return lines
    }

    private func headDetails() -> [String] {
        guard let head = trace.head else { return [] }
        var lines = ["    reads: \(head.pooling.rawValue) hidden state \(Self.shape(head.pooled.shape)): \(TensorSummary(head.pooled).line)",
                     "      (\(head.pooling.explanation))"]
        if let outputs = head.outputs { lines.append("    outputs \(Self.shape(outputs.shape))\(untrainedMark(head.provenance)): \(TensorSummary(outputs).line)") }
        if case .classification(let scores) = head.prediction, scores.count > 5 {
            lines += prediction(head, limit: scores.count).dropFirst(6)
        }
        return lines
    }

    private func generationDetails() -> [String] {
        guard let generation = trace.generation else { return [] }
        var lines = ["    settings: \(generation.settings.summary)",
                     "    text: " + generation.text.debugDescription]
        for (step, candidates) in generation.candidates.prefix(3).enumerated() {
            lines.append("    step \(step) candidates: " + candidates.map { "\(Self.quote(tokenizer.piece($0.token))) \(Self.percent($0.probability))" }.joined(separator: ", "))
        }
        return lines
    }

    // MARK: - Formatting

    func untrainedMark(_ provenance: Provenance?, long: Bool = false) -> String {
        guard let provenance, !provenance.isTrained else { return "" }
        return long ? " (UNTRAINED head: not a real prediction)" : " (UNTRAINED)"
    }

    public static func shape(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }

    public static func percent(_ p: Float) -> String { String(format: "%.1f%%", p * 100) }

    /// A token piece in quotes with line breaks and tabs escaped.
    public static func quote(_ piece: String) -> String {
        "\"" + piece.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t") + "\""
    }

    static func clip(_ text: String, _ limit: Int) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: "⏎")
        return flat.count <= limit ? flat : String(flat.prefix(limit)) + "…"
    }

    static func describe(_ layout: TokenLayout) -> String {
        switch layout {
        case .sequence(let labels): return "sequence" + (labels.map { " of \($0.count) labelled tokens" } ?? "")
        case .grid(let rows, let columns, let leading): return "\(leading) leading + \(rows) × \(columns) patch grid"
        case .views(let count, let rows, let columns, let leading): return "\(count) views, each \(leading) leading + \(rows) × \(columns) grid"
        case .tubes(let tubes): return "tubes " + tubes.map { "\($0.name) \($0.frames)×\($0.rows)×\($0.columns)" }.joined(separator: ", ")
        case .points(let centres, let leading): return "\(leading) leading + \(centres.shape.first ?? 0) point groups"
        case .timeByNode(let steps, let nodes): return "\(steps) steps × \(nodes) nodes"
        }
    }

    static func describe(_ label: SampleLabel) -> String {
        switch label {
        case .className(let name): return name
        case .value(let value, let unit): return "\(value) \(unit)"
        case .futureTrajectory(let t): return "future trajectory \(shape(t.shape))"
        case .futureSeries(let t): return "future series \(shape(t.shape))"
        case .depthMap(let t): return "depth map \(shape(t.shape))"
        case .galleryMatch(let index): return "gallery match \(index)"
        }
    }
}

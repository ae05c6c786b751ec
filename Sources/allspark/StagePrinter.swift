import AllSpark
import Foundation
import SparkEngine
import SparkLM

/// Prints a pipeline run for people: one block per stage, numbers from the trace.
struct StagePrinter {
    let session: PipelineSession

    var tokenizer: BPETokenizer { session.model.languageModel.tokenizer }

    func header() {
        let m = session.model
        Swift.print("\(AllSparkVersion.name) \(AllSparkVersion.version) · \(m.configuration.name) · \(session.modality.displayName)")
        Swift.print("prompt: \(session.promptText)")
    }

    func footer() {
        let trace = session.trace
        Swift.print("provenance:")
        for line in session.model.provenanceLines(for: session.modality) {
            Swift.print("  \(line.component): \(line.provenance)\(line.provenance.isTrained ? "" : "  ← UNTRAINED")")
        }
        let total = trace.records.values.reduce(0) { $0 + $1.seconds }
        Swift.print(String(format: "total %.0f ms", total * 1000))
    }

    func show(_ stage: PipelineStage) {
        let trace = session.trace
        guard let record = trace.records[stage] else { return }
        let shape = record.outputShape.map { "[" + $0.map(String.init).joined(separator: ", ") + "]" } ?? ""
        var line = "✓ " + TextColumns.row([(stage.title, 15), (shape, 14), (String(format: "%7.1f ms", record.seconds * 1000), 0)])
        if let summary = record.summary { line += "  " + summary.line }
        if let provenance = record.provenance, !provenance.isTrained { line += "  UNTRAINED" }
        Swift.print(line)
        Swift.print("    " + record.note)
        switch stage {
        case .bridge:
            if let lens = trace.bridge?.languageLens {
                let words = lens.prefix(8).map { $0.first.map { PieceQuote.quote(tokenizer.piece($0.token)) } ?? "?" }
                Swift.print("    language lens (nearest word per bridge token): " + words.joined(separator: " ") + (lens.count > 8 ? " …" : ""))
            }
        case .languageModel:
            if let lm = trace.languageModel {
                let next = lm.nextTokens.prefix(5).map { "\(PieceQuote.quote(tokenizer.piece($0.token))) \(String(format: "%.1f%%", $0.probability * 100))" }
                Swift.print("    next tokens: " + next.joined(separator: ", "))
                let lens = lm.logitLens.enumerated().filter { $0.offset % 5 == 4 || $0.offset == lm.logitLens.count - 1 }
                    .map { "L\($0.offset): \(PieceQuote.quote(tokenizer.piece($0.element.token)))" }
                Swift.print("    logit lens: " + lens.joined(separator: "  "))
            }
        case .head:
            if let head = trace.head { printPrediction(head) }
        default:
            break
        }
    }

    func printPrediction(_ head: HeadStage) {
        let untrained = !(head.provenance?.isTrained ?? true)
        let mark = untrained ? " (UNTRAINED head: not a real prediction)" : ""
        switch head.prediction {
        case .classification(let scores):
            Swift.print("    classes\(mark):")
            for s in scores.prefix(5) {
                let bar = String(repeating: "█", count: Int((s.probability * 30).rounded()))
                Swift.print("      " + TextColumns.row([(s.label, 24), (String(format: "%5.1f%%", s.probability * 100), 7), (bar, 0)]))
            }
        case .regression(let values, let target, let unit):
            Swift.print("    \(target)\(mark): " + values.map { String(format: "%.3f %@", $0, unit) }.joined(separator: ", "))
        case .trajectory(let points):
            Swift.print("    future positions\(mark): " + (0..<points.shape[0]).map { String(format: "(%.2f, %.2f)", points[$0, 0], points[$0, 1]) }.joined(separator: " "))
        case .series(let values, let unit):
            let s = TensorSummary(values)
            Swift.print("    forecast \(values.shape[0]) nodes × \(values.shape[1]) steps\(mark): mean \(String(format: "%.2f", s.mean)) \(unit), range \(String(format: "%.2f…%.2f", s.min, s.max))")
        case .reidentification(let identities, _, let ranking):
            Swift.print("    identities\(mark): " + identities.prefix(3).map { "\($0.label) \(String(format: "%.1f%%", $0.probability * 100))" }.joined(separator: ", "))
            Swift.print("    gallery ranking (cosine)\(mark): " + ranking.map { "\($0.name) \(String(format: "%.3f", $0.similarity))" }.joined(separator: ", "))
        case .depth(let map):
            let s = TensorSummary(map)
            Swift.print("    depth map \(map.shape[0]) × \(map.shape[1])\(mark): \(String(format: "%.2f…%.2f", s.min, s.max))")
        case .generation:
            break
        }
    }
}

enum PieceQuote {
    static func quote(_ piece: String) -> String {
        "\"" + piece.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t") + "\""
    }
}

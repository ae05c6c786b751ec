import AllSpark
import Foundation
import SparkEngine

/// What every stage view starts with — a heading with the shape and time, the statistics line, the
/// pipeline's note and the provenance of the component that produced the numbers — and the texts
/// shown before a stage has run, while it runs, or after it failed.
enum StageViewKit {
    /// "65 × 192" (ASCII: "65 x 192").
    static func shape(_ shape: [Int], _ theme: Theme) -> String {
        StageRow.shapeText(shape, times: theme.looks.glyphs.times)
    }

    /// One line of statistics, ASCII only: "n=12480  min -3.1  max 2.9  mean 0.01  std 1".
    static func statistics(_ summary: TensorSummary) -> String {
        var text = "n=\(summary.count)  min \(TensorSummary.format(summary.min))  max \(TensorSummary.format(summary.max))"
            + "  mean \(TensorSummary.format(summary.mean))  std \(TensorSummary.format(summary.std))"
        if summary.nanCount > 0 { text += "  NaN \(summary.nanCount)" }
        if summary.infCount > 0 { text += "  Inf \(summary.infCount)" }
        return text
    }

    /// A probability as a percentage: "12.3%".
    static func percent(_ p: Float) -> String { String(format: "%.1f%%", Double(p) * 100) }

    /// A token piece quoted, whitespace made visible.
    static func quoted(_ piece: String, _ theme: Theme) -> String {
        "\"" + TokenPieces.visible(piece, glyphs: theme.looks.glyphs) + "\""
    }

    /// The heading lines of a stage that has run.
    static func header(_ record: StageRecord, theme: Theme) -> [StyledLine] {
        var lines: [StyledLine] = []
        var heading: [StyledSpan] = [StyledSpan(record.stage.title.capitalized, style: theme.heading)]
        for named in record.shapes {
            heading.append(StyledSpan("  \(named.name) ", style: theme.dim))
            heading.append(StyledSpan(shape(named.shape, theme), style: theme.text))
        }
        heading.append(StyledSpan("  \(NumberFormat.duration(record.seconds))", style: theme.dim))
        lines.append(StyledLine(heading))
        if let summary = record.summary {
            lines.append(StyledLine(statistics(summary), style: summary.hasNonFinite ? theme.error : theme.text))
        }
        if !record.note.isEmpty { lines.append(StyledLine(record.note, style: theme.dim)) }
        return lines
    }

    /// "Encoder UNTRAINED: untrained (seed 1) ...", in the warning style, when the component is not
    /// trained; its provenance in a quiet line when it is.
    static func provenance(_ component: String, _ provenance: Provenance?, theme: Theme) -> [StyledLine] {
        guard let provenance else { return [] }
        if provenance.isTrained {
            return [StyledLine([StyledSpan("\(component): ", style: theme.dim), StyledSpan(provenance.description, style: theme.good)])]
        }
        return [StyledLine("\(component.prefix(1).uppercased() + component.dropFirst()) UNTRAINED (\(provenance.description)): these numbers come from initial weights, not from training.",
                           style: theme.warning)]
    }

    /// The pane for a stage that has not produced results: pending, running, or failed.
    static func notDone(_ stage: PipelineStage, context: FrameContext) -> Document {
        let model = context.model, theme = context.theme
        var lines: [StyledLine] = [StyledLine(stage.title.capitalized, style: theme.heading)]
        if let failure = model.visibleFailure, failure.stage == stage {
            lines.append(StyledLine("Failed: \(failure.message)", style: theme.error))
            lines.append(StyledLine(""))
            lines.append(StyledLine("Choose another sample or modality, or fix the file, then run again (n or r).", style: theme.dim))
            return Document([.text(lines)])
        }
        if model.run?.stage == stage {
            let spinner = context.job.map { Spinner.frame(elapsed: $0.elapsed, glyphs: context.glyphs) }.map { "\($0) " } ?? ""
            lines.append(StyledLine("\(spinner)Running... (Ctrl-c stops it)", style: theme.warning))
        } else {
            lines.append(StyledLine(pendingHint(stage, model: model), style: theme.dim))
        }
        lines.append(StyledLine(""))
        lines.append(StyledLine([StyledSpan("This pane shows ", style: theme.dim), StyledSpan(stage.explanation, style: theme.text),
                                 StyledSpan(".", style: theme.dim)]))
        return Document([.text(lines)])
    }

    /// What to press to get this stage's results.
    static func pendingHint(_ stage: PipelineStage, model: TUIModel) -> String {
        switch model.loadState {
        case .notStarted: return "Not run yet: the model is not loaded."
        case .loading: return "Not run yet: the model is loading."
        case .failed(let why): return "Cannot run: the model is not loaded (\(why))."
        case .ready: break
        }
        if model.selectedSample == nil { return "Not run yet: choose a sample first." }
        let next = PipelineStage.allCases.first { !model.trace.isDone($0) }
        if next == stage { return "Not run yet: n runs it (it is next); r runs every stage." }
        return "Not run yet: r runs every stage up to it and on; n runs the next one (\(next?.title ?? "none"))."
    }
}

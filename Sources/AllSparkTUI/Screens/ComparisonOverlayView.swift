import AllSpark
import Foundation
import SparkLM

/// Two runs side by side over the screen: the head's prediction, the most likely next tokens and the
/// generation of each, rows that differ in the warning style, and the pipeline's list of differences.
enum ComparisonOverlayView {
    /// The two columns' lines, built row by row so a difference marks the same row on both sides.
    static func columns(_ result: RunComparison, theme: Theme) -> (a: [StyledLine], b: [StyledLine]) {
        var a: [StyledLine] = [], b: [StyledLine] = []
        func row(_ left: String, _ right: String, differs: Bool? = nil, style: CellStyle = .plain) {
            let different = differs ?? (left != right)
            a.append(StyledLine(left, style: different ? theme.warning : style))
            b.append(StyledLine(right, style: different ? theme.warning : style))
        }
        func heading(_ text: String) { row(text, text, differs: false, style: theme.heading) }
        row("A: " + result.a.label, "B: " + result.b.label, differs: false, style: theme.heading)
        row("", "", differs: false)

        heading("Head prediction")
        let (pa, pb) = (predictionLines(result.a.trace), predictionLines(result.b.trace))
        for i in 0..<max(pa.count, pb.count) {
            row(i < pa.count ? pa[i].text : "", i < pb.count ? pb[i].text : "",
                differs: (i < pa.count ? pa[i].key : nil) != (i < pb.count ? pb[i].key : nil))
        }
        row("", "", differs: false)

        heading("Most likely next tokens")
        let (na, nb) = (result.a.trace.languageModel?.nextTokens ?? [], result.b.trace.languageModel?.nextTokens ?? [])
        for i in 0..<min(5, max(na.count, nb.count)) {
            func entry(_ list: [TokenProbability]) -> (String, Int32?) {
                guard i < list.count else { return ("", nil) }
                return ("\(i + 1). \(StageViewKit.quoted(result.piece(list[i].token), theme)) \(StageViewKit.percent(list[i].probability))", list[i].token)
            }
            let (left, tokenA) = entry(na), (right, tokenB) = entry(nb)
            row(left, right, differs: tokenA != tokenB)
        }
        row("", "", differs: false)

        heading("Generation")
        let (ga, gb) = (result.a.trace.generation?.text, result.b.trace.generation?.text)
        if ga == nil && gb == nil {
            row("(no generation: tokens set to 0)", "(no generation: tokens set to 0)", differs: false, style: theme.dim)
        } else {
            let textA = ga ?? "", textB = gb ?? ""
            let common = zip(textA, textB).prefix { $0 == $1 }.count
            // The shared start plainly, where they part in the warning style.
            func split(_ text: String) -> StyledLine {
                StyledLine([StyledSpan(String(text.prefix(common)).replacingOccurrences(of: "\n", with: " "), style: theme.text),
                            StyledSpan(String(text.dropFirst(common)).replacingOccurrences(of: "\n", with: " "), style: theme.warning)])
            }
            a.append(split(textA)); b.append(split(textB))
        }
        return (a, b)
    }

    /// What the head predicted, one short line per entry (top five classes, the values, …), each
    /// with the key a difference is judged by: the class or gallery image at that rank, the value.
    static func predictionLines(_ trace: Trace) -> [(key: String, text: String)] {
        guard let head = trace.head else { return [("", "(the head did not run)")] }
        let untrained = !(head.provenance?.isTrained ?? true) ? " (untrained)" : ""
        let note: [(key: String, text: String)] = untrained.isEmpty ? [] : [("", "head\(untrained)")]
        func same(_ text: String) -> (key: String, text: String) { (text, text) }
        switch head.prediction {
        case .classification(let scores):
            return scores.prefix(5).enumerated().map { ($1.label, "\($0 + 1). \($1.label) \(StageViewKit.percent($1.probability))") } + note
        case .regression(let values, let target, let unit):
            return values.map { same("\(target) \(NumberFormat.compact(Double($0))) \(unit)") } + note
        case .trajectory(let points):
            guard points.rank == 2, points.shape[0] > 0 else { return note }
            let last = points.shape[0] - 1
            return [same(String(format: "last position (%.2f, %.2f)", Double(points[last, 0]), Double(points[last, 1])))] + note
        case .series(let values, let unit):
            let mean = values.scalars.isEmpty ? Float.nan : values.scalars.reduce(0, +) / Float(values.scalars.count)
            return [same("forecast mean \(NumberFormat.compact(Double(mean))) \(unit)")] + note
        case .reidentification(_, _, let ranking):
            return ranking.prefix(5).enumerated().map { ($1.name, "\($0 + 1). \($1.name) \(String(format: "%.3f", Double($1.similarity)))") } + note
        case .depth(let map):
            let finite = map.scalars.filter(\.isFinite)
            return [same("depth \(NumberFormat.compact(Double(finite.min() ?? .nan))) to \(NumberFormat.compact(Double(finite.max() ?? .nan)))")] + note
        case .generation:
            return [("", "(answered by the generation)")]
        }
    }

    static func document(_ result: RunComparison, theme: Theme) -> Document {
        let title: String
        switch result.request {
        case .prompts: title = "Two prompts on the same sample"
        case .samples: title = "The same prompt on two samples"
        }
        let (a, b) = columns(result, theme: theme)
        return Document([
            .text([StyledLine(title, style: theme.heading)] + result.differences.map { StyledLine("difference: " + $0, style: theme.warning) }),
            .spacer(1),
            .columns([Document([.text(a)]), Document([.text(b)])], gap: 3),
        ])
    }

    static func render(_ context: FrameContext, into painter: Painter) {
        guard let result = context.model.comparison else { return }
        let theme = context.theme
        let width = min(painter.width - 2, 140), height = painter.height - 2
        let box = painter.sub(Rect(x: (painter.width - width) / 2, y: 1, width: width, height: height))
        box.fill(style: theme.overlay)
        let inside = PaneFrame.draw(box, title: "Compare", focused: true, theme: theme, rightTitle: "Esc closes, j/k scroll")
        let body = inside.sub(Rect(x: 1, y: 0, width: inside.width - 2, height: inside.height))
        let used = document(result, theme: theme).render(into: body, offset: context.model.comparisonOffset, theme: theme)
        context.model.comparisonOffset = used.offset
        PaneFrame.drawScrollThumb(box, first: used.offset, visible: body.height, total: used.height, theme: theme)
    }
}

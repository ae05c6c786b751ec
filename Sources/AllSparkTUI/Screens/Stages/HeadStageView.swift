import AllSpark
import AllSparkData
import Foundation
import SparkEngine

/// The head stage: the prediction in the task's own terms — classes as bars, values with units, a
/// trajectory plot with the observed path and ground truth, a forecast, a depth map, a gallery
/// ranking — always under the head's provenance.
enum HeadStageView {
    /// The head kind as the configuration names it (`HeadKind`), so a reader can match the two.
    static func kindName(_ prediction: Prediction) -> String {
        switch prediction {
        case .classification: return "classification"
        case .regression: return "regression"
        case .trajectory: return "trajectory"
        case .series: return "graph"
        case .reidentification: return "reidentification"
        case .depth: return "depth"
        case .generation: return "generation"
        }
    }

    static func document(_ context: FrameContext, width: Int) -> Document {
        let model = context.model, theme = context.theme
        guard let record = model.trace.records[.head], let head = model.trace.head else {
            return StageViewKit.notDone(.head, context: context)
        }
        let untrained = !(head.provenance?.isTrained ?? true)
        var lines = StageViewKit.provenance("head", head.provenance, theme: theme) + StageViewKit.header(record, theme: theme)
        lines.append(StyledLine(""))
        lines.append(StyledLine("Prediction (\(kindName(head.prediction)))" + (untrained ? ": from an untrained head, not a real prediction" : ""),
                                style: untrained ? theme.warning : theme.heading))
        return Document([.text(lines)] + blocks(head.prediction, sample: model.trace.sample, theme: theme))
    }

    static func blocks(_ prediction: Prediction, sample: Sample?, theme: Theme) -> [Document.Block] {
        let times = theme.looks.glyphs.times
        switch prediction {
        case .classification(let scores):
            var blocks: [Document.Block] = [.bars(BarChart(scores.prefix(10).map { BarChart.Bar($0.label, Double($0.probability)) },
                                                           format: { String(format: "%.1f%%", $0 * 100) }))]
            if case .className(let truth)? = sample?.label {
                let rank = scores.firstIndex { $0.label == truth }.map { "ranked \($0 + 1) of \(scores.count)" } ?? "not among the classes"
                blocks.append(.text([StyledLine("ground truth: \(truth) (\(rank))", style: theme.dim)]))
            }
            return blocks
        case .regression(let values, let target, let unit):
            var lines = values.map { StyledLine([StyledSpan("\(target): ", style: theme.dim), StyledSpan("\(NumberFormat.compact(Double($0))) \(unit)", style: theme.heading)]) }
            if case .value(let truth, let truthUnit)? = sample?.label {
                lines.append(StyledLine("ground truth: \(NumberFormat.compact(truth)) \(truthUnit)", style: theme.dim))
            }
            return [.text(lines)]
        case .trajectory(let points):
            var series: [XYPlot.Series] = []
            if case .trajectory(let observed, _)? = sample?.content { series.append(.init("observed", pairs(observed), colour: .blue, mark: "o")) }
            if case .futureTrajectory(let truth)? = sample?.label { series.append(.init("ground truth", pairs(truth), colour: .green, mark: "+")) }
            series.append(.init("predicted", pairs(points), colour: .yellow, mark: "*"))
            let table = (0..<(points.rank == 2 ? points.shape[0] : 0)).map {
                String(format: "t+%d (%.2f, %.2f)", $0 + 1, Double(points[$0, 0]), Double(points[$0, 1]))
            }.joined(separator: "  ")
            return [.xyPlot(XYPlot(series, equalAspect: true), rows: 14), .text([StyledLine(table, style: theme.dim)])]
        case .series(let values, let unit):
            guard values.rank == 2, values.shape[0] > 0, values.shape[1] > 0 else { return [] }
            let (nodes, steps) = (values.shape[0], values.shape[1])
            var blocks: [Document.Block] = [
                .text([StyledLine("Forecast in \(unit): \(nodes) nodes (rows) \(times) \(steps) steps", style: theme.dim)]),
                .heatMap(HeatMap(rows: nodes, columns: steps, values: values.scalars), rows: min(9, (nodes + 1) / 2 + 1)),
            ]
            var plotted = [LinePlot.Series(meanOverRows(values), colour: .yellow)]
            var legend = "mean over nodes: forecast (yellow)"
            if case .futureSeries(let truth)? = sample?.label, truth.rank == 2, truth.shape[0] == steps {
                // The label is [steps, nodes]; its mean over nodes per step.
                plotted.append(LinePlot.Series((0..<steps).map { s in
                    (0..<truth.shape[1]).reduce(0.0) { $0 + Double(truth[s, $1]) } / Double(max(1, truth.shape[1]))
                }, colour: .green))
                legend += ", ground truth (green)"
            }
            blocks.append(.text([StyledLine(legend, style: theme.dim)]))
            blocks.append(.linePlot(LinePlot(plotted), rows: 5))
            return blocks
        case .reidentification(let identities, _, let ranking):
            let truth: Int? = { if case .galleryMatch(let index)? = sample?.label { return index }; return nil }()
            var blocks: [Document.Block] = [.text([StyledLine("Gallery ranked by cosine similarity with the query", style: theme.dim)])]
            blocks.append(.bars(BarChart(ranking.map {
                BarChart.Bar($0.name + ($0.index == truth ? " (same identity)" : ""), Double($0.similarity))
            }, format: { String(format: "%.3f", $0) })))
            if !identities.isEmpty {
                blocks.append(.text([StyledLine("Identities", style: theme.dim)]))
                blocks.append(.bars(BarChart(identities.prefix(5).map { BarChart.Bar($0.label, Double($0.probability)) },
                                             format: { String(format: "%.1f%%", $0 * 100) })))
            }
            return blocks
        case .depth(let map):
            guard map.rank == 2, map.shape[0] > 0, map.shape[1] > 0 else { return [] }
            var maps = [Document([.text([StyledLine("predicted depth", style: theme.dim)]),
                                  .heatMap(HeatMap(rows: map.shape[0], columns: map.shape[1], values: map.scalars), rows: 9)])]
            if case .depthMap(let truth)? = sample?.label, truth.rank == 2, truth.shape[0] > 0, truth.shape[1] > 0 {
                maps.append(Document([.text([StyledLine("ground truth", style: theme.dim)]),
                                      .heatMap(HeatMap(rows: truth.shape[0], columns: truth.shape[1], values: truth.scalars), rows: 9)]))
            }
            return [.columns(maps, gap: 2)]
        case .generation:
            return [.text([StyledLine("This modality has no task head: the language model's generation is the answer (see the generation stage).", style: theme.dim)])]
        }
    }

    static func pairs(_ t: Tensor) -> [(x: Double, y: Double)] {
        guard t.rank == 2, t.shape[1] >= 2 else { return [] }
        return (0..<t.shape[0]).map { (Double(t[$0, 0]), Double(t[$0, 1])) }
    }

    static func meanOverRows(_ t: Tensor) -> [Double] {
        let (rows, columns) = (t.shape[0], t.shape[1])
        return (0..<columns).map { c in (0..<rows).reduce(0.0) { $0 + Double(t[$1, c]) } / Double(rows) }
    }
}

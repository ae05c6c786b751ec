import AllSpark
import SparkEngine

/// One number per encoder token (a norm, an attention weight) laid out on the input's own axes:
/// the patch grid of an image, one grid per view, the frames of a video's tubes, the positions of a
/// point cloud's groups, the time × node grid of a graph, or a plain sequence.
enum TokenLayoutBlocks {
    /// Rows (of cells) a grid's heat map may take, legend included.
    static let gridRows = 9

    static func blocks(values: [Float], layout: TokenLayout, title: String, theme: Theme, ramp: ColourRamp = .viridis) -> [Document.Block] {
        var blocks: [Document.Block] = []
        let times = theme.looks.glyphs.times
        func caption(_ text: String) { blocks.append(.text([StyledLine(text, style: theme.dim)])) }
        func leading(_ count: Int) {
            guard count > 0, values.count >= count else { return }
            let shown = values.prefix(count).map { NumberFormat.compact(Double($0)) }.joined(separator: ", ")
            caption("\(count == 1 ? "the leading (CLS) token" : "the \(count) leading tokens"): \(shown)")
        }
        func grid(_ rows: Int, _ columns: Int, from start: Int) -> Bool {
            guard rows > 0, columns > 0, start >= 0, start + rows * columns <= values.count else { return false }
            blocks.append(.heatMap(HeatMap(rows: rows, columns: columns, values: Array(values[start..<(start + rows * columns)]), ramp: ramp),
                                   rows: min(gridRows, (rows + 1) / 2 + 1)))
            return true
        }
        switch layout {
        case .grid(let rows, let columns, let lead):
            caption("\(title), on the \(rows) \(times) \(columns) patch grid")
            leading(lead)
            if !grid(rows, columns, from: lead) { return sequence(values, labels: nil, title: title, theme: theme) }
        case .views(let count, let rows, let columns, let lead):
            caption("\(title), one \(rows) \(times) \(columns) patch grid per view")
            let perView = lead + rows * columns
            for view in 0..<count {
                caption("view \(view + 1)\(view == 0 ? " (reference)" : "")")
                if !grid(rows, columns, from: view * perView + lead) { break }
            }
        case .tubes(let tubes):
            caption("\(title), per tube set, frames side by side")
            var start = 0
            for tube in tubes {
                caption("\(tube.name): \(tube.frames) frames \(times) \(tube.rows) \(times) \(tube.columns)")
                guard tube.count > 0, start + tube.count <= values.count else { break }
                // Frames side by side: row r of frame f goes to row r, columns f·(columns + 1) …
                let gap = 1, width = tube.frames * (tube.columns + gap) - gap
                var laid = [Float](repeating: .nan, count: tube.rows * width)
                for f in 0..<tube.frames { for r in 0..<tube.rows { for c in 0..<tube.columns {
                    laid[r * width + f * (tube.columns + gap) + c] = values[start + (f * tube.rows + r) * tube.columns + c]
                } } }
                let finite = laid.filter(\.isFinite)
                let range = (finite.min().map(Double.init) ?? 0)...(finite.max().map(Double.init) ?? 1)
                blocks.append(.heatMap(HeatMap(rows: tube.rows, columns: width, values: laid, ramp: ramp, range: range),
                                       rows: min(gridRows, (tube.rows + 1) / 2 + 1)))
                start += tube.count
            }
        case .points(let centres, let lead):
            caption("\(title), at the point groups' centres (x, y: seen from above), in four bands of value")
            leading(lead)
            blocks.append(.xyPlot(pointBands(values: Array(values.dropFirst(lead)), centres: centres, ramp: ramp, theme: theme), rows: 12))
        case .timeByNode(let steps, let nodes):
            caption("\(title), time steps (rows) \(times) nodes (columns)")
            if !grid(steps, nodes, from: 0) { return sequence(values, labels: nil, title: title, theme: theme) }
        case .sequence(let labels):
            return sequence(values, labels: labels, title: title, theme: theme)
        }
        return blocks
    }

    /// A sequence: labelled bars when there are few tokens, else a sparkline with its range.
    static func sequence(_ values: [Float], labels: [String]?, title: String, theme: Theme) -> [Document.Block] {
        let caption: Document.Block = .text([StyledLine("\(title), position by position (\(values.count) tokens)", style: theme.dim)])
        if values.count <= 24 {
            let bars = values.enumerated().map { index, value in
                BarChart.Bar(labels.flatMap { $0.indices.contains(index) ? TokenPieces.visible($0[index], glyphs: theme.looks.glyphs) : nil } ?? "\(index)",
                             Double(value))
            }
            return [caption, .bars(BarChart(bars))]
        }
        let finite = values.filter(\.isFinite)
        let range = "\(NumberFormat.compact(Double(finite.min() ?? .nan))) \(theme.looks.glyphs.ellipsis) \(NumberFormat.compact(Double(finite.max() ?? .nan)))"
        return [caption, .sparkline(label: range, Sparkline(values.map(Double.init)))]
    }

    /// Point groups in four bands by value (lowest to highest quarter of the range), each a series
    /// of dots in its colour from the ramp.
    static func pointBands(values: [Float], centres: Tensor, ramp: ColourRamp, theme: Theme) -> XYPlot {
        let count = centres.rank == 2 && centres.shape[1] >= 2 ? min(centres.shape[0], values.count) : 0
        let finite = values.prefix(count).filter(\.isFinite)
        let low = Double(finite.min() ?? 0), high = Double(finite.max() ?? 1)
        let marks: [Character] = [".", "o", "O", "@"]
        var bands: [[(x: Double, y: Double)]] = Array(repeating: [], count: 4)
        for i in 0..<count where values[i].isFinite {
            let t = high > low ? (Double(values[i]) - low) / (high - low) : 0.5
            bands[min(3, Int(t * 4))].append((Double(centres[i, 0]), Double(centres[i, 1])))
        }
        let step = (high - low) / 4
        return XYPlot(bands.enumerated().map { band, points in
            let from = NumberFormat.compact(low + Double(band) * step), to = NumberFormat.compact(low + Double(band + 1) * step)
            return XYPlot.Series("\(from)\(theme.looks.glyphs.ellipsis)\(to)", points, colour: ramp.colour(at: (Double(band) + 0.5) / 4),
                                 mark: marks[band], joined: false)
        }, equalAspect: true)
    }
}

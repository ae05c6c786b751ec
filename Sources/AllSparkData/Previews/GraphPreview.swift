import SparkEngine

/// Traffic graphs: a heat map of feature 0 (speed), nodes down and steps across — the 12 input
/// steps, then (after a bar) the 12 future steps when the sample has them. Slow is red (dark in
/// grey, dense in ASCII), fast is green. With Unicode each cell shows two rows of nodes (▀ with
/// foreground and background colours); nodes beyond the rows are averaged, missing readings (0)
/// left out of the averages.
enum GraphPreview {
    static func preview(_ sample: Sample, options: Preview.Options) -> Preview {
        guard case .graph(let series, let timeOfDay, let dayOfWeek, _) = sample.content else { return Preview(lines: [], caption: "not a graph") }
        let steps = series.dim(0), nodes = series.dim(1), features = series.dim(2)
        var future: Tensor?
        if case .futureSeries(let f)? = sample.label, f.rank == 2, f.dim(1) == nodes { future = f }
        // (time step, source) for every drawn column; nil is the bar between input and future.
        func speed(_ column: (Int, Bool), _ node: Int) -> Float {
            column.1 ? future![column.0, node] : series.scalars[(column.0 * nodes + node) * features]
        }
        var sources: [(Int, Bool)?] = (0..<steps).map { ($0, false) }
        if let future, options.width >= steps + 1 + future.dim(0) {
            sources += [nil] + (0..<future.dim(0)).map { ($0, true) }
        }
        if sources.count > options.width {   // too narrow: every n-th input step
            sources = (0..<options.width).map { sources[$0 * sources.count / options.width] }
        }
        let repeatEach = max(1, options.width / sources.count)
        let groups = min(nodes, options.height * (options.unicode ? 2 : 1))
        let nodeGroups = (0..<groups).map { g in (g * nodes / groups)..<((g + 1) * nodes / groups) }

        var values: [[Float?]] = []   // [group][column]
        for group in nodeGroups {
            values.append(sources.map { column in
                guard let column else { return nil }
                let readings = group.map { speed(column, $0) }.filter { $0 > 0 }
                return readings.isEmpty ? nil : readings.reduce(0, +) / Float(readings.count)
            })
        }
        let known = values.flatMap { $0.compactMap { $0 } }
        let low = known.min() ?? 0, high = known.max() ?? 1
        func fraction(_ v: Float) -> Double { Double((v - low) / max(high - low, 1e-6)) }
        func colour(_ v: Float?) -> Preview.Colour? {
            guard let v else { return nil }
            if options.colour { return PreviewStyle.speedRamp(fraction(v)) }
            let grey = UInt8(40 + 200 * fraction(v))
            return Preview.Colour(r: grey, g: grey, b: grey)
        }
        let bar: Character = options.unicode ? "│" : "|"
        var rows: [[Preview.Cell]] = []
        let rowCount = options.unicode ? (groups + 1) / 2 : groups
        for row in 0..<rowCount {
            var cells: [Preview.Cell] = []
            for (c, source) in sources.enumerated() {
                let cell: Preview.Cell
                if source == nil {
                    cell = Preview.Cell(bar, foreground: PreviewStyle.shown(PreviewStyle.context, options))
                } else if options.unicode {
                    let top = values[2 * row][c]
                    let bottom = 2 * row + 1 < groups ? values[2 * row + 1][c] : nil
                    cell = top == nil && bottom == nil ? Preview.Cell("?", foreground: PreviewStyle.shown(PreviewStyle.comment, options))
                        : Preview.Cell(top == nil ? "▄" : "▀", foreground: colour(top ?? bottom), background: top == nil ? nil : colour(bottom))
                } else if let v = values[row][c] {
                    let ramp = PreviewStyle.asciiRamp
                    let level = 1 + Int((1 - fraction(v)) * Double(ramp.count - 2))   // slow = dense
                    cell = Preview.Cell(ramp[level], foreground: options.colour ? colour(v) : nil)
                } else {
                    cell = Preview.Cell("?")
                }
                cells += [Preview.Cell](repeating: cell, count: source == nil ? 1 : repeatEach)
            }
            rows.append(Array(cells.prefix(options.width)))
        }
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let minutes = Int((Double(timeOfDay.first ?? 0) * 1440).rounded())
        let clock = "\(minutes / 60 < 10 ? "0" : "")\(minutes / 60):\(minutes % 60 < 10 ? "0" : "")\(minutes % 60)"
        let day = dayOfWeek.first.map { days[min(6, max(0, $0))] } ?? ""
        var caption = "\(nodes) nodes x \(steps) steps\(future != nil ? " + \(future!.dim(0)) future" : ""), \(day) \(clock), speed \(Int(low))-\(Int(high.rounded()))"
        if groups < nodes { caption += ", \(nodes / groups)+ nodes per row" }
        return Preview(rows: rows, caption: caption)
    }
}

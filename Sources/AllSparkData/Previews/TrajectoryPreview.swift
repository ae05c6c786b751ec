import SparkEngine

/// Trajectories: a top-down plot at equal scale on both axes of the observed steps, the
/// neighbours and, when the sample has it, the future; the last observed position is marked.
enum TrajectoryPreview {
    static func preview(_ sample: Sample, options: Preview.Options) -> Preview {
        guard case .trajectory(let observed, let neighbours) = sample.content else { return Preview(lines: [], caption: "not a trajectory") }
        var future: Tensor?
        if case .futureTrajectory(let f)? = sample.label { future = f }
        let tracks: [(Tensor, Preview.Colour, Double, Character)] =
            neighbours.map { ($0, PreviewStyle.context, 0, ".") }
            + (future.map { [($0, PreviewStyle.future, 1, "+")] } ?? [])
            + [(observed, PreviewStyle.observed, 2, "o")]
        let all = tracks.flatMap { $0.0.scalars }
        let xs = stride(from: 0, to: all.count, by: 2).map { Double(all[$0]) }
        let ys = stride(from: 1, to: all.count, by: 2).map { Double(all[$0]) }
        var canvas = PlotCanvas(width: options.width, height: options.height, unicode: options.unicode)
        let minX = xs.min() ?? 0, maxX = xs.max() ?? 1, minY = ys.min() ?? 0, maxY = ys.max() ?? 1
        // One scale for both axes (in dots), so that a turn looks like a turn; y points up.
        let spanX = max(maxX - minX, 1e-6), spanY = max(maxY - minY, 1e-6)
        let scale = min(Double(canvas.dotWidth - 1) / spanX, Double(canvas.dotHeight - 1) * canvas.dotAspect / spanY)
        // Centred in the canvas along the axis with room to spare.
        let marginX = (Double(canvas.dotWidth - 1) - spanX * scale) / 2
        let marginY = (Double(canvas.dotHeight - 1) - spanY * scale / canvas.dotAspect) / 2
        func dot(_ x: Float, _ y: Float) -> (Int, Int) {
            (Int((marginX + (Double(x) - minX) * scale).rounded()),
             canvas.dotHeight - 1 - Int((marginY + (Double(y) - minY) * scale / canvas.dotAspect).rounded()))
        }
        for (track, colour, priority, symbol) in tracks {
            let points = (0..<track.dim(0)).map { dot(track[$0, 0], track[$0, 1]) }
            for (a, b) in zip(points, points.dropFirst()) { canvas.line(from: a, to: b, colour: colour, priority: priority, symbol: symbol) }
            if points.count == 1 { canvas.plot(points[0].0, points[0].1, colour: colour, priority: priority, symbol: symbol) }
        }
        let last = dot(observed[observed.dim(0) - 1, 0], observed[observed.dim(0) - 1, 1])
        canvas.plot(last.0, last.1, colour: PreviewStyle.marker, priority: 3, symbol: "@")
        var caption = "\(observed.dim(0)) observed steps, \(neighbours.count) neighbour\(neighbours.count == 1 ? "" : "s")"
        if let future { caption += ", \(future.dim(0)) future steps" }
        caption += options.unicode ? "; \(format(spanX)) × \(format(spanY)) m" : "; \(format(spanX)) x \(format(spanY)) m"
        if !options.unicode { caption += "; o observed, + future, . neighbours, @ now" }
        return Preview(rows: canvas.rows { PreviewStyle.shown($0, options) }, caption: caption)
    }

    static func format(_ metres: Double) -> String {
        let tenths = (metres * 10).rounded() / 10
        return tenths == tenths.rounded() ? String(Int(tenths)) : String(tenths)
    }
}

/// The pipeline's stages in order, each with a mark (done, current, pending, failed), its output
/// shape and its time.
enum StagesPaneView {
    static func render(_ context: FrameContext, into painter: Painter) {
        let model = context.model, theme = context.theme, g = context.glyphs
        let focused = model.focus == .stages
        let inside = PaneFrame.draw(painter, title: PaneID.stages.title, focused: focused, theme: theme)
        let stages = model.stages
        let first = ListView.scrollOffset(selected: model.stageSelection, offset: model.scroll[.stages] ?? 0,
                                          visibleRows: inside.height, count: stages.count)
        model.scroll[.stages] = first
        for y in 0..<inside.height {
            let index = first + y
            guard stages.indices.contains(index) else { break }
            let stage = stages[index]
            let selected = index == model.stageSelection
            let rowStyle = selected ? (focused ? theme.selection : theme.inactiveSelection) : theme.text
            if selected { inside.fill(Rect(x: 0, y: y, width: inside.width, height: 1), style: rowStyle) }
            let (mark, markStyle): (Character, CellStyle) = {
                switch stage.state {
                case .done: return (g.stageDone, theme.good)
                case .current: return (context.job.map { Spinner.frame(elapsed: $0.elapsed, glyphs: g) } ?? g.stageCurrent, theme.warning)
                case .pending: return (g.stagePending, theme.dim)
                case .failed: return (g.stageFailed, theme.error)
                }
            }()
            inside.set(x: 1, y: y, mark, style: selected ? rowStyle : markStyle)
            let time = stage.seconds.map(NumberFormat.duration) ?? ""
            let shape = stage.shape.map { $0.isEmpty ? "-" : StageRow.shapeText($0, times: g.times) }
                ?? [StageRow.State.done: "-", .failed: "failed", .current: "running"][stage.state] ?? ""
            let right = [shape, time].filter { !$0.isEmpty }.joined(separator: "  ")
            // Shape and time matter more than the whole name: the name gives way down to 8 columns.
            let nameWidth = min(DisplayWidth.of(stage.stage.title), 8)
            let rightWidth = min(DisplayWidth.of(right), max(0, inside.width - 4 - nameWidth))
            inside.put(stage.stage.title, x: 3, y: y, maxWidth: inside.width - 4 - rightWidth, ellipsis: g.ellipsis, style: rowStyle)
            if rightWidth > 0 {
                inside.put(right, x: inside.width - rightWidth, y: y, maxWidth: rightWidth, ellipsis: g.ellipsis,
                           style: selected ? rowStyle : theme.dim)
            }
        }
    }
}

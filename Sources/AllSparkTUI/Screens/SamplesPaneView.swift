/// The files of `samples/<modality>/` (catalog entries first), filtered by `/`.
enum SamplesPaneView {
    static func render(_ context: FrameContext, into painter: Painter) {
        let model = context.model, theme = context.theme
        let focused = model.focus == .samples
        let items = model.visibleSamples
        let all = model.folder.items.count
        var right = all == 0 ? "" : "\(items.count)/\(all)"
        if !model.filter.isEmpty { right = "/\(model.filter) " + right }
        let inside = PaneFrame.draw(painter, title: "\(PaneID.samples.title) \(context.glyphs.separator) \(model.modality.rawValue)",
                                    focused: focused, theme: theme, rightTitle: right)
        if items.isEmpty {
            var lines: [StyledLine] = []
            if !model.filter.isEmpty {
                lines.append(StyledLine("No sample matches '\(model.filter)'. Esc clears the filter.", style: theme.dim))
            } else if let problem = model.folder.problem {
                lines.append(StyledLine(problem, style: theme.warning))
            } else {
                lines.append(StyledLine("No samples in \(model.folder.directory).", style: theme.dim))
            }
            Document([.text(lines)]).render(into: inside, offset: 0, theme: theme)
            return
        }
        let rows = items.map { item -> ListView.Row in
            let size = item.byteCount.map(NumberFormat.bytes) ?? (item.exists ? "" : "missing")
            return ListView.Row(item.displayName, detail: size, style: item.exists ? nil : theme.warning)
        }
        var list = inside
        if let problem = model.folder.problem, inside.height > 2 {
            // A bad index.json: still list the files, with the problem on the last row.
            inside.put(problem, x: 0, y: inside.height - 1, maxWidth: inside.width, ellipsis: context.glyphs.ellipsis, style: theme.warning)
            list = inside.sub(Rect(x: 0, y: 0, width: inside.width, height: inside.height - 1))
        }
        let used = ListView.render(rows, selected: model.sampleSelection, offset: model.scroll[.samples] ?? 0,
                                   focused: focused, into: list, theme: theme)
        model.scroll[.samples] = used
        PaneFrame.drawScrollThumb(painter, first: used, visible: list.height, total: rows.count, theme: theme)
    }
}

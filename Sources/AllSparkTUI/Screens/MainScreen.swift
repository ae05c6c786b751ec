/// Draws the whole screen for one frame into a grid, and says where the terminal cursor goes
/// (at the edit point while a line is edited; hidden otherwise).
public enum MainScreen {
    @discardableResult
    public static func render(_ context: FrameContext, into grid: CellGrid) -> (x: Int, y: Int)? {
        let painter = Painter(grid: grid)
        painter.fill()
        defer { if !context.theme.looks.unicode { ASCIIFallback.apply(to: grid) } }
        guard let layout = ScreenLayout.compute(width: grid.width, height: grid.height, detailZoomed: context.model.detailZoomed) else {
            TooSmallView.render(width: grid.width, height: grid.height, into: painter, theme: context.theme)
            return nil
        }
        StatusLineView.render(context, into: painter.sub(layout.statusLine))
        if !layout[.modalities].isEmpty {
            ModalityPaneView.render(context, into: painter.sub(layout[.modalities]))
            SamplesPaneView.render(context, into: painter.sub(layout[.samples]))
            SamplePaneView.render(context, into: painter.sub(layout[.sample]))
            StagesPaneView.render(context, into: painter.sub(layout[.stages]))
        }
        DetailPaneView.render(context, into: painter.sub(layout[.detail]))
        var cursor = PromptLineView.render(context, into: painter.sub(layout[.prompt]), origin: layout[.prompt])
        let hintCursor = HintBarView.render(context, into: painter.sub(layout.hintBar), origin: layout.hintBar)
        cursor = cursor ?? hintCursor
        if context.model.showingComparison, context.model.comparison != nil {
            ComparisonOverlayView.render(context, into: painter)
        }
        if context.model.dialog != nil {
            DialogOverlayView.render(context, into: painter)
        }
        if context.model.showingHelp {
            HelpOverlayView.render(context, into: painter)
            return nil
        }
        return context.model.dialog == nil ? cursor : nil
    }
}

enum TooSmallView {
    static func render(width: Int, height: Int, into painter: Painter, theme: Theme) {
        let lines = ScreenLayout.tooSmallMessage(width: width, height: height, times: theme.looks.glyphs.times)
        let wrapped = lines.flatMap { StyledLine($0).wrapped(to: max(1, width)) }
        let top = max(0, (height - wrapped.count) / 2)
        for (i, line) in wrapped.enumerated() {
            let x = max(0, (width - line.width) / 2)
            painter.put(line.plainText, x: x, y: top + i, style: i == 0 ? theme.warning : theme.text)
        }
    }
}

/// The selected stage in detail. Until phase 2 wires the pipeline, it says so and what the stage
/// will show.
enum DetailPaneView {
    static func document(_ context: FrameContext) -> Document {
        let theme = context.theme
        let stage = context.model.stages[min(context.model.stageSelection, context.model.stages.count - 1)]
        return Document([.text([
            StyledLine(stage.kind.title.capitalized, style: theme.heading),
            StyledLine("Not computed: the model pipeline is not wired into the TUI yet (phase 2).", style: theme.warning),
            StyledLine(""),
            StyledLine([StyledSpan("This pane will show ", style: theme.dim), StyledSpan(stage.kind.explanation, style: theme.text), StyledSpan(".", style: theme.dim)]),
        ])])
    }

    static func render(_ context: FrameContext, into painter: Painter) {
        let model = context.model
        let stage = model.stages[min(model.stageSelection, model.stages.count - 1)]
        let subject = model.showingWidgetGallery ? "widget gallery" : stage.kind.title
        let inside = PaneFrame.draw(painter, title: "\(PaneID.detail.title) \(context.glyphs.separator) \(subject)",
                                    focused: model.focus == .detail, theme: context.theme)
        let document = model.showingWidgetGallery ? WidgetGallery.document(theme: context.theme) : document(context)
        let used = document.render(into: inside, offset: model.scroll[.detail] ?? 0, theme: context.theme)
        model.scroll[.detail] = used.offset
        PaneFrame.drawScrollThumb(painter, first: used.offset, visible: inside.height, total: used.height, theme: context.theme)
    }
}

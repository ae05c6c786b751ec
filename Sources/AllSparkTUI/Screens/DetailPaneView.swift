/// The selected stage in detail: each stage has its own view, drawn from the trace.
enum DetailPaneView {
    static func document(_ context: FrameContext, width: Int) -> Document {
        switch context.model.selectedStage {
        case .sample: return SampleStageView.document(context, width: width)
        case .encoder: return EncoderStageView.document(context, width: width)
        case .bridge: return BridgeStageView.document(context, width: width)
        case .prompt: return PromptStageView.document(context, width: width)
        case .sequence: return SequenceStageView.document(context, width: width)
        case .languageModel: return LanguageModelStageView.document(context, width: width)
        case .head: return HeadStageView.document(context, width: width)
        case .generation: return GenerationStageView.document(context, width: width)
        }
    }

    static func render(_ context: FrameContext, into painter: Painter) {
        let model = context.model
        let subject = model.showingWidgetGallery ? "widget gallery"
            : model.transcript.map { ":" + $0.command + ($0.running ? " …" : "") } ?? model.selectedStage.title
        let hint = model.detailZoomed ? "z or Esc: back" : "z enlarges"
        let inside = PaneFrame.draw(painter, title: "\(PaneID.detail.title) \(context.glyphs.separator) \(subject)",
                                    focused: model.focus == .detail, theme: context.theme, rightTitle: hint)
        let document = model.showingWidgetGallery ? WidgetGallery.document(theme: context.theme)
            : model.transcript.map { Document(paragraphs: $0.lines) } ?? document(context, width: inside.width)
        let used = document.render(into: inside, offset: model.scroll[.detail] ?? 0, theme: context.theme)
        model.scroll[.detail] = used.offset
        PaneFrame.drawScrollThumb(painter, first: used.offset, visible: inside.height, total: used.height, theme: context.theme)
    }
}

import AllSparkData

/// The 13 modalities grouped 1D / 2D / 3D, with the number of samples found for each.
enum ModalityPaneView {
    static func render(_ context: FrameContext, into painter: Painter) {
        let model = context.model
        let focused = model.focus == .modalities
        let inside = PaneFrame.draw(painter, title: PaneID.modalities.title, focused: focused, theme: context.theme)
        var counts: [Modality: Int] = [:]
        for modality in Modality.allCases {
            let folder = model.folder(for: modality)
            if !folder.items.isEmpty || folder.problem == nil { counts[modality] = folder.items.count }
        }
        let used = ListView.render(ModalityList.rows(sampleCounts: counts), selected: ModalityList.row(of: model.modality),
                                   offset: model.scroll[.modalities] ?? 0, focused: focused, into: inside, theme: context.theme)
        model.scroll[.modalities] = used
        PaneFrame.drawScrollThumb(painter, first: used, visible: inside.height, total: ModalityList.entries.count, theme: context.theme)
    }
}

import AllSparkData

/// The selected sample's picture, drawn by `SamplePreviews` at the space available: from the
/// pipeline's loaded sample once the sample stage has run, else from the preview loader's copy.
enum SamplePreviewBlock {
    /// The loaded sample to preview, or why there is none.
    static func sample(_ model: TUIModel) -> Result<Sample, PreviewLoadError>? {
        if let sample = model.trace.sample { return .success(sample) }
        guard let item = model.selectedSample else { return nil }
        return model.previewSamples[item.reference.text]
    }

    /// The preview block at `width` (and at most `height` rows), cached per sample and size.
    static func block(_ sample: Sample, width: Int, height: Int, model: TUIModel, theme: Theme) -> Document.Block {
        let looks = theme.looks
        let key = "\(sample.path)|\(width)x\(height)|\(looks.hasColour)|\(looks.unicode)"
        if let cached = model.renderedPreviews[key] { return .preview(cached) }
        let options = Preview.Options(width: max(1, width), height: max(1, height), colour: looks.hasColour, unicode: looks.unicode)
        let preview = SamplePreviews.preview(sample, options: options)
        if model.renderedPreviews.count >= 8 { model.renderedPreviews.removeAll() }
        model.renderedPreviews[key] = preview
        return .preview(preview)
    }

    /// The preview or a line saying why it is not there (loading, unreadable).
    static func blocks(_ model: TUIModel, width: Int, height: Int, theme: Theme) -> [Document.Block] {
        switch sample(model) {
        case .success(let sample)?: return [block(sample, width: width, height: height, model: model, theme: theme)]
        case .failure(let error)?: return [.text([StyledLine("Cannot load this sample: \(error)", style: theme.error)])]
        case nil:
            guard let item = model.selectedSample else { return [] }
            if !item.exists { return [] }
            return [.text([StyledLine("Loading the preview...", style: theme.dim)])]
        }
    }
}

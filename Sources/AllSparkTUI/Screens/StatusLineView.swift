import SparkEngine

/// The top line: program and version, configuration, language model, the provenance of the active
/// components grouped by kind (untrained ones in the warning style), and on the right the running job.
enum StatusLineView {
    static func render(_ context: FrameContext, into painter: Painter) {
        let theme = context.theme, status = context.model.status
        painter.fill(style: theme.statusBar)
        var x = painter.put(" \(AllSparkVersion.name) \(AllSparkVersion.version) ", x: 0, y: 0, style: theme.statusBarEmphasis)
        let separator = " \(context.glyphs.separator) "
        func field(_ text: String, _ style: CellStyle) {
            x += painter.put(separator, x: x, y: 0, style: theme.statusBar)
            x += painter.put(text, x: x, y: 0, style: style)
        }
        if let configuration = status.configuration { field(configuration, theme.statusBar) }
        if let model = status.languageModel { field("LM \(model) (pretrained)", theme.statusBar) }
        for provenance in [ComponentProvenance.untrained, .checkpoint, .pretrained] {
            let names = status.components.filter { $0.provenance == provenance }.map(\.name)
            guard !names.isEmpty else { continue }
            field("\(provenance.rawValue): \(names.joined(separator: ", "))", provenance == .untrained ? theme.statusBarWarning : theme.statusBar)
        }
        if let note = status.note { field(note, theme.statusBar) }

        if let job = context.job {
            let spinner = Spinner.frame(elapsed: job.elapsed, glyphs: context.glyphs)
            var text = "\(spinner) \(job.title) \(NumberFormat.duration(job.elapsed))"
            if job.cancelling { text += " stopping" } else if !job.message.isEmpty && job.message != job.title { text += " \(job.message)" }
            text += " "
            let width = min(DisplayWidth.of(text), max(0, painter.width - x - 1))
            painter.put(text, x: painter.width - width, y: 0, maxWidth: width, ellipsis: context.glyphs.ellipsis, style: theme.statusBarEmphasis)
        }
    }
}

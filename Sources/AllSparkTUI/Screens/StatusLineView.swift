import SparkEngine

/// The top line: program and version, configuration, language model, the provenance of the active
/// components grouped by kind (untrained ones in the warning style), and on the right the running job.
enum StatusLineView {
    static func render(_ context: FrameContext, into painter: Painter) {
        let theme = context.theme, status = context.model.status
        painter.fill(style: theme.statusBar)
        // The running job is drawn first, on the right, with up to half the line: it must stay in
        // view however long the provenance fields are (they are cut short with an ellipsis).
        var limit = painter.width
        if let job = context.job {
            let spinner = Spinner.frame(elapsed: job.elapsed, glyphs: context.glyphs)
            var text = "\(spinner) \(job.title) \(NumberFormat.duration(job.elapsed))"
            if job.cancelling { text += " stopping" } else if !job.message.isEmpty && job.message != job.title { text += " \(job.message)" }
            text += " "
            let width = min(DisplayWidth.of(text), max(0, painter.width / 2))
            painter.put(text, x: painter.width - width, y: 0, maxWidth: width, ellipsis: context.glyphs.ellipsis, style: theme.statusBarEmphasis)
            limit = painter.width - width - 1
        }
        var x = 0
        func put(_ text: String, _ style: CellStyle) {
            guard x < limit else { return }
            x += painter.put(text, x: x, y: 0, maxWidth: limit - x, ellipsis: context.glyphs.ellipsis, style: style)
        }
        put(" \(AllSparkVersion.name) \(AllSparkVersion.version) ", theme.statusBarEmphasis)
        let separator = " \(context.glyphs.separator) "
        func field(_ text: String, _ style: CellStyle) {
            put(separator, theme.statusBar)
            put(text, style)
        }
        if let configuration = status.configuration { field(configuration, theme.statusBar) }
        if let model = status.languageModel { field("LM \(model) (pretrained)", theme.statusBar) }
        for provenance in [ComponentProvenance.untrained, .checkpoint, .pretrained] {
            let names = status.components.filter { $0.provenance == provenance }.map(\.name)
            guard !names.isEmpty else { continue }
            field("\(provenance.rawValue): \(names.joined(separator: ", "))", provenance == .untrained ? theme.statusBarWarning : theme.statusBar)
        }
        if let note = status.note { field(note, theme.statusBar) }
    }
}

import AllSpark

/// The language-model stage: the residual stream's norm at every layer and position, the logit
/// lens (the most likely token read out after each layer at the last position) and the most likely
/// next tokens.
enum LanguageModelStageView {
    static func document(_ context: FrameContext, width: Int) -> Document {
        let model = context.model, theme = context.theme
        guard let record = model.trace.records[.languageModel], let lm = model.trace.languageModel else {
            return StageViewKit.notDone(.languageModel, context: context)
        }
        let times = theme.looks.glyphs.times
        var head = StageViewKit.provenance("language model", lm.provenance, theme: theme)
        head += StageViewKit.provenance("Lynx adapters", lm.adapterProvenance, theme: theme)
        head += StageViewKit.header(record, theme: theme)
        var blocks: [Document.Block] = [.text(head), .spacer(1)]

        blocks.append(.text([StyledLine("Next tokens (probability after the whole sequence)", style: theme.heading)]))
        let snapshot = model.snapshot
        blocks.append(.bars(BarChart(lm.nextTokens.map {
            BarChart.Bar(StageViewKit.quoted(snapshot?.piece($0.token) ?? "#\($0.token)", theme), Double($0.probability))
        }, format: { String(format: "%.1f%%", $0 * 100) })))
        blocks.append(.spacer(1))

        let layers = lm.residualNorms.count, positions = lm.residualNorms.first?.count ?? 0
        if layers > 0, positions > 0, lm.residualNorms.allSatisfy({ $0.count == positions }) {
            blocks.append(.text([StyledLine("Residual stream norm: \(layers) layers (rows, the embeddings first) \(times) \(positions) positions", style: theme.heading)]))
            blocks.append(.heatMap(HeatMap(rows: layers, columns: positions, values: lm.residualNorms.flatMap { $0 }),
                                   rows: min(9, (layers + 1) / 2 + 1)))
            let last = lm.residualNorms.map { Double($0[positions - 1]) }
            blocks.append(.sparkline(label: "last position, layer by layer:", Sparkline(last)))
            blocks.append(.spacer(1))
        }

        var lens = [StyledLine("Logit lens at the last position: the top token after each layer", style: theme.heading)]
        let columnWidth = 26, perLine = max(1, width / columnWidth)
        var spans: [StyledSpan] = []
        for (index, top) in lm.logitLens.enumerated() {
            let word = StageViewKit.quoted(snapshot?.piece(top.token) ?? "#\(top.token)", theme)
            let entry = String(format: "L%-3d", index) + " \(word) \(StageViewKit.percent(top.probability))"
            let padded = entry + String(repeating: " ", count: max(1, columnWidth - DisplayWidth.of(entry)))
            spans.append(StyledSpan(String(padded.prefix(4)), style: theme.dim))
            spans.append(StyledSpan(String(padded.dropFirst(4)), style: theme.text))
            if (index + 1) % perLine == 0 { lens.append(StyledLine(spans)); spans = [] }
        }
        if !spans.isEmpty { lens.append(StyledLine(spans)) }
        blocks.append(.text(lens))
        return Document(blocks)
    }
}

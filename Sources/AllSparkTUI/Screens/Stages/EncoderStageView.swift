import AllSpark
import SparkEngine

/// The encoder stage: the tokens' shape and statistics, a heat map of all tokens (positions ×
/// channels, averaged down to the space available), and each token's norm on the input's layout.
enum EncoderStageView {
    static func document(_ context: FrameContext, width: Int) -> Document {
        let model = context.model, theme = context.theme
        guard let record = model.trace.records[.encoder], let encoder = model.trace.encoder else {
            return StageViewKit.notDone(.encoder, context: context)
        }
        let tokens = encoder.output.tokens
        var blocks: [Document.Block] = [.text(StageViewKit.provenance("encoder", encoder.provenance, theme: theme)
                                              + StageViewKit.header(record, theme: theme)), .spacer(1)]
        if tokens.rank == 2, tokens.shape[0] > 0, tokens.shape[1] > 0 {
            let (n, d) = (tokens.shape[0], tokens.shape[1])
            let times = theme.looks.glyphs.times
            blocks.append(.text([StyledLine("All tokens: \(n) positions (rows) \(times) \(d) channels (columns), averaged to fit", style: theme.dim)]))
            let spread = max(abs(Double(record.summary?.min ?? -1)), abs(Double(record.summary?.max ?? 1)), 1e-6)
            blocks.append(.heatMap(HeatMap(rows: n, columns: d, values: tokens.scalars, ramp: .diverging, range: -spread...spread),
                                   rows: min(9, (n + 1) / 2 + 1)))
            blocks.append(.spacer(1))
        }
        blocks += TokenLayoutBlocks.blocks(values: encoder.tokenNorms, layout: encoder.output.layout, title: "Token norms", theme: theme)
        return Document(blocks)
    }
}

import AllSpark
import SparkEngine
import SparkLM

/// The bridge stage: the query tokens' shape and statistics, one query's cross-attention over the
/// encoder tokens laid out on the input, every query's attention as a heat map, and the language
/// lens (the vocabulary words nearest each query token).
enum BridgeStageView {
    static func document(_ context: FrameContext, width: Int) -> Document {
        let model = context.model, theme = context.theme
        guard let record = model.trace.records[.bridge] else { return StageViewKit.notDone(.bridge, context: context) }
        guard let bridge = model.trace.bridge else {
            return Document([.text(StageViewKit.header(record, theme: theme))])  // text and code skip the bridge
        }
        var blocks: [Document.Block] = [.text(StageViewKit.provenance("bridge", bridge.provenance, theme: theme)
                                              + StageViewKit.header(record, theme: theme)), .spacer(1)]
        if let attention = attentionBlocks(bridge, layout: model.trace.encoder?.output.layout, model: model, theme: theme) {
            blocks += attention
            blocks.append(.spacer(1))
        }
        blocks.append(.text(lensLines(bridge, snapshot: model.snapshot, width: width, theme: theme)))
        return Document(blocks)
    }

    /// The layer shown: the chosen one, else the last.
    static func layer(_ bridge: BridgeStage, model: TUIModel) -> Int? {
        guard !bridge.attention.isEmpty else { return nil }
        return min(model.bridgeLayer ?? bridge.attention.count - 1, bridge.attention.count - 1)
    }

    /// `[heads, queries, tokens]` → row `query` averaged over the heads.
    static func headAverage(_ attention: Tensor, query: Int) -> [Float]? {
        guard attention.rank == 3, query >= 0, query < attention.shape[1] else { return nil }
        let (heads, queries, tokens) = (attention.shape[0], attention.shape[1], attention.shape[2])
        var row = [Float](repeating: 0, count: tokens)
        for h in 0..<heads {
            let base = (h * queries + query) * tokens
            for t in 0..<tokens { row[t] += attention.scalars[base + t] }
        }
        return row.map { $0 / Float(max(1, heads)) }
    }

    static func attentionBlocks(_ bridge: BridgeStage, layout: TokenLayout?, model: TUIModel, theme: Theme) -> [Document.Block]? {
        guard let layerIndex = layer(bridge, model: model) else { return nil }
        let attention = bridge.attention[layerIndex]
        guard attention.rank == 3, attention.shape[1] > 0 else { return nil }
        let (heads, queries, tokens) = (attention.shape[0], attention.shape[1], attention.shape[2])
        let query = min(max(0, model.bridgeQuery), queries - 1)
        guard let row = headAverage(attention, query: query) else { return nil }
        let times = theme.looks.glyphs.times
        var blocks: [Document.Block] = [.text([
            StyledLine("Cross-attention of query \(query + 1) of \(queries), layer \(layerIndex + 1) of \(bridge.attention.count), mean of \(heads) heads",
                       style: theme.heading),
            StyledLine("[ ] choose the query, { } the layer. Weights over the \(tokens) encoder tokens sum to 1.", style: theme.dim),
        ])]
        blocks += TokenLayoutBlocks.blocks(values: row, layout: layout ?? .sequence(labels: nil), title: "Attention", theme: theme)
        var all = [Float](); all.reserveCapacity(queries * tokens)
        for q in 0..<queries { all += headAverage(attention, query: q) ?? [] }
        blocks.append(.spacer(1))
        blocks.append(.text([StyledLine("Every query (rows) \(times) encoder token (columns), layer \(layerIndex + 1)", style: theme.dim)]))
        blocks.append(.heatMap(HeatMap(rows: queries, columns: tokens, values: all), rows: min(9, (queries + 1) / 2 + 1)))
        return blocks
    }

    /// "q1  "forest" 0.21  "trees" 0.19 …" — as many neighbours as fit on a line.
    static func lensLines(_ bridge: BridgeStage, snapshot: PipelineSnapshot?, width: Int, theme: Theme) -> [StyledLine] {
        var lines = [StyledLine("Language lens: nearest vocabulary tokens to each query token (cosine similarity with the input embeddings)", style: theme.heading)]
        for (index, neighbours) in bridge.languageLens.enumerated() {
            var spans = [StyledSpan(String(format: "q%-3d", index + 1), style: theme.dim)]
            var used = 4
            for neighbour in neighbours {
                let word = StageViewKit.quoted(snapshot?.piece(neighbour.token) ?? "#\(neighbour.token)", theme)
                let entry = " \(word) \(String(format: "%.2f", Double(neighbour.probability)))"
                if used + DisplayWidth.of(entry) > width && spans.count > 1 { break }
                spans.append(StyledSpan(" " + word, style: theme.text))
                spans.append(StyledSpan(" " + String(format: "%.2f", Double(neighbour.probability)), style: theme.dim))
                used += DisplayWidth.of(entry)
            }
            lines.append(StyledLine(spans))
        }
        return lines
    }
}

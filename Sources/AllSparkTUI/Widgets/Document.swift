import AllSparkData

/// What a detail pane shows: a column of blocks (text, charts, previews) that scrolls as one.
/// Phase 2's stage views build documents; the pane only lays them out and scrolls.
public struct Document {
    public enum Block {
        /// Lines of text, wrapped to the pane's width.
        case text([StyledLine])
        case bars(BarChart)
        /// A sparkline with a label in front.
        case sparkline(label: String, Sparkline)
        /// A heat map, `rows` rows of cells tall at most (legend included).
        case heatMap(HeatMap, rows: Int)
        /// A line plot `rows` rows tall.
        case linePlot(LinePlot, rows: Int)
        case tokens(TokenPieces)
        case preview(Preview)
        /// An x-y plot `rows` rows tall (legend and x range included).
        case xyPlot(XYPlot, rows: Int)
        /// A proportional bar with its legend.
        case segments(SegmentBar)
        /// Documents side by side in equal columns with a gap of `gap` cells, as tall as the tallest.
        case columns([Document], gap: Int)
        /// Empty rows.
        case spacer(Int)
    }

    public var blocks: [Block]
    public init(_ blocks: [Block]) { self.blocks = blocks }

    /// A document of plain paragraphs.
    public init(paragraphs: [String], style: CellStyle = .plain) {
        blocks = [.text(paragraphs.map { StyledLine($0, style: style) })]
    }

    /// The rows a block takes at `width`.
    static func height(of block: Block, width: Int, looks: Looks) -> Int {
        switch block {
        case .text(let lines): return lines.reduce(0) { $0 + $1.wrapped(to: width).count }
        case .bars(let chart): return chart.height
        case .sparkline: return 1
        case .heatMap(_, let rows): return rows
        case .linePlot(_, let rows): return rows
        case .tokens(let tokens): return tokens.height(width: width, glyphs: looks.glyphs)
        case .preview(let preview): return preview.height + (preview.caption.isEmpty ? 0 : 1)
        case .xyPlot(_, let rows): return rows
        case .segments(let bar): return bar.height(width: width, theme: Theme(looks: looks))
        case .columns(let documents, let gap):
            let columnWidth = Self.columnWidth(count: documents.count, width: width, gap: gap)
            return documents.map { $0.height(width: columnWidth, looks: looks) }.max() ?? 0
        case .spacer(let rows): return rows
        }
    }

    /// The width of each of `count` columns sharing `width` with `gap` cells between them.
    static func columnWidth(count: Int, width: Int, gap: Int) -> Int {
        guard count > 0 else { return width }
        return max(1, (width - gap * (count - 1)) / count)
    }

    public func height(width: Int, looks: Looks) -> Int {
        blocks.reduce(0) { $0 + Self.height(of: $1, width: width, looks: looks) }
    }

    /// Renders the whole document into a grid `width` wide, as tall as it needs.
    public func renderFull(width: Int, theme: Theme) -> CellGrid {
        let grid = CellGrid(width: width, height: height(width: width, looks: theme.looks))
        let painter = Painter(grid: grid)
        var y = 0
        for block in blocks {
            let rows = Self.height(of: block, width: width, looks: theme.looks)
            let area = painter.sub(Rect(x: 0, y: y, width: width, height: rows))
            switch block {
            case .text(let lines):
                for (i, line) in lines.flatMap({ $0.wrapped(to: width) }).enumerated() { line.draw(area, y: i) }
            case .bars(let chart): chart.render(into: area, theme: theme)
            case .sparkline(let label, let line):
                let used = area.put(label, x: 0, y: 0, style: theme.dim)
                line.render(into: area, theme: theme, x: used + (label.isEmpty ? 0 : 1))
            case .heatMap(let map, _): map.render(into: area, theme: theme)
            case .linePlot(let plot, _): plot.render(into: area, theme: theme)
            case .tokens(let tokens): tokens.render(into: area, theme: theme)
            case .preview(let preview): PreviewRenderer.render(preview, into: area, theme: theme)
            case .xyPlot(let plot, _): plot.render(into: area, theme: theme)
            case .segments(let bar): bar.render(into: area, theme: theme)
            case .columns(let documents, let gap):
                let columnWidth = Self.columnWidth(count: documents.count, width: width, gap: gap)
                for (index, document) in documents.enumerated() {
                    let column = document.renderFull(width: columnWidth, theme: theme)
                    let x0 = index * (columnWidth + gap)
                    for y in 0..<min(column.height, rows) {
                        for x in 0..<column.width where !column[x, y].isContinuation {
                            area.set(x: x0 + x, y: y, column[x, y].character, style: column[x, y].style)
                        }
                    }
                }
            case .spacer: break
            }
            y += rows
        }
        return grid
    }

    /// Draws rows `offset ..< offset + height` of the document into the painter. Returns the
    /// offset actually used (clamped so the last page is full) and the document's height.
    @discardableResult
    public func render(into painter: Painter, offset: Int, theme: Theme) -> (offset: Int, height: Int) {
        let full = renderFull(width: painter.width, theme: theme)
        let first = min(max(0, offset), max(0, full.height - painter.height))
        for y in 0..<min(painter.height, full.height - first) {
            for x in 0..<painter.width {
                let cell = full[x, first + y]
                if !cell.isContinuation { painter.set(x: x, y: y, cell.character, style: cell.style) }
            }
        }
        return (first, full.height)
    }
}

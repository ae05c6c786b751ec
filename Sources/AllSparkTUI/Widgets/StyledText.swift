/// Text with styles, as lines of spans: what the detail pane and overlays show.
public struct StyledSpan: Equatable, Sendable {
    public var text: String
    public var style: CellStyle
    public init(_ text: String, style: CellStyle = .plain) { self.text = text; self.style = style }
}

public struct StyledLine: Equatable, Sendable {
    public var spans: [StyledSpan]
    public init(_ spans: [StyledSpan]) { self.spans = spans }
    public init(_ text: String, style: CellStyle = .plain) { spans = [StyledSpan(text, style: style)] }

    public var plainText: String { spans.map(\.text).joined() }
    public var width: Int { DisplayWidth.of(plainText) }

    /// Draws the line from (x, y), clipped to the painter; returns the columns used.
    @discardableResult
    public func draw(_ painter: Painter, x: Int = 0, y: Int) -> Int {
        var column = x
        for span in spans { column += painter.put(span.text, x: column, y: y, style: span.style) }
        return column - x
    }

    /// The line broken into lines of at most `width` columns, preferring breaks after spaces.
    public func wrapped(to width: Int) -> [StyledLine] {
        guard width > 0 else { return [self] }
        // Characters with their styles, then greedy filling with a look-back to the last space.
        let characters: [(Character, CellStyle)] = spans.flatMap { span in span.text.map { ($0, span.style) } }
        if characters.isEmpty { return [self] }
        var lines: [StyledLine] = []
        var current: [(Character, CellStyle)] = []
        var currentWidth = 0
        var lastSpace: Int? = nil
        for item in characters {
            let w = DisplayWidth.of(item.0)
            if currentWidth + w > width && !current.isEmpty {
                if let space = lastSpace, space > 0 {
                    let head = Array(current[..<space])
                    let tail = Array(current[(space + 1)...])
                    lines.append(Self.from(head))
                    current = tail
                } else {
                    lines.append(Self.from(current))
                    current = []
                }
                currentWidth = current.reduce(0) { $0 + DisplayWidth.of($1.0) }
                lastSpace = nil
                if let s = current.lastIndex(where: { $0.0 == " " }) { lastSpace = s }
            }
            if item.0 == " " { lastSpace = current.count }
            current.append(item)
            currentWidth += w
        }
        lines.append(Self.from(current))
        return lines
    }

    /// Merges consecutive characters of equal style back into spans.
    private static func from(_ characters: [(Character, CellStyle)]) -> StyledLine {
        var spans: [StyledSpan] = []
        for (character, style) in characters {
            if let last = spans.last, last.style == style {
                spans[spans.count - 1].text.append(character)
            } else {
                spans.append(StyledSpan(String(character), style: style))
            }
        }
        return StyledLine(spans)
    }
}

/// Text samples: the paragraphs word-wrapped to the width, cut with an ellipsis at the height.
enum TextPreview {
    static func preview(_ sample: Sample, options: Preview.Options) -> Preview {
        guard case .text(let raw) = sample.content else { return Preview(lines: [], caption: "not text") }
        let text = PreviewStyle.text(raw, options)
        var lines: [String] = []
        for paragraph in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lines += wrap(String(paragraph), width: options.width, options, maxLines: options.height + 1 - lines.count)
            if lines.count > options.height { break }   // the rest would not be shown
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        if lines.count > options.height {
            lines = Array(lines.prefix(options.height))
            let last = lines[options.height - 1]
            lines[options.height - 1] = PreviewStyle.fitted(last + " " + PreviewStyle.ellipsis(options), width: options.width, options)
        }
        let words = raw.split(whereSeparator: { $0.isWhitespace }).count
        var caption = "Text, \(words) words, \(raw.utf8.count) bytes"
        if case .className(let label)? = sample.label { caption += ", label: \(label)" }
        return Preview(lines: lines, caption: PreviewStyle.text(caption, options))
    }

    /// Greedy word wrap by terminal columns; a word longer than the width is broken. Stops after
    /// `maxLines` lines (a preview shows only so many).
    static func wrap(_ paragraph: String, width: Int, _ options: Preview.Options, maxLines: Int = .max) -> [String] {
        var lines: [String] = [], current = "", used = 0
        for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
            if lines.count >= maxLines { return Array(lines.prefix(maxLines)) }
            var word = Substring(word)
            var wordWidth = word.reduce(0) { $0 + PreviewStyle.columns($1) }
            if used > 0 && used + 1 + wordWidth > width { lines.append(current); current = ""; used = 0 }
            while wordWidth > width {
                // Break an over-long word at the width.
                var head = "", headWidth = 0
                for character in word {
                    let w = PreviewStyle.columns(character)
                    if headWidth + w > width { break }
                    head.append(character); headWidth += w
                }
                if head.isEmpty { head = String(word.prefix(1)); headWidth = width }
                if used > 0 { lines.append(current); current = ""; used = 0 }
                lines.append(head)
                word = word.dropFirst(head.count)
                wordWidth = word.reduce(0) { $0 + PreviewStyle.columns($1) }
            }
            guard !word.isEmpty else { continue }
            if used > 0 { current += " "; used += 1 }
            current += word; used += wordWidth
        }
        lines.append(current)
        return lines
    }
}

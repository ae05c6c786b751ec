/// Code samples: numbered lines, cut at the width and height, with keywords, strings, comments
/// and numbers coloured (a light lexer per language family, not a parser).
enum CodePreview {
    static let keywords: [String: Set<String>] = [
        "python": ["def", "return", "if", "elif", "else", "for", "while", "in", "not", "and", "or", "is", "None",
                   "True", "False", "import", "from", "as", "class", "try", "except", "finally", "raise", "with",
                   "yield", "lambda", "pass", "break", "continue", "global", "nonlocal", "assert", "del", "async", "await"],
        "swift": ["func", "let", "var", "return", "if", "else", "guard", "for", "in", "while", "switch", "case",
                  "default", "struct", "class", "enum", "protocol", "extension", "import", "throws", "throw", "try",
                  "nil", "true", "false", "self", "init", "public", "private", "static", "where", "defer"],
        "ruby": ["def", "end", "return", "if", "elsif", "else", "unless", "do", "while", "for", "in", "class",
                 "module", "nil", "true", "false", "self", "yield", "begin", "rescue", "ensure", "require"],
        "javascript": ["function", "return", "if", "else", "for", "while", "const", "let", "var", "new", "class",
                       "null", "undefined", "true", "false", "this", "import", "export", "from", "async", "await"],
        "c": ["int", "char", "float", "double", "void", "return", "if", "else", "for", "while", "struct", "static",
              "const", "unsigned", "sizeof", "switch", "case", "break", "continue", "typedef", "NULL"],
    ]

    static func lineComment(_ language: String) -> String {
        ["python", "ruby", "shell", "perl", "r"].contains(language) ? "#" : "//"
    }

    static func preview(_ sample: Sample, options: Preview.Options) -> Preview {
        guard case .code(let raw, let language) = sample.content else { return Preview(lines: [], caption: "not code") }
        let source = PreviewStyle.text(raw, options).replacingOccurrences(of: "\t", with: "    ")
        var lines = source.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        if lines.last?.isEmpty == true { lines.removeLast() }
        let gutter = String(lines.count).count
        let separator = options.unicode ? "│ " : "| "
        let room = max(1, options.width - gutter - separator.count)
        let wordsOfLanguage = keywords[language] ?? keywords[language == "c++" ? "c" : "javascript"]!
        var rows: [[Preview.Cell]] = []
        for (number, line) in lines.enumerated() {
            if rows.count == options.height { break }
            if rows.count == options.height - 1 && number < lines.count - 1 {
                let note = PreviewStyle.ellipsis(options) + " \(lines.count - number) more lines"
                rows.append(PreviewStyle.fitted(note, width: options.width, options).map { Preview.Cell($0, foreground: PreviewStyle.shown(PreviewStyle.context, options)) })
                break
            }
            let label = String(repeating: " ", count: gutter - String(number + 1).count) + String(number + 1) + separator
            var row = String(label.prefix(options.width)).map { Preview.Cell($0, foreground: PreviewStyle.shown(PreviewStyle.context, options)) }
            if options.width > label.count {
                row += colour(PreviewStyle.fitted(line, width: room, options), keywords: wordsOfLanguage, comment: lineComment(language), options)
            }
            rows.append(row)
        }
        var caption = "Code (\(language)), \(lines.count) lines"
        if case .className(let doc)? = sample.label {
            caption += "; documentation: " + (doc.split(whereSeparator: \.isNewline).first.map(String.init) ?? "")
        }
        return Preview(rows: rows, caption: PreviewStyle.text(caption, options))
    }

    /// Cells of one line with keywords, strings, comments and numbers coloured.
    static func colour(_ line: String, keywords: Set<String>, comment: String, _ options: Preview.Options) -> [Preview.Cell] {
        let characters = Array(line)
        var cells: [Preview.Cell] = []
        var i = 0
        func add(_ range: Range<Int>, _ colour: Preview.Colour?) {
            for k in range { cells.append(Preview.Cell(characters[k], foreground: PreviewStyle.shown(colour, options, keepWithoutColour: false))) }
        }
        while i < characters.count {
            let c = characters[i]
            if String(characters[i...].prefix(comment.count)) == comment {
                add(i..<characters.count, PreviewStyle.comment); break
            }
            if c == "\"" || c == "'" {
                var j = i + 1
                while j < characters.count && characters[j] != c { j += characters[j] == "\\" ? 2 : 1 }
                let end = min(j + 1, characters.count)
                add(i..<end, PreviewStyle.string); i = end; continue
            }
            if c.isLetter || c == "_" {
                var j = i
                while j < characters.count && (characters[j].isLetter || characters[j].isNumber || characters[j] == "_") { j += 1 }
                add(i..<j, keywords.contains(String(characters[i..<j])) ? PreviewStyle.keyword : nil); i = j; continue
            }
            if c.isNumber {
                var j = i
                while j < characters.count && (characters[j].isNumber || characters[j] == "." || characters[j].isLetter) { j += 1 }
                add(i..<j, PreviewStyle.number); i = j; continue
            }
            add(i..<(i + 1), nil); i += 1
        }
        return cells
    }
}

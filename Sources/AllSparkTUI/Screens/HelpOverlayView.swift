/// `?`: every key of the key table, by scope, and every `:` command, in a box over the screen.
enum HelpOverlayView {
    /// The help text for a body `width` columns wide: each description wrapped beside its keys.
    static func lines(theme: Theme, width: Int = 200) -> [StyledLine] {
        let unicode = theme.looks.unicode
        let keyWidth = KeyBindings.table.map { DisplayWidth.of(KeyBindings.keyLabel($0, unicode: unicode)) }.max() ?? 10
        var lines: [StyledLine] = []
        for scope in KeyBinding.Scope.allCases {
            if !lines.isEmpty { lines.append(StyledLine("")) }
            lines.append(StyledLine(scope.heading, style: theme.heading))
            for binding in KeyBindings.bindings(in: scope) {
                let keys = KeyBindings.keyLabel(binding, unicode: unicode)
                let padding = String(repeating: " ", count: max(0, keyWidth - DisplayWidth.of(keys)))
                lines += entry(StyledSpan("  " + keys + padding + "  ", style: theme.key), binding.help, width: width)
            }
        }
        lines.append(StyledLine(""))
        lines.append(StyledLine("Commands (type : then the command, Enter runs it)", style: theme.heading))
        for spec in LineCommand.specs {
            let names = spec.names.joined(separator: ", ") + (spec.arguments.isEmpty ? "" : " " + spec.arguments)
            lines += entry(StyledSpan("  :" + names + "  ", style: theme.key), spec.help, width: width)
        }
        lines.append(StyledLine(""))
        lines.append(StyledLine("The REPL's commands work on the : line too (as in allspark repl; output in the detail pane)", style: theme.heading))
        for spec in CommandCatalog.specs {
            lines += entry(StyledSpan("  :" + spec.usage + "  ", style: theme.key), spec.summary, width: width)
        }
        return lines
    }

    /// `lead` then `text` wrapped to `width`, continuation lines indented under the text's start.
    private static func entry(_ lead: StyledSpan, _ text: String, width: Int) -> [StyledLine] {
        let indent = DisplayWidth.of(lead.text)
        let wrapped = StyledLine(text).wrapped(to: max(10, width - indent))
        return wrapped.enumerated().map { i, line in
            StyledLine([i == 0 ? lead : StyledSpan(String(repeating: " ", count: indent))] + line.spans)
        }
    }

    static func render(_ context: FrameContext, into painter: Painter) {
        let theme = context.theme
        let width = min(painter.width - 4, 100), height = painter.height - 2
        let box = painter.sub(Rect(x: (painter.width - width) / 2, y: 1, width: width, height: height))
        box.fill(style: theme.overlay)
        let inside = PaneFrame.draw(box, title: "Help", focused: true, theme: theme, rightTitle: "Esc or ? closes")
        let body = inside.sub(Rect(x: 1, y: 0, width: inside.width - 2, height: inside.height))
        let used = Document([.text(lines(theme: theme, width: body.width))]).render(into: body, offset: context.model.helpOffset, theme: theme)
        context.model.helpOffset = used.offset
        if used.height > body.height {
            let more = "\(used.offset + body.height)/\(used.height) j/k scroll"
            box.put(" \(more) ", x: box.width - DisplayWidth.of(more) - 3, y: box.height - 1, style: theme.dim)
        }
    }
}

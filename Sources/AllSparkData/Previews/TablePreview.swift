import Foundation

/// Table rows: one line per column, `name │ value`, numbers aligned, missing values marked.
enum TablePreview {
    static func preview(_ sample: Sample, options: Preview.Options) -> Preview {
        guard case .tableRow(let columns, let values) = sample.content else { return Preview(lines: [], caption: "not a table row") }
        let names = columns.map { $0.isEmpty ? "(unnamed)" : PreviewStyle.text($0, options) }
        let separator = options.unicode ? " │ " : " | "
        let nameWidth = min(names.map(\.count).max() ?? 0, max(1, options.width / 2))
        var rows: [[Preview.Cell]] = []
        for (index, (name, value)) in zip(names, values).enumerated() {
            if rows.count == options.height { break }
            if rows.count == options.height - 1 && index < names.count - 1 {
                let note = PreviewStyle.ellipsis(options) + " \(names.count - index) more columns"
                rows.append(PreviewStyle.fitted(note, width: options.width, options).map { Preview.Cell($0) })
                break
            }
            let shownName = PreviewStyle.fitted(name, width: nameWidth, options)
            let padded = shownName + String(repeating: " ", count: max(0, nameWidth - shownName.count)) + separator
            let (text, colour) = describe(value, options)
            var row = PreviewStyle.fitted(padded, width: options.width, options).map { Preview.Cell($0, foreground: PreviewStyle.shown(PreviewStyle.context, options)) }
            let room = options.width - row.count
            if room > 0 {
                row += PreviewStyle.fitted(text, width: room, options).map { Preview.Cell($0, foreground: PreviewStyle.shown(colour, options, keepWithoutColour: colour != nil)) }
            }
            rows.append(row)
        }
        var caption = "Table row, \(columns.count) columns"
        switch sample.label {
        case .value(let x, let unit)?: caption += ", target \(format(x))\(unit.isEmpty ? "" : " " + unit)"
        case .className(let name)?: caption += ", target \(name)"
        default: break
        }
        return Preview(rows: rows, caption: PreviewStyle.text(caption, options))
    }

    static func describe(_ value: TableValue, _ options: Preview.Options) -> (String, Preview.Colour?) {
        switch value {
        case .number(let x): return (format(x), nil)
        case .category(let name): return (PreviewStyle.text(name, options), PreviewStyle.string)
        case .missing: return (options.unicode ? "— (missing)" : "NA (missing)", PreviewStyle.comment)
        }
    }

    /// Whole numbers without a decimal point, others with up to 6 significant digits.
    static func format(_ x: Double) -> String {
        if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
        return String(format: "%.6g", x)
    }
}

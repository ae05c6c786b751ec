/// Prints a `FileInspection` as text (like gguf-dump) or as JSON. Unless `full`, long arrays
/// show their first elements and their count, and in text long strings are cut.
public struct InspectionReport {
    public var inspection: FileInspection
    public var full: Bool

    /// Array elements shown when not `full`.
    public static let arrayPreview = 8
    /// Characters of a string shown in text when not `full`.
    public static let stringPreview = 80

    public init(_ inspection: FileInspection, full: Bool = false) {
        self.inspection = inspection
        self.full = full
    }

    // MARK: Text

    public var text: String {
        var lines: [String] = []
        let facts = inspection.facts.map { "\($0.key.replacingUnderscores) \(plain($0.value))" }.joined(separator: ", ")
        lines.append("\(inspection.path): \(inspection.format.rawValue)" + (facts.isEmpty ? "" : ", \(facts)"))
        if let summary = inspection.summary { lines.append(summary) }
        if !inspection.metadata.isEmpty {
            lines.append("")
            lines.append("Metadata (\(inspection.metadata.count) keys):")
            let keyWidth = min(48, inspection.metadata.map(\.key.count).max() ?? 0)
            let typeWidth = min(24, inspection.metadata.map(\.type.count).max() ?? 0)
            for (index, entry) in inspection.metadata.enumerated() {
                lines.append("  \(String(index + 1).padded(4, left: true))  \(entry.key.padded(keyWidth))  \(entry.type.padded(typeWidth))  \(textValue(entry.value))")
            }
        }
        lines.append("")
        lines.append("Tensors (\(inspection.tensors.count)):")
        let rows = inspection.tensors.map { row -> [String] in
            [String(row.index), row.name, row.type, row.shape.isEmpty ? "scalar" : row.shape.map(String.init).joined(separator: " × "),
             groupedDigits(row.bytes)]
        }
        let header = ["index", "name", "type", "shape", "bytes"]
        let widths = (0..<header.count).map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        let rightAligned: Set<Int> = [0, 4]
        for row in [header] + rows {
            lines.append("  " + row.enumerated().map { $1.padded(widths[$0], left: rightAligned.contains($0)) }.joined(separator: "  "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func textValue(_ value: JSONValue) -> String {
        switch value {
        case .string(let s) where !full && s.count > InspectionReport.stringPreview:
            return JSONValue.string(String(s.prefix(InspectionReport.stringPreview))).rendered() + "… (\(groupedDigits(s.count)) characters)"
        case .array(let items) where !full && items.count > InspectionReport.arrayPreview:
            let shown = items.prefix(InspectionReport.arrayPreview).map(textValue).joined(separator: ", ")
            return "[\(shown), …] (\(groupedDigits(items.count)) elements)"
        case .array(let items):
            return "[" + items.map(textValue).joined(separator: ", ") + "]"
        default:
            return value.rendered()
        }
    }

    private func plain(_ value: JSONValue) -> String {
        if let n = value.int { return groupedDigits(n) }
        if let s = value.string { return s }
        return value.rendered()
    }

    // MARK: JSON

    public var json: String {
        var members: [(key: String, value: JSONValue)] = [("file", .string(inspection.path)), ("format", .string(inspection.format.rawValue))]
        members += inspection.facts
        if let summary = inspection.summary { members.append(("summary", .string(summary))) }
        members.append(("metadata", .array(inspection.metadata.map { entry in
            var fields: [(key: String, value: JSONValue)] = [("key", .string(entry.key)), ("type", .string(entry.type))]
            if case .array(let items) = entry.value { fields.append(("count", .integer(items.count))) }
            let (value, truncated) = abbreviated(entry.value)
            fields.append(("value", value))
            if truncated { fields.append(("truncated", .bool(true))) }
            return .object(fields)
        })))
        members.append(("tensors", .array(inspection.tensors.map { row in
            .object([("index", .integer(row.index)), ("name", .string(row.name)), ("type", .string(row.type)),
                     ("shape", .array(row.shape.map { .integer($0) })), ("bytes", .integer(row.bytes))] + row.details)
        })))
        return JSONValue.object(members).rendered(pretty: true) + "\n"
    }

    /// Arrays cut to their first elements (at every level) unless `full`.
    private func abbreviated(_ value: JSONValue) -> (JSONValue, Bool) {
        guard !full, case .array(let items) = value else { return (value, false) }
        var truncated = items.count > InspectionReport.arrayPreview
        let kept = items.prefix(InspectionReport.arrayPreview).map { item -> JSONValue in
            let (inner, innerTruncated) = abbreviated(item)
            truncated = truncated || innerTruncated
            return inner
        }
        return (.array(kept), truncated)
    }
}

extension String {
    func padded(_ width: Int, left: Bool = false) -> String {
        count >= width ? self : (left ? String(repeating: " ", count: width - count) + self
                                      : self + String(repeating: " ", count: width - count))
    }

    var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}

import AllSparkData
import Foundation

/// A preview of a sample file that is text (code, tables, text samples): its first lines, read
/// without a loader. Other files get their real preview from the loaders once the pipeline is wired.
public enum TextPreview {
    static let textExtensions: Set<String> = ["txt", "md", "csv", "tsv", "json", "py", "swift", "c", "h", "js", "ts",
                                              "rs", "go", "java", "sh", "xyz", "off", "yaml", "yml", "toml"]
    /// At most this much of a file is read for a preview.
    static let maxBytes = 16 << 10

    public static func isText(_ path: String) -> Bool {
        textExtensions.contains((path as NSString).pathExtension.lowercased())
    }

    /// The first `maxLines` lines of a text file (tabs as spaces), or nil when the file is not text,
    /// cannot be read or is not UTF-8.
    public static func make(path: String, maxLines: Int = 60) -> Preview? {
        guard isText(path), let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: maxBytes), var text = String(data: data, encoding: .utf8) else {
            return nil
        }
        let truncated = data.count == maxBytes
        if truncated, let lastNewline = text.lastIndex(of: "\n") { text = String(text[..<lastNewline]) }
        if text.last?.isNewline == true { text.removeLast() }
        // isNewline: "\r\n" is one Character in Swift, so CRLF files split too.
        let lines = text.replacingOccurrences(of: "\t", with: "    ")
            .split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).prefix(maxLines).map(String.init)
        return Preview(lines: lines, caption: "first \(lines.count) lines\(truncated || lines.count == maxLines ? " (more follow)" : "")")
    }
}

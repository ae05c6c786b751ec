/// Left-aligned text columns. (String(format:) does not pad `%@` on Linux's Foundation.)
public enum TextColumns {
    /// `text` padded with spaces to `width` characters (never cut).
    public static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// Cells joined with one space, each padded to its width (the last cell unpadded).
    public static func row(_ cells: [(String, Int)]) -> String {
        cells.enumerated().map { $0.offset == cells.count - 1 ? $0.element.0 : pad($0.element.0, $0.element.1) }.joined(separator: " ")
    }
}

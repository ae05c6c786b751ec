/// How many terminal columns a character takes. Written out rather than taken from `wcwidth`,
/// whose answer depends on the process locale (and is -1 for everything non-ASCII in the C locale
/// that tests and CI run in); the ranges are Unicode's East Asian Wide/Fullwidth blocks and the
/// emoji blocks that terminals draw two columns wide.
enum DisplayWidth {
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
        0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
        0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD,
    ]

    /// 1 or 2. Control characters never reach the grid (`CellGrid` replaces them), so 0 is not returned.
    static func of(_ character: Character) -> Int {
        guard let first = character.unicodeScalars.first?.value else { return 1 }
        if first < 0x1100 { return 1 }
        for range in wideRanges where range.contains(first) { return 2 }
        return 1
    }

    static func of(_ text: String) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    /// True for characters that must not be sent to the terminal as they are (they would move
    /// the cursor or start an escape sequence).
    static func isControl(_ character: Character) -> Bool {
        guard let first = character.unicodeScalars.first?.value else { return true }
        return first < 0x20 || (first >= 0x7F && first < 0xA0)
    }

    /// The longest prefix of `text` that fits in `columns`, and its width.
    static func prefix(of text: String, fitting columns: Int) -> (text: Substring, width: Int) {
        var used = 0
        var end = text.startIndex
        while end < text.endIndex {
            let w = of(text[end])
            if used + w > columns { break }
            used += w
            end = text.index(after: end)
        }
        return (text[..<end], used)
    }
}

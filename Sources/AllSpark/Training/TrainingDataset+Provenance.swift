/// A training set's provenance in one line, from its samples' sources.
extension TrainingDataset {
    /// One source as it is; a few joined; many (real sets record each sample's origin, such as
    /// "…, collections/__init__.py: Counter.__missing__; docstring removed, …") as what they all
    /// share, the part that differs shown as "…" — so a checkpoint's metadata names the data set
    /// rather than two arbitrary samples of it.
    static func summarisedSources(_ sources: Set<String>) -> String {
        let sorted = sources.sorted()
        guard sorted.count > 2 else { return sorted.joined(separator: "; ") }
        // Cut inside a word back to its boundary, so no half word is left beside the ellipsis.
        let head = wholeWords(String(commonPrefix(sorted.map { Array($0) })), fromEnd: true)
        let tail = wholeWords(String(commonPrefix(sorted.map { Array($0.reversed()) }).reversed()), fromEnd: false)
        guard head.count + tail.count >= 24, head.count + tail.count < sorted.map(\.count).min()! else {
            return sorted.prefix(2).joined(separator: "; ") + "; … (\(sorted.count) sources)"
        }
        return head + "…" + tail
    }

    private static func commonPrefix(_ strings: [[Character]]) -> [Character] {
        guard var prefix = strings.first else { return [] }
        for string in strings.dropFirst() {
            let length = zip(prefix, string).prefix { $0 == $1 }.count
            prefix.removeLast(prefix.count - length)
        }
        return prefix
    }

    /// `text` without a word cut at its end (`fromEnd`) or its start: a piece of a word
    /// (letters, digits, `_`) there is dropped up to the next non-word character.
    private static func wholeWords(_ text: String, fromEnd: Bool) -> String {
        func isWord(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
        if fromEnd {
            guard let last = text.last, isWord(last) else { return text }
            return String(text[..<(text.lastIndex { !isWord($0) }.map { text.index(after: $0) } ?? text.startIndex)])
        }
        guard let first = text.first, isWord(first) else { return text }
        return String(text[(text.firstIndex { !isWord($0) } ?? text.endIndex)...])
    }
}

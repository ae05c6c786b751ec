/// Finds control and user-defined tokens (`<|im_start|>`, `<|endoftext|>` …) written out in text,
/// before BPE sees it, so they become their own ids instead of being spelled with `<`, `|` ….
///
/// As in llama.cpp, the tokens are tried one at a time, longest text first (ties: lower id
/// first); each one splits every piece of text not yet claimed, left to right. User-defined
/// tokens are always matched; control and unknown tokens only when special parsing is on.
struct SpecialTokenSplitter {
    enum Fragment: Equatable {
        /// Bytes of the input still to be pre-tokenized and encoded.
        case text(Range<Int>)
        case token(Int32)
    }

    private struct Entry {
        var id: Int32
        var bytes: [UInt8]
        var needsSpecialParsing: Bool
    }

    private let entries: [Entry]

    init(tokens: [String], types: [TokenType]) {
        var entries: [Entry] = []
        for (index, type) in types.enumerated() where type.isMatchedBeforeBPE {
            let bytes = Array(tokens[index].utf8)
            // An empty text would match everywhere and split nothing.
            guard !bytes.isEmpty else { continue }
            entries.append(Entry(id: Int32(index), bytes: bytes, needsSpecialParsing: type.needsSpecialParsing))
        }
        entries.sort { $0.bytes.count != $1.bytes.count ? $0.bytes.count > $1.bytes.count : $0.id < $1.id }
        self.entries = entries
    }

    func split(_ utf8: [UInt8], parseSpecial: Bool) -> [Fragment] {
        guard !utf8.isEmpty else { return [] }
        var fragments: [Fragment] = [.text(0..<utf8.count)]
        for entry in entries where parseSpecial || !entry.needsSpecialParsing {
            var refined: [Fragment] = []
            refined.reserveCapacity(fragments.count)
            for fragment in fragments {
                guard case .text(let range) = fragment else {
                    refined.append(fragment)
                    continue
                }
                var start = range.lowerBound
                while let match = SpecialTokenSplitter.find(entry.bytes, in: utf8, from: start, to: range.upperBound) {
                    if match > start { refined.append(.text(start..<match)) }
                    refined.append(.token(entry.id))
                    start = match + entry.bytes.count
                }
                if start < range.upperBound { refined.append(.text(start..<range.upperBound)) }
            }
            fragments = refined
        }
        return fragments
    }

    /// The first offset in `start..<end` where `needle` occurs entirely inside that range.
    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int, to end: Int) -> Int? {
        let length = needle.count
        guard end - start >= length else { return nil }
        let first = needle[0]
        var offset = start
        let lastStart = end - length
        while offset <= lastStart {
            if haystack[offset] == first {
                var matched = 1
                while matched < length && haystack[offset + matched] == needle[matched] {
                    matched += 1
                }
                if matched == length { return offset }
            }
            offset += 1
        }
        return nil
    }
}

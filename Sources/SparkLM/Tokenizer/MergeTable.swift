/// The BPE merge rules as a lookup from a pair of adjacent symbols to the rule's rank and the
/// symbol the pair becomes.
///
/// Symbols are token ids. A merge whose parts or result are not vocabulary entries (which a
/// well-formed vocabulary does not have, but which a file may contain) still takes part, under a
/// synthetic id past the end of the vocabulary, so merging behaves exactly as it does on strings.
///
/// Texts are compared as UTF-8 bytes, not as Swift `String`s: `String` equality is canonical
/// equivalence, and two vocabulary entries must never be confused because they normalise alike.
struct MergeTable {
    struct Merge {
        var rank: Int32
        var result: Int32
    }

    /// Keyed by `left << 32 | right` (both as UInt32).
    private var merges: [UInt64: Merge] = [:]
    /// Byte-level text (UTF-8) of each synthetic symbol, indexed by `id - vocabularySize`.
    private var syntheticTexts: [[UInt8]] = []
    /// The symbol of each single byte (what BPE starts from).
    private(set) var byteSymbols: [Int32] = []
    let vocabularySize: Int

    /// - Parameter tokenIdForText: the vocabulary's text (UTF-8) → id map.
    init(merges rules: [String], tokenIdForText: [[UInt8]: Int32], vocabularySize: Int,
         source: String) throws {
        self.vocabularySize = vocabularySize
        var syntheticIdForText: [[UInt8]: Int32] = [:]

        func symbol(for text: [UInt8]) -> Int32 {
            if let id = tokenIdForText[text] { return id }
            if let id = syntheticIdForText[text] { return id }
            let id = Int32(vocabularySize + syntheticTexts.count)
            syntheticTexts.append(text)
            syntheticIdForText[text] = id
            return id
        }

        byteSymbols = (0..<256).map { symbol(for: Array(ByteLevelEncoding.encode([UInt8($0)]).utf8)) }

        let space = UInt8(ascii: " ")
        merges.reserveCapacity(rules.count)
        for (rank, rule) in rules.enumerated() {
            // The separator is the first space after the first byte (byte-level texts never
            // contain a raw space, so well-formed rules have exactly one).
            let bytes = Array(rule.utf8)
            guard bytes.count >= 3, let separator = bytes[1...].firstIndex(of: space),
                  separator + 1 < bytes.count else {
                throw TokenizerError(source: source, field: "\(TokenizerVocabulary.Key.merges)[\(rank)]",
                                     problem: "merge rule \(rule.debugDescription) is not two non-empty parts separated by a space; expected \"left right\"")
            }
            let left = Array(bytes[..<separator])
            let right = Array(bytes[(separator + 1)...])
            let key = MergeTable.key(symbol(for: left), symbol(for: right))
            // A repeated rule keeps its first (lowest) rank, as llama.cpp does.
            if merges[key] == nil {
                merges[key] = Merge(rank: Int32(rank), result: symbol(for: left + right))
            }
        }
    }

    @inline(__always) static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    @inline(__always) func merge(_ left: Int32, _ right: Int32) -> Merge? {
        merges[MergeTable.key(left, right)]
    }

    /// The byte-level text of a synthetic symbol; nil for a vocabulary token.
    func syntheticText(_ symbol: Int32) -> [UInt8]? {
        let index = Int(symbol) - vocabularySize
        return index >= 0 && index < syntheticTexts.count ? syntheticTexts[index] : nil
    }
}

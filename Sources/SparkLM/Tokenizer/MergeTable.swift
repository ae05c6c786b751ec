/// The BPE merge rules as a lookup from a pair of adjacent symbols to the rule's rank and the
/// symbol the pair becomes.
///
/// Symbols are token ids. A merge whose parts or result are not vocabulary entries (which a
/// well-formed vocabulary does not have, but which a file may contain) still takes part, under a
/// synthetic id past the end of the vocabulary, so merging behaves exactly as it does on strings.
struct MergeTable {
    struct Merge {
        var rank: Int32
        var result: Int32
    }

    /// Keyed by `left << 32 | right` (both as UInt32).
    private var merges: [UInt64: Merge] = [:]
    /// The vocabulary's texts, then the synthetic symbols' texts.
    private var symbolTexts: TextIndex
    /// The symbol of each single byte (what BPE starts from).
    private(set) var byteSymbols: [Int32] = []
    let vocabularySize: Int

    /// - Parameter tokenTexts: the vocabulary's texts, numbered by token id.
    init(merges rules: [String], tokenTexts: TextIndex, source: String) throws {
        vocabularySize = tokenTexts.count
        symbolTexts = tokenTexts

        for byte in 0...255 {
            let text = Array(ByteLevelEncoding.encode([UInt8(byte)]).utf8)
            byteSymbols.append(symbolTexts.number(of: text) ?? symbolTexts.append(text))
        }

        let space = UInt8(ascii: " ")
        merges.reserveCapacity(rules.count)
        var joined: [UInt8] = []
        for (rank, rule) in rules.enumerated() {
            // The separator is the first space after the first byte (byte-level texts never
            // contain a raw space, so well-formed rules have exactly one).
            var rule = rule
            let parts = rule.withUTF8 { bytes -> (left: [UInt8], right: [UInt8])? in
                guard bytes.count >= 3, let separator = bytes[1...].firstIndex(of: space),
                      separator + 1 < bytes.count else { return nil }
                return (Array(bytes[..<separator]), Array(bytes[(separator + 1)...]))
            }
            guard let (left, right) = parts else {
                throw TokenizerError(source: source, field: "\(TokenizerVocabulary.Key.merges)[\(rank)]",
                                     problem: "merge rule \(rule.debugDescription) is not two non-empty parts separated by a space; expected \"left right\"")
            }
            let key = MergeTable.key(symbol(for: left), symbol(for: right))
            // A repeated rule keeps its first (lowest) rank, as in llama.cpp.
            guard merges[key] == nil else { continue }
            joined.removeAll(keepingCapacity: true)
            joined.append(contentsOf: left)
            joined.append(contentsOf: right)
            merges[key] = Merge(rank: Int32(rank), result: symbol(for: joined))
        }
    }

    private mutating func symbol(for text: [UInt8]) -> Int32 {
        symbolTexts.number(of: text) ?? symbolTexts.append(text)
    }

    @inline(__always) static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    @inline(__always) func merge(_ left: Int32, _ right: Int32) -> Merge? {
        merges[MergeTable.key(left, right)]
    }

    /// The byte-level text of a synthetic symbol; nil for a vocabulary token.
    func syntheticText(_ symbol: Int32) -> ArraySlice<UInt8>? {
        Int(symbol) >= vocabularySize ? symbolTexts.bytes(of: symbol) : nil
    }
}

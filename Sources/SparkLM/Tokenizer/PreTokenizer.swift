/// Splits text into the words that BPE then encodes one by one (merges never cross a word
/// boundary). Chosen by the GGUF key `tokenizer.ggml.pre`.
///
/// - `gpt2`: GPT-2's pattern `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
/// - `smollm`: first every number code point (`\p{N}`) becomes a segment of its own, so digits are
///   always single tokens; then the GPT-2 pattern runs inside each segment. A space before a
///   digit is therefore a word of its own.
///
/// Written to give llama.cpp's results, including its hand-written GPT-2 matcher's one quirk: a
/// whitespace run followed by nothing (end of text or of a segment) is one word.
public enum PreTokenizer: Sendable, Equatable {
    case gpt2
    case smollm

    /// The `tokenizer.ggml.pre` values understood, for error messages.
    public static let supportedNames = ["gpt-2", "gpt2", "smollm"]

    public init?(name: String) {
        switch name {
        case "gpt-2", "gpt2": self = .gpt2
        case "smollm": self = .smollm
        default: return nil
        }
    }

    /// The words of `scalars` (code point values, with their classes alongside), as the
    /// exclusive end index of each word, in order. Consecutive words tile the whole input.
    func wordEnds(scalars: [UInt32], classes: [CodepointClass]) -> [Int] {
        var ends: [Int] = []
        ends.reserveCapacity(scalars.count / 3 + 1)
        switch self {
        case .gpt2:
            PreTokenizer.splitGPT2(scalars, classes, 0..<scalars.count, into: &ends)
        case .smollm:
            var segmentStart = 0
            for index in 0..<scalars.count where classes[index] == .number {
                if segmentStart < index {
                    PreTokenizer.splitGPT2(scalars, classes, segmentStart..<index, into: &ends)
                }
                ends.append(index + 1)
                segmentStart = index + 1
            }
            if segmentStart < scalars.count {
                PreTokenizer.splitGPT2(scalars, classes, segmentStart..<scalars.count, into: &ends)
            }
        }
        return ends
    }

    /// GPT-2's pattern over one segment, written as a scanner. The alternatives are tried in
    /// the pattern's order; nothing outside `segment` is looked at (llama.cpp applies each
    /// pattern to each segment of the previous split separately).
    private static func splitGPT2(_ scalars: [UInt32], _ classes: [CodepointClass], _ segment: Range<Int>,
                                  into ends: inout [Int]) {
        let end = segment.upperBound
        let apostrophe = UInt32(UInt8(ascii: "'")), space = UInt32(UInt8(ascii: " "))
        var position = segment.lowerBound
        while position < end {
            let scalar = scalars[position]

            // 's 't 'm 'd 're 've 'll — lower case only, as in GPT-2.
            if scalar == apostrophe, position + 1 < end {
                let next = scalars[position + 1]
                if next == ascii("s") || next == ascii("t") || next == ascii("m") || next == ascii("d") {
                    position += 2
                    ends.append(position)
                    continue
                }
                if position + 2 < end {
                    let pair = (next, scalars[position + 2])
                    if pair == (ascii("r"), ascii("e")) || pair == (ascii("v"), ascii("e")) || pair == (ascii("l"), ascii("l")) {
                        position += 3
                        ends.append(position)
                        continue
                    }
                }
            }

            // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`: an optional leading space, then a run
            // of one class. With a space in front, the class is that of the character after it.
            let hasLeadingSpace = scalar == space && position + 1 < end
            let runClass = scalar == space ? (hasLeadingSpace ? classes[position + 1] : nil) : classes[position]
            if let runClass, runClass != .whitespace {
                var cursor = position + (hasLeadingSpace ? 1 : 0)
                while cursor < end && classes[cursor] == runClass {
                    cursor += 1
                }
                position = cursor
                ends.append(position)
                continue
            }

            // `\s+(?!\S)` then `\s+`: a whitespace run followed by a non-space gives up its last
            // character, so that character (a space) can lead the next word.
            var runEnd = position
            while runEnd < end && classes[runEnd] == .whitespace {
                runEnd += 1
            }
            let runLength = runEnd - position
            if runLength > 1 && runEnd < end {
                position = runEnd - 1
            } else {
                position = runEnd
            }
            ends.append(position)
        }
    }

    @inline(__always) private static func ascii(_ character: Unicode.Scalar) -> UInt32 { character.value }
}

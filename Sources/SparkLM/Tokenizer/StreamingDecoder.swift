/// Turns generated tokens into text as they arrive. Byte-level BPE often splits one character
/// (an emoji, a CJK ideograph) over several tokens; the decoder holds back the bytes of an
/// incomplete UTF-8 sequence at the end until the rest arrives, so no U+FFFD appears mid-stream.
public struct StreamingDecoder {
    public let tokenizer: BPETokenizer
    public let renderSpecial: Bool
    private var pending: [UInt8] = []

    init(tokenizer: BPETokenizer, renderSpecial: Bool) {
        self.tokenizer = tokenizer
        self.renderSpecial = renderSpecial
    }

    /// Bytes held back, waiting for the rest of a character.
    public var pendingByteCount: Int { pending.count }

    /// Adds one token and returns the text that is now complete (possibly empty).
    public mutating func append(_ id: Int32) -> String {
        pending.append(contentsOf: tokenizer.pieceBytes(id, renderSpecial: renderSpecial))
        let complete = StreamingDecoder.completePrefixLength(pending)
        let text = String(decoding: pending[..<complete], as: UTF8.self)
        pending.removeFirst(complete)
        return text
    }

    /// Returns whatever is held back (an unfinished character becomes U+FFFD) and empties the
    /// decoder: call at the end of a generation.
    public mutating func finish() -> String {
        let text = String(decoding: pending, as: UTF8.self)
        pending.removeAll()
        return text
    }

    /// How many leading bytes can be decoded now: all of them, unless the buffer ends inside a
    /// multi-byte sequence whose lead byte promises more bytes than have arrived. Anything
    /// malformed is released at once (and decodes to U+FFFD) rather than held forever.
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        var index = bytes.count - 1
        let earliest = max(0, bytes.count - 4)
        while index >= earliest {
            let byte = bytes[index]
            if byte & 0xC0 == 0x80 {  // continuation byte: keep looking for the lead
                index -= 1
                continue
            }
            let expected: Int
            switch byte {
            case 0xC2...0xDF: expected = 2
            case 0xE0...0xEF: expected = 3
            case 0xF0...0xF4: expected = 4
            default: return bytes.count  // ASCII or an invalid lead: nothing to wait for
            }
            return bytes.count - index < expected ? index : bytes.count
        }
        return bytes.count
    }
}

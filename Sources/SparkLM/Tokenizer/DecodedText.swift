/// A stretch of UTF-8 (from a Swift `String`, so well-formed) as code points, each with its
/// class and the byte offset where it starts — what the pre-tokenizer scans and what maps its
/// word boundaries back to bytes.
struct DecodedText {
    var scalars: [UInt32] = []
    var classes: [CodepointClass] = []
    /// Byte offset (into the whole buffer) of each code point, plus one past the last byte.
    var byteOffsets: [Int] = []

    init(_ utf8: [UInt8], _ range: Range<Int>) {
        scalars.reserveCapacity(range.count)
        classes.reserveCapacity(range.count)
        byteOffsets.reserveCapacity(range.count + 1)
        var offset = range.lowerBound
        while offset < range.upperBound {
            let lead = utf8[offset]
            let length: Int
            var value: UInt32
            switch lead {
            case 0..<0x80: length = 1; value = UInt32(lead)
            case 0xC0..<0xE0: length = 2; value = UInt32(lead & 0x1F)
            case 0xE0..<0xF0: length = 3; value = UInt32(lead & 0x0F)
            default: length = 4; value = UInt32(lead & 0x07)
            }
            // Ranges come from whole code points of a String, so a sequence never runs past
            // the end; `min` only guards against a caller breaking that.
            let end = min(offset + length, range.upperBound)
            for index in (offset + 1)..<max(end, offset + 1) {
                value = value << 6 | UInt32(utf8[index] & 0x3F)
            }
            byteOffsets.append(offset)
            scalars.append(value)
            classes.append(Unicode.Scalar(value).map(CodepointClass.init) ?? .other)
            offset = end
        }
        byteOffsets.append(range.upperBound)
    }
}

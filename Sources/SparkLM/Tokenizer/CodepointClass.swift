/// The four classes GPT-2's pre-tokenizer pattern tells apart
/// (`'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`).
/// Letters and numbers are Unicode general categories L* and N*; whitespace is the Unicode
/// White_Space property (which llama.cpp uses for `\s`); everything else, unassigned code points
/// included, is `other`. Categories come from the Swift runtime's Unicode tables, so a code point
/// assigned in a newer Unicode version than llama.cpp's tables may classify differently there.
enum CodepointClass: UInt8 {
    case letter, number, whitespace, other

    init(_ scalar: Unicode.Scalar) {
        let value = scalar.value
        if value < 128 {
            self = CodepointClass.asciiTable[Int(value)]
        } else if CodepointClass.isWhitespace(value) {
            self = .whitespace
        } else {
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
                self = .letter
            case .decimalNumber, .letterNumber, .otherNumber:
                self = .number
            default:
                self = .other
            }
        }
    }

    /// Unicode's White_Space property (stable since Unicode 6.3 except U+180E's removal).
    private static func isWhitespace(_ value: UInt32) -> Bool {
        switch value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    private static let asciiTable: [CodepointClass] = (0..<128).map { value -> CodepointClass in
        switch UInt8(value) {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"): return .letter
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case 0x09...0x0D, 0x20: return .whitespace
        default: return .other
        }
    }
}

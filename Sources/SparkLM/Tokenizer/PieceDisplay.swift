import Foundation

/// Token pieces shown unambiguously on a terminal: `allspark tokenize`, and any view that lists
/// tokens one by one (where a piece is often only part of a character).
public enum PieceDisplay {
    /// The piece's bytes as printable text: complete UTF-8 characters as themselves, except that
    /// `\n \t \r " \\` are backslash-escaped and characters that would print as nothing (see
    /// `isInvisible`) as `\u{HEX}`; bytes that are not a complete character (a token often holds
    /// part of one) as `\xHH`.
    public static func escaped(_ bytes: [UInt8]) -> String {
        var out = ""
        var index = 0
        while index < bytes.count {
            let length = sequenceLength(bytes, at: index)
            guard length > 0 else {
                out += String(format: "\\x%02X", bytes[index])
                index += 1
                continue
            }
            let character = String(decoding: bytes[index..<(index + length)], as: UTF8.self)
            for scalar in character.unicodeScalars {
                switch scalar {
                case "\n": out += "\\n"
                case "\t": out += "\\t"
                case "\r": out += "\\r"
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                default:
                    if isInvisible(scalar, atStart: out.isEmpty) {
                        out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            index += length
        }
        return out
    }

    /// Code points that would print as nothing, or as something else: controls, format
    /// characters (ZWJ), variation selectors, separators other than the space, and a combining
    /// mark with no character of the piece before it to sit on.
    private static func isInvisible(_ scalar: Unicode.Scalar, atStart: Bool) -> Bool {
        let properties = scalar.properties
        switch properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .unassigned, .privateUse:
            return true
        case .spaceSeparator:
            return scalar != " "
        case .nonspacingMark, .enclosingMark, .spacingMark:
            return atStart || properties.isVariationSelector
        default:
            return false
        }
    }

    /// The length of the well-formed UTF-8 sequence starting at `index`, or 0 if there is none.
    static func sequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        let length: Int
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return 0
        }
        guard index + length <= bytes.count else { return 0 }
        let candidate = Array(bytes[index..<(index + length)])
        // Let the standard decoder judge overlong forms and surrogates.
        var iterator = candidate.makeIterator()
        var decoder = UTF8()
        if case .scalarValue = decoder.decode(&iterator), iterator.next() == nil { return length }
        return 0
    }
}

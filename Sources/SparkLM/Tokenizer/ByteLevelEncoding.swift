/// GPT-2's reversible byte↔character map. Byte-level BPE vocabularies store every token as text
/// in which each raw byte is one printable character: bytes that are already printable Latin-1
/// (`!`…`~`, `¡`…`¬`, `®`…`ÿ`) stand for themselves, the other 68 (controls, space, DEL, NBSP,
/// soft hyphen …) are moved, in byte order, to U+0100…U+0143. So a space is `Ġ` (U+0120).
enum ByteLevelEncoding {
    /// The character (as a Unicode scalar value) that stands for each byte.
    static let scalarForByte: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        var nextMoved: UInt32 = 256
        for byte in 0..<256 {
            if isPrintableLatin1(byte) {
                table[byte] = UInt32(byte)
            } else {
                table[byte] = nextMoved
                nextMoved += 1
            }
        }
        return table
    }()

    /// Inverse of `scalarForByte`, indexed by scalar value; -1 where no byte maps there.
    static let byteForScalar: [Int16] = {
        var table = [Int16](repeating: -1, count: 256 + 68)
        for (byte, scalar) in scalarForByte.enumerated() {
            table[Int(scalar)] = Int16(byte)
        }
        return table
    }()

    private static func isPrintableLatin1(_ byte: Int) -> Bool {
        (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
    }

    /// The byte-level text of raw bytes (what a vocabulary entry for them looks like).
    static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            scalars.append(Unicode.Scalar(scalarForByte[Int(byte)])!)
        }
        return String(scalars)
    }

    /// Appends the raw bytes a byte-level token text stands for. A character outside the map
    /// (which a well-formed vocabulary never has) is passed through as its own UTF-8, so nothing
    /// is silently dropped.
    static func decode(_ text: String, into bytes: inout [UInt8]) {
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < UInt32(byteForScalar.count), byteForScalar[Int(value)] >= 0 {
                bytes.append(UInt8(byteForScalar[Int(value)]))
            } else {
                bytes.append(contentsOf: String(scalar).utf8)
            }
        }
    }
}

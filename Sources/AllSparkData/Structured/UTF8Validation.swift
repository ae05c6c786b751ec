/// Strict UTF-8 validation (RFC 3629) that reports where the first bad byte is, which the
/// standard library's decoding does not: it repairs or fails without saying where.
enum UTF8Validation {
    struct Failure: Equatable {
        var offset: Int
        var reason: String
    }

    /// The first invalid sequence in `bytes` (offset of its first byte), or nil when all of it is well-formed UTF-8.
    /// Rejects overlong encodings, UTF-16 surrogates, code points above U+10FFFF and truncated sequences.
    static func firstFailure(in bytes: [UInt8]) -> Failure? {
        bytes.withUnsafeBufferPointer { buffer -> Failure? in
            let count = buffer.count
            var i = 0
            while i < count {
                let lead = buffer[i]
                if lead < 0x80 { i += 1; continue }
                let length: Int
                var lowerBound: UInt8 = 0x80, upperBound: UInt8 = 0xBF  // allowed range of the 2nd byte
                switch lead {
                case 0xC2...0xDF: length = 2
                case 0xE0: length = 3; lowerBound = 0xA0          // E0 80..9F would be overlong
                case 0xE1...0xEC, 0xEE...0xEF: length = 3
                case 0xED: length = 3; upperBound = 0x9F          // ED A0..BF are surrogates
                case 0xF0: length = 4; lowerBound = 0x90          // F0 80..8F would be overlong
                case 0xF1...0xF3: length = 4
                case 0xF4: length = 4; upperBound = 0x8F          // above U+10FFFF otherwise
                case 0x80...0xBF:
                    return Failure(offset: i, reason: "continuation byte 0x\(hex(lead)) without a lead byte")
                default:
                    return Failure(offset: i, reason: "byte 0x\(hex(lead)) never occurs in UTF-8")
                }
                guard i + length <= count else {
                    return Failure(offset: i, reason: "sequence starting with 0x\(hex(lead)) is cut off by the end of the file")
                }
                let second = buffer[i + 1]
                guard second >= lowerBound && second <= upperBound else {
                    return Failure(offset: i, reason: "byte 0x\(hex(second)) cannot follow 0x\(hex(lead)) (overlong, surrogate or out-of-range sequence)")
                }
                for k in 2..<max(2, length) where buffer[i + k] & 0xC0 != 0x80 {
                    return Failure(offset: i, reason: "byte 0x\(hex(buffer[i + k])) after 0x\(hex(lead)) is not a continuation byte")
                }
                i += length
            }
            return nil
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}

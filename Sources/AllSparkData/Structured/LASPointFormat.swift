/// The layout of one LAS point data record format (ASPRS LAS 1.4 R15, section 2.6), as far as the
/// reader needs it. Every format starts with X, Y, Z (int32) and intensity (uint16); formats 0–5
/// pack the return number and number of returns in 3 bits each and keep the class in the low 5
/// bits of byte 15 (the top 3 are the synthetic, key-point and withheld flags); formats 6–10 use
/// 4 bits each and a whole classification byte at 16.
struct LASPointFormat: Equatable {
    let id: Int
    /// Bytes of a record of this format without extra bytes; a file's record length may be
    /// larger (extra bytes, described in a VLR), never smaller.
    let minimumLength: Int
    /// Where red, green, blue (uint16 each) start in the record; nil when the format has no colour.
    let rgbOffset: Int?

    /// Formats 6–10: 4-bit return fields and a full classification byte.
    var isExtended: Bool { id >= 6 }

    /// Formats 0–10 in order: (minimum length, RGB offset). 4 and 5 add a 29-byte wave packet to
    /// 1 and 3; 8 adds near infrared to 7; 9 and 10 add the wave packet to 6 and 8.
    private static let layouts: [(Int, Int?)] = [
        (20, nil), (28, nil), (26, 20), (34, 28), (57, nil), (63, 28),
        (30, nil), (36, 30), (38, 30), (59, nil), (67, 30),
    ]

    static let known = 0..<layouts.count

    /// The format with this id, or nil for an id the specification does not define (11 and up).
    init?(id: Int) {
        guard Self.known.contains(id) else { return nil }
        self.id = id
        (minimumLength, rgbOffset) = Self.layouts[id]
    }
}

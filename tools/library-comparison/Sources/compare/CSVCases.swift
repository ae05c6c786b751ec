/// The inputs of `compare bad-csv`. A case with `expected` is valid CSV that our data can contain:
/// a parser that accepts it must return exactly those fields. The others are malformed; accepting
/// one is not wrong in itself, so the table shows what was made of it.
struct CSVCase {
    let id: String
    let what: String
    let bytes: [UInt8]
    var expected: (header: [String], rows: [[String]])? = nil
}

enum CSVCases {
    static let bigField = String(repeating: "x", count: 1 << 20)

    static let all: [CSVCase] = [
        CSVCase(id: "valid-quoted", what: "control: quoted fields with a comma, a line break and a doubled quote",
                bytes: Array("name,value\n\"a, b\",1\n\"line1\nline2\",2\n\"say \"\"hi\"\"\",3\n".utf8),
                expected: (["name", "value"], [["a, b", "1"], ["line1\nline2", "2"], ["say \"hi\"", "3"]])),
        CSVCase(id: "unterminated-quote", what: "a quoted field never closed",
                bytes: Array("a,b\n\"x,1\n2,3\n".utf8)),
        CSVCase(id: "quote-in-unquoted", what: "a double quote in the middle of an unquoted field",
                bytes: Array("a,b\nx\"y,1\n2,3\n".utf8)),
        CSVCase(id: "text-after-quote", what: "text after a closing quote",
                bytes: Array("a,b\n\"x\"y,1\n2,3\n".utf8)),
        CSVCase(id: "ragged-rows", what: "rows of 3, 2 and 4 fields under a 3-column header",
                bytes: Array("a,b,c\n1,2,3\n4,5\n6,7,8,9\n".utf8)),
        CSVCase(id: "empty", what: "0 bytes", bytes: []),
        CSVCase(id: "header-only", what: "a header line and no rows", bytes: Array("a,b,c\n".utf8)),
        CSVCase(id: "invalid-utf8", what: "bytes FF FE in a field", bytes: Array("a,b\n".utf8) + [0xFF, 0xFE] + Array(",1\n".utf8)),
        CSVCase(id: "nul-byte", what: "a NUL byte in a field", bytes: Array("a,b\n1".utf8) + [0] + Array(",2\n".utf8)),
        CSVCase(id: "crlf", what: "CRLF line ends (valid)", bytes: Array("a,b\r\n1,2\r\n3,4\r\n".utf8),
                expected: (["a", "b"], [["1", "2"], ["3", "4"]])),
        CSVCase(id: "1MB-field", what: "one unquoted field of 1 MiB (valid)",
                bytes: Array("a,b\n\(bigField),1\n".utf8), expected: (["a", "b"], [[bigField, "1"]])),
        CSVCase(id: "bom", what: "UTF-8 byte-order mark before the header (valid; Excel writes it)",
                bytes: [0xEF, 0xBB, 0xBF] + Array("a,b\n1,2\n".utf8), expected: (["a", "b"], [["1", "2"]])),
        CSVCase(id: "blank-line", what: "an empty line between rows and at the end",
                bytes: Array("a,b\n1,2\n\n3,4\n\n".utf8), expected: (["a", "b"], [["1", "2"], ["3", "4"]])),
        CSVCase(id: "no-final-newline", what: "the last row without a line end (valid)",
                bytes: Array("a,b\n1,2\n3,4".utf8), expected: (["a", "b"], [["1", "2"], ["3", "4"]])),
    ]
}

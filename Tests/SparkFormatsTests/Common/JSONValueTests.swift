import Testing
@testable import SparkFormats

@Suite struct JSONValueTests {
    func parse(_ text: String) throws -> JSONValue {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBytes { try JSONValue.parse($0, file: "t.json", field: "header") }
    }

    @Test func parsesEveryKind() throws {
        let value = try parse(#" {"a": [1, -2.5e3, true, false, null], "b": {"c": "x\"\\\/\n\u00e9\ud83d\ude00"}, "d": 18446744073709551615} "#)
        #expect(value["a"] == .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null]))
        #expect(value["b"]?["c"]?.string == "x\"\\/\né😀")
        #expect(value["d"] == .number("18446744073709551615"))   // kept exact as text
        #expect(value["d"]?.int == nil)                            // but it does not fit an Int
        #expect(value["a"]?.elements?.first?.int == 1)
        #expect(value.members?.map(\.key) == ["a", "b", "d"])
    }

    @Test(arguments: [
        ("{\"a\":1,\"a\":2}", "appears twice"),
        ("{\"a\":1,}", "string key"),
        ("[1 2]", "expected ','"),
        ("\"abc", "not closed"),
        ("01", "after the JSON value"),
        ("1.", "fraction needs digits"),
        ("\"\\ud800\"", "unpaired surrogate"),
        ("\"\\x\"", "unknown escape"),
        ("\"a\u{01}\"", "control character"),
        ("tru", "expected 'true'"),
        (String(repeating: "[", count: 100) + String(repeating: "]", count: 100), "nested more than 64"),
    ])
    func refusesInvalidJSON(text: String, fragment: String) {
        expectFormatError(["t.json", "header", fragment]) { _ = try parse(text) }
    }

    @Test func rendersCompactAndPretty() {
        let value = JSONValue.object([("s", .string("a\"\n\u{01}")), ("n", .array([.integer(1), .float(0.5), .float(.infinity)])),
                                      ("o", .object([]))])
        #expect(value.rendered() == #"{"s":"a\"\n\u0001","n":[1,0.5,"inf"],"o":{}}"#)
        #expect(value.rendered(pretty: true) == "{\n  \"s\": \"a\\\"\\n\\u0001\",\n  \"n\": [1, 0.5, \"inf\"],\n  \"o\": {}\n}")
    }
}

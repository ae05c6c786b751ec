import Testing
@testable import SparkFormats

/// Malformed safetensors files, built byte by byte.
@Suite struct SafetensorsMalformedTests {
    /// A file: the 8-byte length of `json`, the JSON text, then `dataBytes` bytes of data.
    func file(_ json: String, dataBytes: Int = 16, declaredLength: UInt64? = nil) -> [UInt8] {
        var b = ByteBuilder()
        b.u64(declaredLength ?? UInt64(json.utf8.count))
        b.ascii(json)
        b.zeros(dataBytes)
        return b.bytes
    }

    func entry(_ name: String = "w", dtype: String = "F32", shape: String = "[2, 2]", offsets: String = "[0, 16]") -> String {
        #""\#(name)": {"dtype": "\#(dtype)", "shape": \#(shape), "data_offsets": \#(offsets)}"#
    }

    func expectRefused(_ bytes: [UInt8], _ fragments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        expectMalformedFile("bad.safetensors", bytes, mentions: fragments, sourceLocation: sourceLocation) {
            _ = try SafetensorsFile(path: $0)
        }
    }

    @Test func sanityTheBuilderMakesAValidFile() throws {
        let directory = try TemporaryDirectory()
        let st = try SafetensorsFile(path: try directory.write("ok.safetensors", file("{\(entry())}")))
        #expect(try st.tensor("w").shape == [2, 2])
    }

    @Test func tooShortForTheLength() { expectRefused([1, 0, 0], ["header length", "truncated"]) }

    @Test func headerLengthPastTheEnd() {
        expectRefused(file("{\(entry())}", declaredLength: 1 << 40), ["header length", "runs past the end of the file"])
    }

    @Test func badJSON() {
        expectRefused(file("{\(entry()),}"), ["header", "invalid JSON at byte", "string key"])
    }

    @Test func headerNotAnObject() { expectRefused(file("[1, 2]"), ["header", "not an object"]) }

    @Test func invalidUTF8() {
        var bytes = file(#"{"\#u{E9}": 1}"#)
        bytes[10] = 0xFF
        expectRefused(bytes, ["header", "UTF-8"])
    }

    @Test func unknownDtype() {
        expectRefused(file("{\(entry(dtype: "F12"))}"), ["tensor 'w' dtype", "dtype 'F12'", "not supported"])
    }

    @Test func missingDtype() {
        expectRefused(file(#"{"w": {"shape": [4], "data_offsets": [0, 16]}}"#), ["tensor 'w' dtype", "missing"])
    }

    @Test func negativeDimension() {
        expectRefused(file("{\(entry(shape: "[2, -2]"))}"), ["tensor 'w' shape[1]", "non-negative"])
    }

    @Test func shapeNotAnArray() {
        expectRefused(file("{\(entry(shape: "4"))}"), ["tensor 'w' shape", "not an array"])
    }

    @Test func shapeThatOverflows() {
        expectRefused(file("{\(entry(shape: "[4294967296, 4294967296]"))}"), ["tensor 'w' shape", "overflows"])
    }

    @Test func beginAfterEnd() {
        expectRefused(file("{\(entry(offsets: "[16, 0]"))}"), ["tensor 'w' data_offsets", "begin 16 is after end 0"])
    }

    @Test func offsetsPastTheData() {
        expectRefused(file("{\(entry(offsets: "[0, 16]"))}", dataBytes: 8), ["tensor 'w' data_offsets", "end 16 is past the end of the data section (8 bytes)"])
    }

    @Test func offsetsNotTwoIntegers() {
        expectRefused(file("{\(entry(offsets: "[0, 8, 16]"))}"), ["tensor 'w' data_offsets", "two non-negative integers"])
        expectRefused(file("{\(entry(offsets: "[0, 16.5]"))}"), ["tensor 'w' data_offsets", "two non-negative integers"])
    }

    @Test func sizeDisagreesWithShape() {
        expectRefused(file("{\(entry(shape: "[3]"))}"), ["tensor 'w' data_offsets", "16 bytes for shape [3] of F32", "3 × 4 = 12 bytes"])
    }

    @Test func overlappingRanges() {
        let json = "{\(entry("a", shape: "[2]", offsets: "[0, 8]")), \(entry("b", shape: "[2]", offsets: "[4, 12]"))}"
        expectRefused(file(json), ["tensor 'b' data_offsets", "overlap tensor 'a'"])
    }

    @Test func duplicateTensorName() {
        let json = "{\(entry("a", shape: "[2]", offsets: "[0, 8]")), \(entry("a", shape: "[2]", offsets: "[8, 16]"))}"
        expectRefused(file(json), ["header", "\"a\" appears twice"])
    }

    @Test func metadataValueNotAString() {
        expectRefused(file(#"{"__metadata__": {"epoch": 3}, \#(entry())}"#), ["__metadata__ 'epoch'", "not a string"])
    }

    @Test func entryNotAnObject() {
        expectRefused(file(#"{"w": [1, 2]}"#), ["tensor 'w'", "not an object"])
    }

    @Test func everyTruncationIsRefused() throws {
        let json = "{\(entry("a", shape: "[2]", offsets: "[0, 8]")), \(entry("b", dtype: "BF16", shape: "[4]", offsets: "[8, 16]"))}"
        try expectEveryTruncationRefused("t.safetensors", file(json)) { _ = try SafetensorsFile(path: $0) }
    }
}

import Testing
@testable import SparkFormats

/// Malformed `.npy` files, built byte by byte. Each must be refused with a FormatError naming
/// the file, the field and the problem.
@Suite struct NPYMalformedTests {
    /// A v1.0 file with the given header text (padded to 64 bytes) and data.
    func npy(header: String, data: [UInt8] = [], major: UInt8 = 1) -> [UInt8] {
        var text = Array(header.utf8)
        while (10 + text.count + 1) % 64 != 0 { text.append(0x20) }
        text.append(0x0A)
        var b = ByteBuilder()
        b.raw([0x93] + Array("NUMPY".utf8))
        b.u8(major); b.u8(0)
        b.u16(UInt16(text.count))
        b.raw(text)
        b.raw(data)
        return b.bytes
    }

    func expectRefused(_ contents: [UInt8], _ fragments: [String], maxElements: Int = NPY.defaultMaxElements,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        expectMalformedFile("bad.npy", contents, mentions: fragments, sourceLocation: sourceLocation) {
            _ = try NPY.read(path: $0, maxElements: maxElements)
        }
    }

    let good = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }"

    @Test func sanityTheBuilderMakesAValidFile() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("ok.npy", npy(header: good, data: [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40]))
        #expect(try NPY.read(path: path).floats() == [1, 2])
    }

    @Test func emptyFile() { expectRefused([], ["magic", "truncated"]) }
    @Test func wrongMagic() { expectRefused(Array("PK\u{3}\u{4}xxxxxxxxxx".utf8), ["magic", "50 4b 03 04"]) }
    @Test func unknownVersion() { expectRefused(npy(header: good, major: 4), ["version", "4.0"]) }

    @Test func headerLengthPastTheEnd() {
        var file = npy(header: good, data: [UInt8](repeating: 0, count: 8))
        file.patchU16(at: 8, 0xFFFF)
        expectRefused(file, ["header (65535 bytes declared)", "truncated"])
    }

    @Test func headerIsNotADict() { expectRefused(npy(header: "['<f4', False, (2,)]"), ["header", "not a dict"]) }
    @Test func missingShape() { expectRefused(npy(header: "{'descr': '<f4', 'fortran_order': False}"), ["'shape'", "missing"]) }
    @Test func unknownKey() {
        expectRefused(npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (), 'extra': 1}"), ["'extra'", "unknown key"])
    }
    @Test func duplicateKey() {
        expectRefused(npy(header: "{'descr': '<f4', 'descr': '<f8', 'fortran_order': False, 'shape': ()}"), ["'descr'", "twice"])
    }
    @Test func unsupportedDtype() {
        // complex128 (c16): complex64 (c8) is read, its double-precision sibling is not.
        expectRefused(npy(header: "{'descr': '<c16', 'fortran_order': False, 'shape': ()}"), ["'descr'", "'<c16'", "not supported"])
    }
    @Test func structuredDtype() {
        expectRefused(npy(header: "{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': ()}"), ["'descr'", "structured"])
    }
    @Test func missingByteOrder() {
        expectRefused(npy(header: "{'descr': '|f4', 'fortran_order': False, 'shape': ()}"), ["'descr'", "byte order"])
    }
    @Test func fortranOrderNotBool() {
        expectRefused(npy(header: "{'descr': '<f4', 'fortran_order': 0, 'shape': ()}"), ["'fortran_order'", "True or False"])
    }
    @Test func negativeDimension() {
        expectRefused(npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2, -1)}"), ["'shape' dimension 1", "non-negative"])
    }
    @Test func shapeThatOverflows() {
        expectRefused(npy(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296)}"),
                      ["'shape'", "overflows"])
    }
    @Test func integerTooLargeForSixtyFourBits() {
        expectRefused(npy(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,)}"),
                      ["header", "64 bits"])
    }
    @Test func moreElementsThanTheLimit() {
        expectRefused(npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1000, 1000)}"),
                      ["'shape'", "1000000 elements", "limit of 1000"], maxElements: 1000)
    }
    @Test func truncatedData() {
        expectRefused(npy(header: good, data: [0, 0, 0x80]), ["data", "only 3 bytes", "8 bytes for 2 elements"])
    }
    @Test func trailingBytes() {
        expectRefused(npy(header: good, data: [UInt8](repeating: 0, count: 9)), ["data", "1 bytes follow the data"])
    }
    @Test func unclosedString() {
        expectRefused(npy(header: "{'descr': '<f4, 'fortran_order': False, 'shape': ()}"), ["header", "character"])
    }
    @Test func nestedTooDeep() {
        expectRefused(npy(header: String(repeating: "(", count: 40) + String(repeating: ")", count: 40)), ["header", "nested"])
    }

    @Test func everyTruncationIsRefused() throws {
        try expectEveryTruncationRefused("t.npy", npy(header: good, data: [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40])) {
            _ = try NPY.read(path: $0)
        }
    }
}

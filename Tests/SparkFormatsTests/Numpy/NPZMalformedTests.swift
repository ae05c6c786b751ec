import Testing
@testable import SparkFormats

/// Malformed `.npz` archives: a valid one from the writer, with header fields patched by hand.
@Suite struct NPZMalformedTests {
    static let array = NumpyArray(shape: [2], floats: [1, 2])

    /// One stored member "a.npy". Returns the bytes and the offsets of its parts.
    func archive(compressed: Bool = false, names: [String] = ["a"]) throws -> (bytes: [UInt8], centralDirectory: Int, end: Int) {
        let bytes = try NPZ.encode(names.map { ($0, NPZMalformedTests.array) }, compressed: compressed)
        let end = bytes.count - 22
        return (bytes, Int(bytes.u32(at: end + 16)), end)
    }

    func expectRefused(_ contents: [UInt8], _ fragments: [String], maxElements: Int = NPY.defaultMaxElements,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        expectMalformedFile("bad.npz", contents, mentions: fragments, sourceLocation: sourceLocation) {
            _ = try NPZ.read(path: $0, maxElements: maxElements)
        }
    }

    @Test func sanityTheArchiveIsValid() throws {
        let (bytes, directory, end) = try archive()
        #expect(bytes.u32(at: 0) == 0x0403_4B50 && bytes.u32(at: directory) == 0x0201_4B50 && bytes.u32(at: end) == 0x0605_4B50)
        let tmp = try TemporaryDirectory()
        #expect(try NPZ.read(path: try tmp.write("ok.npz", bytes))["a"] == NPZMalformedTests.array)
    }

    @Test func tooSmall() { expectRefused([0x50, 0x4B, 0x05, 0x06], ["end of central directory", "only 4 bytes"]) }
    @Test func notAZip() { expectRefused([UInt8](repeating: 0x41, count: 100), ["end of central directory", "no end-of-central-directory"]) }

    @Test func zip64() throws {
        var (bytes, _, end) = try archive()
        bytes.patchU16(at: end + 10, 0xFFFF)
        expectRefused(bytes, ["end of central directory", "ZIP64", "not supported"])
    }

    @Test func multiDisk() throws {
        var (bytes, _, end) = try archive()
        bytes.patchU16(at: end + 4, 1)
        expectRefused(bytes, ["end of central directory", "multi-disk"])
    }

    @Test func centralDirectoryPastTheEnd() throws {
        var (bytes, _, end) = try archive()
        bytes.patchU32(at: end + 16, UInt32(end))
        expectRefused(bytes, ["central directory offset/size", "runs past the end record"])
    }

    @Test func centralEntrySignature() throws {
        var (bytes, directory, _) = try archive()
        bytes.patchU32(at: directory, 0x1234_5678)
        expectRefused(bytes, ["central directory entry 0: signature", "0x12345678", "50 4b 01 02"])
    }

    @Test func localHeaderOffsetPastTheDirectory() throws {
        var (bytes, directory, _) = try archive()
        bytes.patchU32(at: directory + 42, UInt32(directory))
        expectRefused(bytes, ["member 'a.npy' local header offset", "before the central directory"])
    }

    @Test func localHeaderSignature() throws {
        var (bytes, _, _) = try archive()
        bytes.patchU32(at: 0, 0)
        expectRefused(bytes, ["member 'a.npy' local header signature", "50 4b 03 04"])
    }

    @Test func compressedSizeRunsIntoTheDirectory() throws {
        var (bytes, directory, _) = try archive()
        bytes.patchU32(at: directory + 20, 100_000)
        expectRefused(bytes, ["member 'a.npy' compressed size", "run into the central directory"])
    }

    @Test func crcMismatch() throws {
        var (bytes, _, _) = try archive()
        bytes[35 + 130] ^= 0x01   // a data byte of the stored .npy
        expectRefused(bytes, ["member 'a.npy' CRC-32", "corrupt"])
    }

    @Test func unsupportedMethod() throws {
        var (bytes, directory, _) = try archive()
        bytes.patchU16(at: directory + 10, 12)     // bzip2
        expectRefused(bytes, ["member 'a.npy' compression method", "method 12", "8 (deflated)"])
    }

    @Test func encrypted() throws {
        var (bytes, directory, _) = try archive()
        bytes.patchU16(at: directory + 8, 1)
        expectRefused(bytes, ["member 'a.npy'", "encryption"])
    }

    @Test func nameDiffersFromLocalHeader() throws {
        var (bytes, _, _) = try archive()
        bytes[30] = UInt8(ascii: "b")
        expectRefused(bytes, ["member 'a.npy' local header", "differs from the central directory"])
    }

    @Test func duplicateNames() throws {
        var (bytes, directory, _) = try archive(names: ["a", "b"])
        // Rename the second member "b.npy" to "a.npy" in both its central and its local header.
        let second = directory + 46 + 5
        bytes[second + 46] = UInt8(ascii: "a")
        bytes[Int(bytes.u32(at: second + 42)) + 30] = UInt8(ascii: "a")
        expectRefused(bytes, ["member 'a.npy'", "appears twice"])
    }

    @Test func overlappingMembers() throws {
        var (bytes, directory, _) = try archive(names: ["a", "b"])
        // The first member claims 10 more bytes, reaching into the second member's local header.
        let size = bytes.u32(at: directory + 20)
        bytes.patchU32(at: directory + 20, size + 10)
        expectRefused(bytes, ["member 'b.npy' local header offset", "inside member 'a.npy'"])
    }

    @Test func storedSizesDisagree() throws {
        var (bytes, directory, _) = try archive()
        let size = bytes.u32(at: directory + 24)
        bytes.patchU32(at: directory + 24, size - 1)
        expectRefused(bytes, ["member 'a.npy' sizes", "stored member"])
    }

    @Test func corruptDeflateStream() throws {
        var (bytes, _, _) = try archive(compressed: true)
        for i in 35..<45 { bytes[i] = 0xFF }
        expectRefused(bytes, ["member 'a.npy' data", "deflate"])
    }

    @Test func deflatedSizeLies() throws {
        var (bytes, directory, _) = try archive(compressed: true)
        let size = bytes.u32(at: directory + 24)
        bytes.patchU32(at: directory + 24, size + 10)
        expectRefused(bytes, ["member 'a.npy' data", "inflates to 136 bytes", "146 bytes"])
        var (smaller, dir2, _) = try archive(compressed: true)
        smaller.patchU32(at: dir2 + 24, size - 10)
        expectRefused(smaller, ["member 'a.npy' data", "more than the declared"])
    }

    @Test func impossibleCompressionRatio() throws {
        var (bytes, directory, _) = try archive(compressed: true)
        bytes.patchU32(at: directory + 24, 4_000_000_000)
        expectRefused(bytes, ["member 'a.npy' uncompressed size"])
    }

    @Test func arrayOverTheLimit() throws {
        let (bytes, _, _) = try archive()
        expectRefused(bytes, ["member 'a.npy'", "'shape'", "limit of 1"], maxElements: 1)
    }

    @Test func malformedMemberNamesArchiveAndMember() throws {
        // A valid zip whose member is not a .npy file inside.
        var writer = ZipWriter(file: "x")
        try writer.add(name: "a.npy", contents: Array("not numpy".utf8), compressed: false)
        expectRefused(try writer.finished(), ["member 'a.npy'", "magic"])
    }

    @Test func everyTruncationIsRefused() throws {
        try expectEveryTruncationRefused("t.npz", try archive().bytes) { _ = try NPZ.read(path: $0) }
        try expectEveryTruncationRefused("c.npz", try archive(compressed: true).bytes) { _ = try NPZ.read(path: $0) }
    }
}

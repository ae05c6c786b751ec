import Testing
@testable import SparkFormats

/// Malformed GGUF files, built byte by byte. Each must be refused with a FormatError naming the
/// file, the field and the problem — never a crash, a hang or a huge allocation.
@Suite struct GGUFMalformedTests {
    func expectRefused(_ builder: GGUFTestBuilder, _ fragments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        expectRefused(builder.build(), fragments, sourceLocation: sourceLocation)
    }

    func expectRefused(_ bytes: [UInt8], _ fragments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        expectMalformedFile("bad.gguf", bytes, mentions: fragments, sourceLocation: sourceLocation) { _ = try GGUFFile(path: $0) }
    }

    /// A small valid file: two metadata entries and two tensors.
    func valid() -> GGUFTestBuilder {
        var g = GGUFTestBuilder()
        g.string("general.architecture", "llama")
        g.stringArray("tokenizer.ggml.tokens", ["a", "b", "c"])
        var f32 = ByteBuilder()
        for v: Float in [1, 2, 3, 4] { f32.f32(v) }
        g.tensor("norm", type: .f32, dimensions: [4], data: f32.bytes)
        var q8 = ByteBuilder()
        q8.u16(0x3C00)
        for k in 0..<32 { q8.i8(Int8(k)) }
        g.tensor("q", type: .q8_0, dimensions: [32, 1], data: q8.bytes)
        return g
    }

    @Test func sanityTheValidFileOpens() throws {
        let directory = try TemporaryDirectory()
        let file = try GGUFFile(path: try directory.write("ok.gguf", valid().build()))
        #expect(file.tensors.count == 2)
        #expect(try file.dequantize(file.tensor("q")!).scalars == (0..<32).map(Float.init))
    }

    @Test func emptyFile() { expectRefused([], ["magic", "truncated"]) }

    @Test func wrongMagic() {
        var bytes = valid().build()
        bytes[3] = UInt8(ascii: "X")
        expectRefused(bytes, ["magic", "47 47 55 58", "\"GGUF\""])
    }

    @Test func version1() {
        var g = valid(); g.version = 1
        expectRefused(g, ["version", "GGUF version 1", "not supported", "2 and 3"])
    }

    @Test func byteSwappedVersion() {
        var g = valid(); g.version = 0x0300_0000
        expectRefused(g, ["version", "byte-swapped"])
    }

    @Test func lyingTensorCount() {
        var g = valid(); g.tensorCountOverride = 1 << 40
        expectRefused(g, ["tensor count", "cannot fit"])
    }

    @Test func lyingMetadataCount() {
        var g = valid(); g.metadataCountOverride = .max
        expectRefused(g, ["metadata count", "cannot fit"])
    }

    @Test func lyingStringLength() {
        var g = GGUFTestBuilder()
        g.add("general.name", type: 8) { b in b.u64(1 << 50); b.ascii("short") }
        expectRefused(g, ["metadata 'general.name' (string length)", "runs past the end"])
    }

    @Test func lyingKeyLength() {
        var bytes = valid().build()
        bytes.patchU64(at: 24, UInt64.max)   // the first key's length
        expectRefused(bytes, ["metadata entry 0 key (string length)", "past the end"])
    }

    @Test func lyingArrayLength() {
        var g = GGUFTestBuilder()
        g.add("tokens", type: 9) { b in b.u32(8); b.u64(1 << 40); GGUFTestBuilder.string("a", into: &b) }
        expectRefused(g, ["metadata 'tokens' (array length)", "cannot fit"])
    }

    @Test func unknownValueType() {
        var g = GGUFTestBuilder()
        g.add("x", type: 13) { $0.u32(0) }
        expectRefused(g, ["metadata 'x' type", "unknown value type id 13"])
    }

    @Test func badBool() {
        var g = GGUFTestBuilder()
        g.add("flag", type: 7) { $0.u8(2) }
        expectRefused(g, ["metadata 'flag'", "boolean byte is 2"])
    }

    @Test func invalidUTF8() {
        var g = GGUFTestBuilder()
        g.add("name", type: 8) { b in b.u64(2); b.raw([0xC3, 0x28]) }
        expectRefused(g, ["metadata 'name'", "UTF-8"])
    }

    @Test func duplicateKey() {
        var g = valid()
        g.string("general.architecture", "again")
        expectRefused(g, ["metadata key 'general.architecture'", "twice"])
    }

    @Test func arraysNestedTooDeep() {
        var g = GGUFTestBuilder()
        g.add("deep", type: 9) { b in
            for _ in 0..<9 { b.u32(9); b.u64(1) }
            b.u32(4); b.u64(0)
        }
        expectRefused(g, ["metadata 'deep'", "nested more than 8"])
    }

    @Test func alignmentNotAPowerOfTwo() {
        var g = valid(); g.u32("general.alignment", 48)
        expectRefused(g, ["general.alignment", "48 is not a power of two"])
        var zero = valid(); zero.u32("general.alignment", 0)
        expectRefused(zero, ["general.alignment", "0 is not a power of two"])
        var wrongType = valid(); wrongType.add("general.alignment", type: 10) { $0.u64(32) }
        expectRefused(wrongType, ["general.alignment", "not a UINT32"])
    }

    @Test func duplicateTensorName() {
        var g = valid()
        g.tensor("norm", type: .f32, dimensions: [1], data: [0, 0, 0, 0])
        expectRefused(g, ["tensor 2 name", "'norm' appears twice"])
    }

    @Test func unknownTensorType() {
        var g = valid(); g.tensors[0].type = 99
        expectRefused(g, ["tensor 0 'norm' type", "unknown ggml type id 99"])
        var removed = valid(); removed.tensors[0].type = 4   // Q4_2, removed from ggml
        expectRefused(removed, ["tensor 0 'norm' type", "unknown ggml type id 4"])
    }

    @Test func absurdDimensionCount() {
        var g = valid(); g.tensors[0].dimensions = [1, 1, 1, 1, 4]
        expectRefused(g, ["tensor 0 'norm' dimension count", "5 dimensions", "at most 4"])
    }

    @Test func dimensionsThatOverflow() {
        var g = valid(); g.tensors[0].dimensions = [1 << 40, 1 << 40]
        expectRefused(g, ["tensor 0 'norm' dimensions", "overflows"])
        var negative = valid(); negative.tensors[0].dimensions = [UInt64(1) << 63]
        expectRefused(negative, ["tensor 0 'norm' dimension 0", "negative"])
    }

    @Test func rowNotAWholeNumberOfBlocks() {
        var g = valid(); g.tensors[1].dimensions = [33, 1]
        expectRefused(g, ["tensor 1 'q' dimension 0", "33 elements per row", "multiple of 32"])
    }

    @Test func misalignedOffset() {
        var g = valid(); g.tensors[1].offset = 20
        expectRefused(g, ["tensor 1 'q' offset", "20 is not a multiple of the alignment", "32"])
    }

    @Test func tensorPastTheEnd() {
        var g = valid(); g.tensors[1].offset = 1 << 20
        expectRefused(g, ["tensor 'q' offset", "past the end of the file"])
        var huge = valid(); huge.tensors[0].dimensions = [1 << 60]
        expectRefused(huge, ["tensor 'norm' offset", "4611686018427387904 bytes", "past the end of the file"])
        var overflowing = valid(); overflowing.tensors[0].dimensions = [1 << 62]   // 2^62 × 4 bytes
        expectRefused(overflowing, ["tensor 0 'norm' size in bytes", "overflows"])
    }

    @Test func overlappingTensors() {
        // "norm" claims 64 bytes from offset 0, running over "q" at offset 32.
        var g = valid(); g.tensors[0].dimensions = [16]; g.tensors[0].offset = 0; g.tensors[1].offset = 32
        expectRefused(g, ["tensor 'q' offset", "overlaps tensor 'norm'"])
    }

    @Test func everyTruncationIsRefused() throws {
        try expectEveryTruncationRefused("t.gguf", valid().build()) { _ = try GGUFFile(path: $0) }
    }

    /// Random byte changes to a valid file: whatever happens, it is a FormatError or a file that
    /// opens and dequantises; never a crash.
    @Test func mutatedFilesNeverCrash() throws {
        let original = valid().build()
        var random = SplitMix64(state: 20261130)
        let directory = try TemporaryDirectory()
        var refused = 0
        for round in 0..<300 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                bytes[index] = random.next() % 3 == 0 ? 0xFF : UInt8.random(in: 0...255, using: &random)
            }
            let path = try directory.write("m\(round).gguf", bytes)
            do {
                let file = try GGUFFile(path: path)
                for info in file.tensors where info.type.isSupportedForDequantisation { _ = try file.dequantize(info) }
            } catch is FormatError {
                refused += 1
            }
        }
        #expect(refused > 0)
    }
}

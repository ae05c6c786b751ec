import Testing
@testable import SparkFormats

/// Headers that claim 2⁶² of something (issue: hardening, "limits"; the limits are listed in
/// docs/LIMITS.md). Each reader must refuse them with a FormatError that names the file, the field
/// and the problem, from the header alone: no trap on the size arithmetic, no allocation sized
/// from the claim.
@Suite struct ClaimedSizeTests {
    static let huge: UInt64 = 1 << 62
    static let hugeText = "4611686018427387904"

    // MARK: GGUF

    func expectGGUFRefused(_ bytes: [UInt8], _ fragments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        expectMalformedFile("claims.gguf", bytes, mentions: fragments, sourceLocation: sourceLocation) { _ = try GGUFFile(path: $0) }
    }

    /// One F32 tensor of four values and one metadata string.
    func gguf() -> GGUFTestBuilder {
        var g = GGUFTestBuilder()
        g.string("general.architecture", "llama")
        var data = ByteBuilder()
        for v: Float in [1, 2, 3, 4] { data.f32(v) }
        g.tensor("norm", type: .f32, dimensions: [4], data: data.bytes)
        return g
    }

    @Test func ggufCounts() {
        var tensors = gguf(); tensors.tensorCountOverride = Self.huge
        expectGGUFRefused(tensors.build(), ["tensor count", Self.hugeText, "cannot fit"])
        var metadata = gguf(); metadata.metadataCountOverride = Self.huge
        expectGGUFRefused(metadata.build(), ["metadata count", Self.hugeText, "cannot fit"])
    }

    @Test func ggufStringAndArrayLengths() {
        var key = gguf().build()
        key.patchU64(at: 24, Self.huge)   // the first metadata key's length
        expectGGUFRefused(key, ["metadata entry 0 key (string length)", Self.hugeText, "runs past the end"])
        var value = GGUFTestBuilder()
        value.add("general.name", type: 8) { b in b.u64(Self.huge); b.ascii("x") }
        expectGGUFRefused(value.build(), ["metadata 'general.name' (string length)", Self.hugeText, "runs past the end"])
        var array = GGUFTestBuilder()
        array.add("tokenizer.ggml.tokens", type: 9) { b in b.u32(8); b.u64(Self.huge); GGUFTestBuilder.string("a", into: &b) }
        expectGGUFRefused(array.build(), ["metadata 'tokenizer.ggml.tokens' (array length)", Self.hugeText, "cannot fit"])
    }

    @Test func ggufDimensions() {
        // 2^62 elements of one byte each: the size fits, the file does not hold it.
        var bytes = gguf(); bytes.tensors[0].type = GGMLType.i8.rawValue; bytes.tensors[0].dimensions = [Self.huge]
        expectGGUFRefused(bytes.build(), ["tensor 'norm' offset", Self.hugeText + " bytes", "past the end of the file"])
        // 2^31 × 2^31 float32: 2^64 bytes overflow.
        var product = gguf(); product.tensors[0].dimensions = [1 << 31, 1 << 31]
        expectGGUFRefused(product.build(), ["tensor 0 'norm' size in bytes", "overflows"])
        // A zero dimension makes the element count 0, but the others multiplied in numpy order
        // (how `rowMajorShape` hands them on) would overflow: refused too.
        var zero = gguf(); zero.tensors[0].dimensions = [0, Self.huge, Self.huge]
        expectGGUFRefused(zero.build(), ["tensor 0 'norm' dimensions", "overflows"])
    }

    // MARK: safetensors

    func safetensors(_ json: String, declaredLength: UInt64? = nil, dataBytes: Int = 16) -> [UInt8] {
        var b = ByteBuilder()
        b.u64(declaredLength ?? UInt64(json.utf8.count))
        b.ascii(json)
        b.zeros(dataBytes)
        return b.bytes
    }

    func expectSafetensorsRefused(_ bytes: [UInt8], _ fragments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        expectMalformedFile("claims.safetensors", bytes, mentions: fragments, sourceLocation: sourceLocation) {
            _ = try SafetensorsFile(path: $0)
        }
    }

    @Test func safetensorsHeaderLength() {
        expectSafetensorsRefused(safetensors("{}", declaredLength: Self.huge), ["header length", Self.hugeText, "runs past the end"])
    }

    @Test func safetensorsShapes() {
        func entry(_ shape: String, _ offsets: String = "[0, 16]") -> String {
            #"{"w": {"dtype": "F32", "shape": \#(shape), "data_offsets": \#(offsets)}}"#
        }
        expectSafetensorsRefused(safetensors(entry("[\(Self.hugeText)]")), ["tensor 'w' shape", "overflows"])
        expectSafetensorsRefused(safetensors(entry("[2147483648, 2147483648]")), ["tensor 'w' shape", "overflows"])
        expectSafetensorsRefused(safetensors(entry("[0, \(Self.hugeText), \(Self.hugeText)]", "[0, 0]")), ["tensor 'w' shape", "overflows"])
        expectSafetensorsRefused(safetensors(entry("[4]", "[0, \(Self.hugeText)]")),
                                 ["tensor 'w' data_offsets", "end \(Self.hugeText)", "past the end of the data section"])
    }

    @Test func safetensorsHeaderNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        expectSafetensorsRefused(safetensors(#"{"__metadata__": \#(deep)}"#), ["header", "nested more than 64 deep"])
    }

    // MARK: NPY and NPZ

    func npy(shape: String, descr: String = "<f4") -> [UInt8] {
        var text = Array("{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }".utf8)
        while (10 + text.count + 1) % 64 != 0 { text.append(0x20) }
        text.append(0x0A)
        var b = ByteBuilder()
        b.raw([0x93] + Array("NUMPY".utf8))
        b.u8(1); b.u8(0)
        b.u16(UInt16(text.count))
        b.raw(text)
        return b.bytes
    }

    @Test func npyShapes() {
        func expectRefused(_ bytes: [UInt8], _ fragments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
            expectMalformedFile("claims.npy", bytes, mentions: fragments, sourceLocation: sourceLocation) { _ = try NPY.read(path: $0) }
        }
        expectRefused(npy(shape: "(\(Self.hugeText),)"),
                      ["header 'shape'", "\(Self.hugeText) elements", "limit of \(NPY.defaultMaxElements)"])
        expectRefused(npy(shape: "(2147483648, 2147483648)", descr: "|u1"), ["header 'shape'", "limit of"])
        expectRefused(npy(shape: "(\(Self.hugeText), \(Self.hugeText))"), ["header 'shape'", "overflows"])
        expectRefused(npy(shape: "(0, \(Self.hugeText), \(Self.hugeText))"), ["header 'shape'", "overflows"])
        // Version 2.0's header length is 32 bits: 2^32 − 1 runs past the end of any small file.
        var v2 = ByteBuilder()
        v2.raw([0x93] + Array("NUMPY".utf8)); v2.u8(2); v2.u8(0); v2.u32(.max); v2.ascii("{}")
        expectRefused(v2.bytes, ["header (4294967295 bytes declared)", "truncated"])
    }

    @Test func npzMembers() throws {
        func expectRefused(_ bytes: [UInt8], _ fragments: [String], maxElements: Int = NPY.defaultMaxElements,
                           sourceLocation: SourceLocation = #_sourceLocation) {
            expectMalformedFile("claims.npz", bytes, mentions: fragments, sourceLocation: sourceLocation) {
                _ = try NPZ.read(path: $0, maxElements: maxElements)
            }
        }
        // A stored member whose .npy header claims 2^62 elements.
        var writer = ZipWriter(file: "claims.npz")
        try writer.add(name: "a.npy", contents: npy(shape: "(\(Self.hugeText),)"), compressed: false)
        expectRefused(try writer.finished(), ["member 'a.npy'", "header 'shape'", "limit of"])

        // A deflated member that declares 2^32 − 2 uncompressed bytes: over the member limit, and
        // (with no element limit at all) more than deflate can produce from its few bytes.
        let archive = try NPZ.encode([("a", NumpyArray(shape: [2], floats: [1, 2]))], compressed: true)
        var lying = archive
        let directory = Int(lying.u32(at: lying.count - 22 + 16))
        lying.patchU32(at: directory + 24, 0xFFFF_FFFE)
        expectRefused(lying, ["member 'a.npy' uncompressed size", "4294967294 bytes", "more than the limit"])
        expectRefused(lying, ["member 'a.npy' uncompressed size", "4294967294 bytes cannot come from"], maxElements: .max)
    }
}

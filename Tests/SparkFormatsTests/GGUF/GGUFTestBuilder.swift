@testable import SparkFormats

/// Builds GGUF files byte by byte for tests: the header fields are written exactly as given, so a
/// test can make any of them lie.
struct GGUFTestBuilder {
    struct Tensor {
        var name: String
        var type: UInt32
        var dimensions: [UInt64]
        /// Offset relative to the data section; nil places tensors one after another, aligned.
        var offset: UInt64?
        var data: [UInt8]
    }

    var version: UInt32 = 3
    var metadata: [(key: String, write: (inout ByteBuilder) -> Void)] = []
    var tensors: [Tensor] = []
    var alignment = 32
    /// Override the counts written in the header (to make them lie).
    var tensorCountOverride: UInt64?
    var metadataCountOverride: UInt64?

    static func string(_ text: String, into b: inout ByteBuilder) {
        b.u64(UInt64(text.utf8.count))
        b.ascii(text)
    }

    mutating func add(_ key: String, type: UInt32, _ write: @escaping (inout ByteBuilder) -> Void) {
        metadata.append((key, { b in GGUFTestBuilder.string(key, into: &b); b.u32(type); write(&b) }))
    }
    mutating func u32(_ key: String, _ v: UInt32) { add(key, type: 4) { $0.u32(v) } }
    mutating func string(_ key: String, _ v: String) { add(key, type: 8) { GGUFTestBuilder.string(v, into: &$0) } }
    mutating func stringArray(_ key: String, _ values: [String]) {
        add(key, type: 9) { b in
            b.u32(8); b.u64(UInt64(values.count))
            for v in values { GGUFTestBuilder.string(v, into: &b) }
        }
    }

    mutating func tensor(_ name: String, type: GGMLType, dimensions: [UInt64], data: [UInt8], offset: UInt64? = nil) {
        tensors.append(Tensor(name: name, type: type.rawValue, dimensions: dimensions, offset: offset, data: data))
    }

    /// The file's bytes.
    func build() -> [UInt8] {
        var b = ByteBuilder()
        b.ascii("GGUF")
        b.u32(version)
        b.u64(tensorCountOverride ?? UInt64(tensors.count))
        b.u64(metadataCountOverride ?? UInt64(metadata.count))
        for entry in metadata { entry.write(&b) }
        // Offsets: as given, or packed in order with each tensor aligned.
        var offsets: [UInt64] = []
        var next: UInt64 = 0
        for t in tensors {
            let offset = t.offset ?? next
            offsets.append(offset)
            let end = Int(offset) + t.data.count
            next = UInt64((end + alignment - 1) / alignment * alignment)
        }
        for (t, offset) in zip(tensors, offsets) {
            GGUFTestBuilder.string(t.name, into: &b)
            b.u32(UInt32(t.dimensions.count))
            for d in t.dimensions { b.u64(d) }
            b.u32(t.type)
            b.u64(offset)
        }
        b.align(alignment)
        let dataStart = b.bytes.count
        for (t, offset) in zip(tensors, offsets) {
            let start = dataStart + Int(offset)
            // Far-away offsets are left pointing past the end of the file.
            if b.bytes.count < start && start - b.bytes.count <= 4096 { b.zeros(start - b.bytes.count) }
            if b.bytes.count == start { b.raw(t.data) }
        }
        return b.bytes
    }
}

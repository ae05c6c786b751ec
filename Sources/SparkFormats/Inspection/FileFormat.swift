#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file formats this package reads, told apart by their first bytes (never by extension).
public enum FileFormat: String, Sendable, CaseIterable {
    case gguf = "GGUF"
    case safetensors = "safetensors"
    case npy = "NPY"
    case npz = "NPZ"
    case onnx = "ONNX"

    /// Reads the first bytes of `path` and names its format.
    public static func detect(path: String) throws -> FileFormat {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 { throw FormatError.io(file: path, operation: "open for reading", reason: systemErrorText()) }
        defer { close(descriptor) }
        var prefix = [UInt8](repeating: 0, count: 16)
        let count = prefix.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, 16) }
        if count < 0 { throw FormatError.io(file: path, operation: "read", reason: systemErrorText()) }
        return try detect(prefix: Array(prefix[..<count]), file: path)
    }

    /// Names the format of a file that starts with `prefix` (its first 16 bytes, or all of it).
    public static func detect(prefix: [UInt8], file: String) throws -> FileFormat {
        if prefix.starts(with: Array("GGUF".utf8)) { return .gguf }
        if prefix.starts(with: NPYHeader.magic) { return .npy }
        // A zip starts with a local header, or with the end record if it is empty.
        if prefix.starts(with: [0x50, 0x4B, 0x03, 0x04]) || prefix.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return .npz }
        // safetensors: a little-endian length, then the JSON header's opening brace.
        if prefix.count >= 9 && prefix[8] == UInt8(ascii: "{") && prefix[6] == 0 && prefix[7] == 0 { return .safetensors }
        // ONNX has no magic: a ModelProto starts with its ir_version (field 1, varint: 0x08 and a
        // small version), then another of its fields (a varint or length-delimited key).
        if prefix.count >= 3 && prefix[0] == 0x08 && (1...20).contains(prefix[1]) && [0, 2].contains(prefix[2] & 7) && prefix[2] >> 3 >= 2 {
            return .onnx
        }
        throw FormatError.unsupported(file: file, field: "magic",
                                      feature: "a file starting with \(NPY.hex(Array(prefix.prefix(8))))",
                                      supported: "GGUF, safetensors, NPY, NPZ and ONNX files")
    }
}

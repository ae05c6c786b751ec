#if ALLSPARK_FUZZ
@testable import SparkFormats

extension FuzzTarget {
    /// SparkFormats' own JSON parser (safetensors headers, checkpoint metadata).
    static let json = FuzzTarget(name: "json", maxLength: 4096) { bytes in
        _ = try bytes.withUnsafeBytes { try JSONValue.parse($0, file: "fuzz.json", field: "document") }
    }
}
#endif

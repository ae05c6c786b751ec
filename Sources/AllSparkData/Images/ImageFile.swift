import Foundation

/// Reads PNG or JPEG files, choosing the decoder by the file's first bytes (not its extension), so
/// a JPEG saved as `.png` still reads and a text file named `.png` gets a clear error.
public enum ImageFile {
    public static let extensions = ["png", "jpg", "jpeg"]

    public static func isImageName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return extensions.contains { lower.hasSuffix("." + $0) }
    }

    public static func read(path: String, limits: LoadLimits) throws -> RasterImage {
        let bytes = try BoundedFile.bytes(at: path, what: "a PNG or JPEG image", limits: limits)
        if bytes.starts(with: PNGCodec.signature) { return try PNGCodec.decode(bytes, file: path, limits: limits) }
        if bytes.starts(with: JPEGCodec.signature) { return try JPEGCodec.decode(bytes, file: path, limits: limits) }
        let head = bytes.prefix(8).map { String(format: "%02X", $0) }.joined(separator: " ")
        throw DataError.malformed(file: path, problem: "starts with bytes \(head), neither a PNG signature (89 50 4E 47 …) nor a JPEG SOI marker (FF D8 FF); expected a PNG or JPEG image")
    }
}

import CJPEGShim

/// Baseline and progressive JPEG (8-bit gray or colour) through libjpeg, via the C shim that turns
/// libjpeg's fatal errors and its corrupt-data warnings into error messages.
public enum JPEGCodec {
    /// Every JPEG starts with SOI (FF D8) followed by another marker.
    public static let signature: [UInt8] = [0xFF, 0xD8, 0xFF]

    public static func read(path: String, limits: LoadLimits) throws -> RasterImage {
        let bytes = try BoundedFile.bytes(at: path, what: "a JPEG image", limits: limits)
        return try decode(bytes, file: path, limits: limits)
    }

    /// Decodes JPEG bytes; `file` names the source in errors.
    public static func decode(_ bytes: [UInt8], file: String, limits: LoadLimits) throws -> RasterImage {
        guard bytes.count >= signature.count, Array(bytes.prefix(signature.count)) == signature else {
            throw DataError.malformed(file: file, problem: "does not start with the JPEG SOI marker (FF D8 FF); expected a JPEG image")
        }
        var result = bytes.withUnsafeBufferPointer { buffer in
            allspark_jpeg_decode(buffer.baseAddress, buffer.count, max(limits.maxPixels, 1))
        }
        guard let pixels = result.pixels else {
            let message = withUnsafeBytes(of: &result.message) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            throw DataError.malformed(file: file, problem: "JPEG rejected: \(message); expected a complete 8-bit gray or colour JPEG")
        }
        defer { allspark_jpeg_free(pixels) }
        let width = Int(result.width), height = Int(result.height), channels = Int(result.channels)
        let count = width * height * channels
        var samples = [UInt16](repeating: 0, count: count)
        for i in 0..<count { samples[i] = UInt16(pixels[i]) }
        return RasterImage(width: width, height: height, channels: channels, bitDepth: 8, samples: samples)
    }
}

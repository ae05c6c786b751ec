import CPNG
import Foundation
import SparkFormats

/// PNG through libpng's simplified API (`png_image_*`), which reports errors in the `png_image`
/// structure instead of longjmp-ing, so it is safe to call from Swift.
///
/// What comes back: 8-bit files (gray, gray + alpha, RGB, RGBA, palette — palettes are expanded to
/// RGB or RGBA) as 8-bit samples; 16-bit files as 16-bit samples. libpng treats 16-bit data without
/// a gAMA/sRGB chunk as linear and returns it unchanged, which is what single-band data (SAR) needs;
/// a 16-bit file that declares a non-linear gamma is converted to linear. 16-bit images with alpha
/// come back with premultiplied colour (libpng's linear convention).
public enum PNGCodec {
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Reads and decodes the PNG at `path`, checking the file size and the pixel count first.
    public static func read(path: String, limits: LoadLimits) throws -> RasterImage {
        let bytes = try BoundedFile.bytes(at: path, what: "a PNG image", limits: limits)
        return try decode(bytes, file: path, limits: limits)
    }

    /// Decodes PNG bytes; `file` names the source in errors.
    public static func decode(_ bytes: [UInt8], file: String, limits: LoadLimits) throws -> RasterImage {
        guard bytes.count >= signature.count, Array(bytes.prefix(signature.count)) == signature else {
            throw DataError.malformed(file: file, problem: "does not start with the PNG signature (89 50 4E 47 0D 0A 1A 0A); expected a PNG image")
        }
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        let began = bytes.withUnsafeBytes { raw in
            png_image_begin_read_from_memory(&image, raw.baseAddress, raw.count)
        }
        guard began != 0 else {
            let message = Self.message(of: &image)
            png_image_free(&image)
            throw DataError.malformed(file: file, problem: "PNG header rejected by libpng: \(message); expected a valid PNG")
        }
        let width = Int(image.width), height = Int(image.height)
        // Both are below 2^31 (PNG limit), so the product fits in Int.
        let pixels = width * height
        guard pixels > 0, pixels <= limits.maxPixels else {
            png_image_free(&image)
            throw DataError.malformed(file: file, problem: "PNG is \(width) × \(height) pixels; expected at most \(limits.maxPixels) pixels in all")
        }
        let native = image.format
        let isSixteenBit = native & UInt32(PNG_FORMAT_FLAG_LINEAR) != 0
        // Ask for the file's own layout, palette expanded.
        let requested = native & (UInt32(PNG_FORMAT_FLAG_COLOR) | UInt32(PNG_FORMAT_FLAG_ALPHA) | UInt32(PNG_FORMAT_FLAG_LINEAR))
        image.format = requested
        let channels = (requested & UInt32(PNG_FORMAT_FLAG_COLOR) != 0 ? 3 : 1) + (requested & UInt32(PNG_FORMAT_FLAG_ALPHA) != 0 ? 1 : 0)
        let count = pixels * channels
        let rowSamples = width * channels
        guard rowSamples <= Int(Int32.max) / 2 else {
            png_image_free(&image)
            throw DataError.malformed(file: file, problem: "PNG rows of \(width) pixels are too wide; expected rows under 2^30 samples")
        }
        var samples = [UInt16](repeating: 0, count: count)
        if isSixteenBit {
            let finished = samples.withUnsafeMutableBytes { raw in
                png_image_finish_read(&image, nil, raw.baseAddress, png_int_32(rowSamples), nil)
            }
            try check(finished, &image, file: file)
        } else {
            var bytes8 = [UInt8](repeating: 0, count: count)
            let finished = bytes8.withUnsafeMutableBytes { raw in
                png_image_finish_read(&image, nil, raw.baseAddress, png_int_32(rowSamples), nil)
            }
            try check(finished, &image, file: file)
            for i in 0..<count { samples[i] = UInt16(bytes8[i]) }
        }
        return RasterImage(width: width, height: height, channels: channels, bitDepth: isSixteenBit ? 16 : 8, samples: samples)
    }

    /// Encodes `image` as PNG bytes (8-bit or 16-bit, gray, gray + alpha, RGB or RGBA).
    /// 16-bit data is written as linear (gAMA 1.0), so it reads back unchanged.
    public static func encode(_ image: RasterImage) throws -> [UInt8] {
        var png = png_image()
        png.version = png_uint_32(PNG_IMAGE_VERSION)
        png.width = png_uint_32(image.width)
        png.height = png_uint_32(image.height)
        var format: UInt32 = 0
        if image.hasColour { format |= UInt32(PNG_FORMAT_FLAG_COLOR) }
        if image.hasAlpha { format |= UInt32(PNG_FORMAT_FLAG_ALPHA) }
        if image.bitDepth == 16 { format |= UInt32(PNG_FORMAT_FLAG_LINEAR) }
        png.format = format
        let rowStride = png_int_32(image.width * image.channels)
        let write: (UnsafeRawPointer) throws -> [UInt8] = { buffer in
            var size = 0
            guard png_image_write_to_memory(&png, nil, &size, 0, buffer, rowStride, nil) != 0, size > 0 else {
                let message = Self.message(of: &png)
                png_image_free(&png)
                throw DataError.invalidArgument("PNG encoding failed: \(message)")
            }
            var output = [UInt8](repeating: 0, count: size)
            let ok = output.withUnsafeMutableBytes { raw in
                png_image_write_to_memory(&png, raw.baseAddress, &size, 0, buffer, rowStride, nil)
            }
            guard ok != 0 else {
                let message = Self.message(of: &png)
                png_image_free(&png)
                throw DataError.invalidArgument("PNG encoding failed: \(message)")
            }
            return Array(output.prefix(size))
        }
        if image.bitDepth == 16 {
            return try image.samples.withUnsafeBytes { try write($0.baseAddress!) }
        }
        let bytes8 = image.samples.map { UInt8(truncatingIfNeeded: min($0, 255)) }
        return try bytes8.withUnsafeBytes { try write($0.baseAddress!) }
    }

    /// Encodes and writes `image` to `path`.
    public static func write(_ image: RasterImage, to path: String) throws {
        let bytes = try encode(image)
        do { try Data(bytes).write(to: URL(fileURLWithPath: path)) } catch {
            throw DataError.unreadable(file: path, problem: "cannot write the PNG: \(readableReason(error))")
        }
    }

    private static func check(_ result: Int32, _ image: inout png_image, file: String) throws {
        if result == 0 {
            let message = Self.message(of: &image)
            png_image_free(&image)
            throw DataError.malformed(file: file, problem: "PNG data rejected by libpng: \(message); expected complete, uncorrupted image data")
        }
    }

    private static func message(of image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}

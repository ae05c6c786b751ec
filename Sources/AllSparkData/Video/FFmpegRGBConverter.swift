import CFFmpeg

/// Decoded frames → planar RGB `[3, height, width]` in [0, 1], through swscale to RGB24.
///
/// The flags and colour handling are those of the `ffmpeg` command line's automatic conversion
/// (bicubic; the frame's own matrix and range, BT.601 limited when it names none; `yuvj` formats
/// full range), so `ffmpeg -i FILE -pix_fmt rgb24` is an independent reference for the result.
/// A frame whose size differs from the stream's (a mid-stream resolution change) is scaled to the
/// stream's size, which the reader checked against `LoadLimits`, so every frame has one shape.
/// The owner frees the swscale context with `release()` (the reader does so in a `defer`).
struct FFmpegRGBConverter {
    let width: Int
    let height: Int
    private var context: OpaquePointer?
    /// Frames that arrived at another size and were scaled.
    private(set) var rescaledFrames = 0

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    mutating func release() {
        sws_freeContext(context)
        context = nil
    }

    /// Writes the frame's `3 × height × width` values from `target` on.
    mutating func convert(_ frame: UnsafeMutablePointer<AVFrame>, into target: UnsafeMutablePointer<Float>, file: String) throws {
        let source = frame.pointee
        let format = AVPixelFormat(rawValue: source.format)
        context = sws_getCachedContext(context, source.width, source.height, format,
                                       Int32(width), Int32(height), AV_PIX_FMT_RGB24, SWS_BICUBIC, nil, nil, nil)
        guard let context else {
            let name = av_get_pix_fmt_name(format).map { String(cString: $0) } ?? "format \(source.format)"
            throw DataError.malformed(file: file, problem: "swscale cannot convert \(name) frames of \(source.width) × \(source.height) to RGB; expected a pixel format FFmpeg can convert")
        }
        if Int(source.width) != width || Int(source.height) != height { rescaledFrames += 1 }
        Self.setColourDetails(context, of: source, format: format)

        // Rows padded to 64 bytes with 64 spare bytes: swscale's SIMD paths may write whole vectors.
        let stride = (width * 3 + 63) & ~63
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: stride * height + 64, alignment: 64)
        defer { buffer.deallocate() }
        let rgb = buffer.assumingMemoryBound(to: UInt8.self)
        var planes: [UnsafeMutablePointer<UInt8>?] = [rgb, nil, nil, nil]
        var strides: [Int32] = [Int32(stride), 0, 0, 0]
        var data = source.data, linesize = source.linesize
        let rows = withUnsafePointer(to: &data) { dataTuple in
            withUnsafePointer(to: &linesize) { linesizeTuple in
                dataTuple.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { sourcePlanes in
                    linesizeTuple.withMemoryRebound(to: Int32.self, capacity: 8) { sourceStrides in
                        sws_scale(context, sourcePlanes, sourceStrides, 0, source.height, &planes, &strides)
                    }
                }
            }
        }
        guard rows == Int32(height) else {
            throw DataError.malformed(file: file, problem: "swscale converted \(rows) of \(height) rows of a frame; expected the whole frame")
        }

        // Raw pointers and a table: this loop runs per value, and debug builds run it too.
        let plane = width * height
        let red = target, green = red + plane, blue = green + plane
        Self.levels.withUnsafeBufferPointer { level in
            let scale = level.baseAddress!
            for y in 0..<height {
                var source = rgb + y * stride
                let end = source + 3 * width
                var index = y * width
                while source < end {
                    red[index] = scale[Int(source[0])]
                    green[index] = scale[Int(source[1])]
                    blue[index] = scale[Int(source[2])]
                    source += 3
                    index += 1
                }
            }
        }
    }

    /// Each 8-bit level ÷ 255.
    private static let levels: [Float] = (0..<256).map { Float($0) / 255 }

    /// The frame's YCbCr matrix and range, as the command line's scale filter sets them.
    private static func setColourDetails(_ context: OpaquePointer, of frame: AVFrame, format: AVPixelFormat) {
        let fullRangeFormats = [AV_PIX_FMT_YUVJ420P, AV_PIX_FMT_YUVJ422P, AV_PIX_FMT_YUVJ444P, AV_PIX_FMT_YUVJ440P, AV_PIX_FMT_YUVJ411P]
        let fullRange = frame.color_range == AVCOL_RANGE_JPEG || fullRangeFormats.contains(format)
        let matrix: Int32
        switch frame.colorspace {
        case AVCOL_SPC_BT709: matrix = SWS_CS_ITU709
        case AVCOL_SPC_FCC: matrix = SWS_CS_FCC
        case AVCOL_SPC_SMPTE240M: matrix = SWS_CS_SMPTE240M
        case AVCOL_SPC_BT2020_NCL, AVCOL_SPC_BT2020_CL: matrix = SWS_CS_BT2020
        default: matrix = SWS_CS_DEFAULT  // BT.601, also for "unspecified"
        }
        // RGB output is always full range; brightness 0, contrast and saturation 1.0 (16.16 fixed point).
        sws_setColorspaceDetails(context, sws_getCoefficients(matrix), fullRange ? 1 : 0,
                                 sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16)
    }
}

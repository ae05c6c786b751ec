/// The YUV4MPEG2 (Y4M) stream header and frame layout, as plain values.
///
/// A Y4M file is one header line `YUV4MPEG2 W<w> H<h> F<num>:<den> [I<i>] [A<n>:<d>] [C<space>] [X<…>]`
/// followed by frames, each a line `FRAME[ params]` and the planes Y, Cb, Cr (8 bits per sample).
/// Accepted colour spaces: `420jpeg` (the default when `C` is absent), `420`, `420mpeg2`,
/// `420paldv` and `444`; anything else (10-bit, 4:2:2, mono, alpha) is refused by name.
/// Range: limited ("studio", Y 16–235, Cb/Cr 16–240) unless the header says `XCOLORRANGE=FULL`,
/// as ffmpeg writes it.
public struct Y4MHeader: Sendable, Equatable {
    public enum Chroma: String, Sendable, CaseIterable {
        case c420jpeg = "420jpeg", c420 = "420", c420mpeg2 = "420mpeg2", c420paldv = "420paldv", c444 = "444"

        public var isSubsampled: Bool { self != .c444 }

        /// Where chroma sample `j` sits, in luma sample coordinates: `2j + offset` (4:2:0).
        /// 420jpeg and 420 (JPEG/MPEG-1): centred between luma samples in both directions.
        /// 420mpeg2: co-sited with the left luma column, centred vertically.
        /// 420paldv (PAL DV): co-sited horizontally; Cr on the upper line of each pair, Cb on the lower.
        public func offsets(isCr: Bool) -> (x: Float, y: Float) {
            switch self {
            case .c420jpeg, .c420: return (0.5, 0.5)
            case .c420mpeg2: return (0, 0.5)
            case .c420paldv: return (0, isCr ? 0 : 1)
            case .c444: return (0, 0)
            }
        }
    }

    public var width: Int
    public var height: Int
    public var frameRateNumerator: Int
    public var frameRateDenominator: Int
    /// The `I` value (p, t, b, m or ?); frames are decoded as progressive pictures either way.
    public var interlacing: String
    public var chroma: Chroma
    public var fullRange: Bool

    public init(width: Int, height: Int, frameRateNumerator: Int, frameRateDenominator: Int,
                interlacing: String = "p", chroma: Chroma = .c420jpeg, fullRange: Bool = false) {
        self.width = width; self.height = height
        self.frameRateNumerator = frameRateNumerator; self.frameRateDenominator = frameRateDenominator
        self.interlacing = interlacing; self.chroma = chroma; self.fullRange = fullRange
    }

    public var framesPerSecond: Double { Double(frameRateNumerator) / Double(frameRateDenominator) }
    public var chromaWidth: Int { chroma.isSubsampled ? (width + 1) / 2 : width }
    public var chromaHeight: Int { chroma.isSubsampled ? (height + 1) / 2 : height }
    /// Bytes of one frame's planes (without the FRAME line). Callers check the header against
    /// `LoadLimits` first, so the products cannot overflow.
    public var frameBytes: Int { width * height + 2 * chromaWidth * chromaHeight }

    /// The header line, newline included.
    public var line: String {
        var text = "YUV4MPEG2 W\(width) H\(height) F\(frameRateNumerator):\(frameRateDenominator) I\(interlacing) A1:1 C\(chroma.rawValue)"
        if fullRange { text += " XCOLORRANGE=FULL" }
        return text + "\n"
    }
}

/// One decoded-from-file frame: the three 8-bit planes.
public struct Y4MFrame: Sendable, Equatable {
    public var luma: [UInt8]
    public var cb: [UInt8]
    public var cr: [UInt8]
    public init(luma: [UInt8], cb: [UInt8], cr: [UInt8]) { self.luma = luma; self.cb = cb; self.cr = cr }
}

public struct Y4MVideo: Sendable, Equatable {
    public var header: Y4MHeader
    public var frames: [Y4MFrame]
}

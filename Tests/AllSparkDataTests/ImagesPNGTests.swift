import Foundation
import Testing
@testable import AllSparkData

/// PNG decoding through libpng, with test files built by `TestPNG` (an independent encoder).
@Suite struct ImagesPNGTests {
    @Test func decodesEightBitGray() throws {
        let png = TestPNG.encode(width: 3, height: 2, bitDepth: 8, colourType: 0, rows: [[0, 128, 255], [10, 20, 30]])
        let image = try PNGCodec.decode(png, file: "g.png", limits: .standard)
        #expect(image.width == 3 && image.height == 2 && image.channels == 1 && image.bitDepth == 8)
        #expect(image.samples == [0, 128, 255, 10, 20, 30])
        let tensor = image.tensor(rgb: true)
        #expect(tensor.shape == [3, 2, 3])
        #expect(tensor[1, 0, 2] == 1 && abs(tensor[2, 1, 0] - 10 / 255) < 1e-6)
    }

    @Test func decodesGrayAlphaRGBAndRGBA() throws {
        let ga = try PNGCodec.decode(TestPNG.encode(width: 2, height: 1, bitDepth: 8, colourType: 4, rows: [[7, 255, 9, 255]]), file: "ga.png", limits: .standard)
        #expect(ga.channels == 2 && ga.samples == [7, 255, 9, 255])
        #expect(ga.tensor(rgb: false).shape == [1, 1, 2])
        let rgb = try PNGCodec.decode(TestPNG.encode(width: 2, height: 1, bitDepth: 8, colourType: 2, rows: [[1, 2, 3, 250, 251, 252]]), file: "rgb.png", limits: .standard)
        #expect(rgb.channels == 3 && rgb.samples == [1, 2, 3, 250, 251, 252])
        let rgba = try PNGCodec.decode(TestPNG.encode(width: 1, height: 2, bitDepth: 8, colourType: 6, rows: [[10, 20, 30, 255], [40, 50, 60, 255]]), file: "rgba.png", limits: .standard)
        #expect(rgba.channels == 4 && rgba.samples == [10, 20, 30, 255, 40, 50, 60, 255])
        // Alpha is dropped by the tensor.
        let t = rgba.tensor(rgb: true)
        #expect(t.shape == [3, 2, 1] && abs(t[2, 1, 0] - 60 / 255) < 1e-6)
    }

    @Test func expandsPalettes() throws {
        let palette: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255]
        let png = TestPNG.encode(width: 3, height: 1, bitDepth: 8, colourType: 3, rows: [[2, 0, 1]], palette: palette)
        let image = try PNGCodec.decode(png, file: "p.png", limits: .standard)
        #expect(image.channels == 3)
        #expect(image.samples == [0, 0, 255, 255, 0, 0, 0, 255, 0])
    }

    @Test func decodesSixteenBitGrayUnchanged() throws {
        // Big-endian 16-bit samples 0, 1000, 65535, 40000.
        let png = TestPNG.encode(width: 2, height: 2, bitDepth: 16, colourType: 0, rows: [[0, 0, 0x03, 0xE8], [0xFF, 0xFF, 0x9C, 0x40]])
        let image = try PNGCodec.decode(png, file: "s.png", limits: .standard)
        #expect(image.bitDepth == 16 && image.channels == 1)
        #expect(image.samples == [0, 1000, 65535, 40000])
        #expect(abs(image.tensor(rgb: false)[0, 1, 1] - 40000 / 65535) < 1e-7)
    }

    @Test func roundTripsThroughTheEncoder() throws {
        var samples8: [UInt16] = []
        for i in 0..<(5 * 4 * 3) { samples8.append(UInt16((i * 37) % 256)) }
        let rgb = RasterImage(width: 5, height: 4, channels: 3, bitDepth: 8, samples: samples8)
        #expect(try PNGCodec.decode(PNGCodec.encode(rgb), file: "r8", limits: .standard) == rgb)
        let gray16 = RasterImage(width: 3, height: 3, channels: 1, bitDepth: 16, samples: [0, 1, 2, 300, 4000, 50000, 65535, 12345, 7])
        #expect(try PNGCodec.decode(PNGCodec.encode(gray16), file: "g16", limits: .standard) == gray16)
        let folder = try ImagesTempFolder()
        try PNGCodec.write(gray16, to: folder.file("w.png"))
        #expect(try PNGCodec.read(path: folder.file("w.png"), limits: .standard) == gray16)
    }

    @Test func rejectsBadBytes() throws {
        let good = TestPNG.encode(width: 4, height: 4, bitDepth: 8, colourType: 0, rows: Array(repeating: [1, 2, 3, 4], count: 4))
        expectDataError(["cut.png", "libpng", "expected"]) {
            _ = try PNGCodec.decode(Array(good.prefix(good.count - 20)), file: "cut.png", limits: .standard)
        }
        expectDataError(["hdr.png", "header rejected"]) {
            _ = try PNGCodec.decode(Array(good.prefix(20)), file: "hdr.png", limits: .standard)
        }
        var magic = good; magic[1] = 0x51
        expectDataError(["magic.png", "PNG signature"]) { _ = try PNGCodec.decode(magic, file: "magic.png", limits: .standard) }
        // IHDR claims 4 × 40 but the data holds 4 rows.
        let lying = TestPNG.encode(width: 4, height: 4, bitDepth: 8, colourType: 0, rows: Array(repeating: [1, 2, 3, 4], count: 4), declaredHeight: 40)
        expectDataError(["lying.png", "libpng"]) { _ = try PNGCodec.decode(lying, file: "lying.png", limits: .standard) }
        // A flipped bit in the IDAT payload breaks its CRC.
        var crc = good; crc[good.count - 20] ^= 0x40
        expectDataError(["crc.png", "libpng"]) { _ = try PNGCodec.decode(crc, file: "crc.png", limits: .standard) }
        // Zero width is invalid per the PNG specification.
        let zero = TestPNG.encode(width: 0, height: 1, bitDepth: 8, colourType: 0, rows: [[]])
        expectDataError(["zero.png"]) { _ = try PNGCodec.decode(zero, file: "zero.png", limits: .standard) }
    }

    @Test func refusesHugeDeclaredSizesBeforeAllocating() {
        // IHDR says 30000 × 30000 (900 megapixels) with a few bytes of data.
        let huge = TestPNG.encode(width: 1, height: 1, bitDepth: 8, colourType: 0, rows: [[0]], declaredWidth: 30000, declaredHeight: 30000)
        expectDataError(["huge.png", "30000 × 30000", "at most 16000000"]) {
            _ = try PNGCodec.decode(huge, file: "huge.png", limits: .standard)
        }
        let small = TestPNG.encode(width: 20, height: 20, bitDepth: 8, colourType: 0, rows: Array(repeating: Array(repeating: 0, count: 20), count: 20))
        expectDataError(["small.png", "20 × 20", "at most 100"]) {
            _ = try PNGCodec.decode(small, file: "small.png", limits: tinyLimits(pixels: 100))
        }
    }

    @Test func checksPathsBeforeReading() throws {
        let folder = try ImagesTempFolder()
        let empty = try folder.write("empty.png", [])
        expectDataError([empty, "empty", "PNG"]) { _ = try PNGCodec.read(path: empty, limits: .standard) }
        let dir = try folder.folder("d.png")
        expectDataError([dir, "is a folder"]) { _ = try PNGCodec.read(path: dir, limits: .standard) }
        expectDataError([folder.file("missing.png"), "no such file"]) { _ = try PNGCodec.read(path: folder.file("missing.png"), limits: .standard) }
        let big = try folder.write("big.png", TestPNG.encode(width: 30, height: 30, bitDepth: 8, colourType: 0, rows: Array(repeating: Array(repeating: 9, count: 30), count: 30)))
        expectDataError([big, "more than the allowed 500"]) { _ = try PNGCodec.read(path: big, limits: tinyLimits(fileBytes: 500)) }
    }
}

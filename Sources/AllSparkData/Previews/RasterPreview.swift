import SparkEngine

/// Text-mode pictures of images `[1 or 3, H, W]` in [0, 1].
///
/// With colour and Unicode each cell is two pixels stacked: '▀' with the top pixel as foreground
/// and the bottom one as background, so square pixels stay square. Without Unicode, each cell is
/// one pixel (averaged over two rows) drawn as a density character in its colour. Without colour,
/// density characters alone: " ░▒▓█" with Unicode, " .:-=+*#%@" without.
public enum RasterPreview {
    static let unicodeRamp: [Character] = [" ", "░", "▒", "▓", "█"]
    static let asciiRamp: [Character] = [" ", ".", ":", "-", "=", "+", "*", "#", "%", "@"]

    /// The picture of `image`, scaled (keeping its aspect) to fit `options.width × options.height`.
    public static func rows(_ image: Tensor, options: Preview.Options) -> [[Preview.Cell]] {
        guard image.rank == 3, image.dim(0) == 1 || image.dim(0) == 3, image.dim(1) > 0, image.dim(2) > 0 else {
            return [[Preview.Cell("?")]]
        }
        let imageHeight = image.dim(1), imageWidth = image.dim(2)
        let halfBlocks = options.colour && options.unicode
        // Pixels per cell vertically: 2 (a half block each, or two rows averaged into one character).
        let scale = min(Double(options.width) / Double(imageWidth), Double(2 * options.height) / Double(imageHeight))
        let columns = max(1, min(options.width, Int((Double(imageWidth) * scale).rounded())))
        let pixelRows = max(1, min(2 * options.height, Int((Double(imageHeight) * scale).rounded())))
        let cellRows = (pixelRows + 1) / 2
        let pixels = boxAverage(image, width: columns, height: 2 * cellRows, validRows: pixelRows)

        var rows: [[Preview.Cell]] = []
        for r in 0..<cellRows {
            var row: [Preview.Cell] = []
            for c in 0..<columns {
                let top = pixels[2 * r][c]
                let bottom = 2 * r + 1 < pixelRows ? pixels[2 * r + 1][c] : nil
                if halfBlocks {
                    row.append(Preview.Cell("▀", foreground: top, background: bottom))
                } else {
                    let mixed = bottom.map { mix(top, $0) } ?? top
                    let ramp = options.unicode ? unicodeRamp : asciiRamp
                    let character = ramp[min(ramp.count - 1, Int(mixed.luma) * ramp.count / 256)]
                    row.append(Preview.Cell(character, foreground: options.colour ? mixed : nil))
                }
            }
            rows.append(row)
        }
        return rows
    }

    /// Mean colour of each output pixel's source box (the last `height − validRows` rows are padding).
    static func boxAverage(_ image: Tensor, width: Int, height: Int, validRows: Int) -> [[Preview.Colour]] {
        let channels = image.dim(0), inH = image.dim(1), inW = image.dim(2)
        let plane = inH * inW
        return image.withUnsafeBufferPointer { source in
            (0..<height).map { ty -> [Preview.Colour] in
                let y0 = min(inH - 1, ty * inH / max(validRows, 1))
                let y1 = max(y0 + 1, min(inH, (ty + 1) * inH / max(validRows, 1)))
                return (0..<width).map { tx -> Preview.Colour in
                    let x0 = tx * inW / width, x1 = max(x0 + 1, (tx + 1) * inW / width)
                    var sums: [Float] = [0, 0, 0]
                    for c in 0..<channels {
                        var sum: Float = 0
                        for y in y0..<y1 { for x in x0..<x1 { sum += source[c * plane + y * inW + x] } }
                        sums[c] = sum / Float((y1 - y0) * (x1 - x0))
                    }
                    if channels == 1 { sums[1] = sums[0]; sums[2] = sums[0] }
                    return colour(sums[0], sums[1], sums[2])
                }
            }
        }
    }

    static func colour(_ r: Float, _ g: Float, _ b: Float) -> Preview.Colour {
        func byte(_ v: Float) -> UInt8 { v.isNaN ? 0 : UInt8((min(max(v, 0), 1) * 255).rounded()) }
        return Preview.Colour(r: byte(r), g: byte(g), b: byte(b))
    }

    static func mix(_ a: Preview.Colour, _ b: Preview.Colour) -> Preview.Colour {
        Preview.Colour(r: UInt8((Int(a.r) + Int(b.r)) / 2), g: UInt8((Int(a.g) + Int(b.g)) / 2), b: UInt8((Int(a.b) + Int(b.b)) / 2))
    }
}

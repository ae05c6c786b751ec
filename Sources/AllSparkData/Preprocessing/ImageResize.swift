import SparkEngine

/// Resizing and cropping of channel-first images `[..., C, H, W]` (leading axes, such as video
/// frames, are carried along).
public enum ImageResize {
    /// Bilinear resampling with half-pixel centres: output pixel (y, x) samples the input at
    /// ((y + 0.5)·H/h − 0.5, (x + 0.5)·W/w − 0.5), clamped to the image — the convention of OpenCV's
    /// INTER_LINEAR and PyTorch's `interpolate(mode="bilinear", align_corners=False)` without
    /// antialiasing. Downscaling by large factors therefore skips pixels; use `areaAverage` first
    /// when that matters.
    public static func bilinear(_ image: Tensor, height: Int, width: Int) throws -> Tensor {
        try checkImage(image, "bilinear resize")
        guard height > 0, width > 0 else {
            throw DataError.invalidArgument("bilinear resize to \(height) × \(width); expected a positive height and width")
        }
        let inH = image.dim(-2), inW = image.dim(-1)
        let planes = image.count / max(inH * inW, 1)
        if inH == height && inW == width { return image }
        let ys = taps(output: height, input: inH)
        let xs = taps(output: width, input: inW)
        var outShape = image.shape
        outShape[outShape.count - 2] = height
        outShape[outShape.count - 1] = width
        var out = [Float](repeating: 0, count: planes * height * width)
        image.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for p in 0..<planes {
                    let inBase = p * inH * inW, outBase = p * height * width
                    for y in 0..<height {
                        let (y0, y1, wy) = ys[y]
                        let row0 = inBase + y0 * inW, row1 = inBase + y1 * inW
                        for x in 0..<width {
                            let (x0, x1, wx) = xs[x]
                            let top = src[row0 &+ x0] + (src[row0 &+ x1] - src[row0 &+ x0]) * wx
                            let bottom = src[row1 &+ x0] + (src[row1 &+ x1] - src[row1 &+ x0]) * wx
                            dst[outBase &+ y &* width &+ x] = top + (bottom - top) * wy
                        }
                    }
                }
            }
        }
        return Tensor(shape: outShape, scalars: out)
    }

    /// Mean of each `factor × factor` block (input sides must be multiples of `factor`): the
    /// antialiasing step before a large bilinear downscale.
    public static func areaAverage(_ image: Tensor, factor: Int) throws -> Tensor {
        try checkImage(image, "area average")
        let inH = image.dim(-2), inW = image.dim(-1)
        guard factor >= 1, inH % factor == 0, inW % factor == 0 else {
            throw DataError.invalidArgument("area average by \(factor) of a \(inH) × \(inW) image; expected a factor ≥ 1 that divides both sides")
        }
        if factor == 1 { return image }
        let h = inH / factor, w = inW / factor
        let planes = image.count / (inH * inW)
        var out = [Float](repeating: 0, count: planes * h * w)
        let scale = 1 / Float(factor * factor)
        image.withUnsafeBufferPointer { src in
            for p in 0..<planes {
                for y in 0..<h {
                    for x in 0..<w {
                        var sum: Float = 0
                        for dy in 0..<factor {
                            let row = p * inH * inW + (y * factor + dy) * inW + x * factor
                            for dx in 0..<factor { sum += src[row + dx] }
                        }
                        out[p * h * w + y * w + x] = sum * scale
                    }
                }
            }
        }
        var shape = image.shape
        shape[shape.count - 2] = h
        shape[shape.count - 1] = w
        return Tensor(shape: shape, scalars: out)
    }

    /// The window `top ..< top + height`, `left ..< left + width` of every plane.
    public static func crop(_ image: Tensor, top: Int, left: Int, height: Int, width: Int) throws -> Tensor {
        try checkImage(image, "crop")
        let inH = image.dim(-2), inW = image.dim(-1)
        guard top >= 0, left >= 0, height > 0, width > 0, top + height <= inH, left + width <= inW else {
            throw DataError.invalidArgument("crop of rows \(top)..<\(top + height), columns \(left)..<\(left + width) from a \(inH) × \(inW) image; expected a non-empty window inside the image")
        }
        let planes = image.count / (inH * inW)
        var out = [Float]()
        out.reserveCapacity(planes * height * width)
        image.withUnsafeBufferPointer { src in
            for p in 0..<planes {
                for y in top..<(top + height) {
                    let start = p * inH * inW + y * inW + left
                    out.append(contentsOf: src[start..<(start + width)])
                }
            }
        }
        var shape = image.shape
        shape[shape.count - 2] = height
        shape[shape.count - 1] = width
        return Tensor(shape: shape, scalars: out)
    }

    /// The centred `height × width` window (when the margin is odd, the extra row or column is
    /// left at the bottom or right).
    public static func centreCrop(_ image: Tensor, height: Int, width: Int) throws -> Tensor {
        try checkImage(image, "centre crop")
        return try crop(image, top: (image.dim(-2) - height) / 2, left: (image.dim(-1) - width) / 2, height: height, width: width)
    }

    /// Bilinear resize so that the shorter side is `side`, then a centred `side × side` crop:
    /// the usual way to make a square encoder input without distorting the picture.
    public static func resizeAndCentreCrop(_ image: Tensor, side: Int) throws -> Tensor {
        try checkImage(image, "resize and crop")
        let inH = image.dim(-2), inW = image.dim(-1)
        let scale = Double(side) / Double(min(inH, inW))
        let h = max(side, Int((Double(inH) * scale).rounded())), w = max(side, Int((Double(inW) * scale).rounded()))
        return try centreCrop(bilinear(image, height: h, width: w), height: side, width: side)
    }

    /// For each output index, the two input indices around its sample point and the weight of the
    /// second.
    static func taps(output: Int, input: Int) -> [(Int, Int, Float)] {
        let scale = Double(input) / Double(output)
        return (0..<output).map { i in
            let position = min(max((Double(i) + 0.5) * scale - 0.5, 0), Double(input - 1))
            let i0 = Int(position.rounded(.down))
            let i1 = min(i0 + 1, input - 1)
            return (i0, i1, Float(position - Double(i0)))
        }
    }

    static func checkImage(_ image: Tensor, _ operation: String) throws {
        guard image.rank >= 2, image.dim(-1) > 0, image.dim(-2) > 0 else {
            throw DataError.invalidArgument("\(operation) of a tensor shaped \(image.shape); expected [..., height, width] with both sides positive")
        }
    }
}

import SparkEngine

/// BT.601 Y'CbCr ↔ R'G'B', the matrix of SD video and of JPEG (Kr = 0.299, Kb = 0.114).
///
/// Limited range ("studio swing"): Y' = 16 + 219·E'y, Cb/Cr = 128 + 224·E'pb/pr.
/// Full range (JPEG/JFIF): Y' = 255·E'y, Cb/Cr = 128 + 255·E'pb/pr.
/// Inverse: R = Y + 1.402·Pr, G = Y − 0.344136·Pb − 0.714136·Pr, B = Y + 1.772·Pb (then clamped).
/// 4:2:0 chroma is upsampled bilinearly from the sample positions its siting defines
/// (`Y4MHeader.Chroma.offsets`), with edge samples repeated.
public enum YUVConversion {
    static let kr: Float = 0.299, kb: Float = 0.114
    static var kg: Float { 1 - kr - kb }

    /// RGB of one frame as `[3, height, width]` in [0, 1].
    public static func rgb(_ frame: Y4MFrame, header: Y4MHeader) -> [Float] {
        let w = header.width, h = header.height
        let plane = w * h
        let cb = upsample(frame.cb, header: header, isCr: false)
        let cr = upsample(frame.cr, header: header, isCr: true)
        let lumaOffset: Float = header.fullRange ? 0 : 16
        let lumaScale: Float = header.fullRange ? 1.0 / 255 : 1.0 / 219
        let chromaScale: Float = header.fullRange ? 1.0 / 255 : 1.0 / 224
        let rFromPr: Float = 2 * (1 - kr)
        let bFromPb: Float = 2 * (1 - kb)
        let gFromPb: Float = -2 * kb * (1 - kb) / kg
        let gFromPr: Float = -2 * kr * (1 - kr) / kg
        var out = [Float](repeating: 0, count: 3 * plane)
        out.withUnsafeMutableBufferPointer { o in
            frame.luma.withUnsafeBufferPointer { yPlane in
                for i in 0..<plane {
                    let y = (Float(yPlane[i]) - lumaOffset) * lumaScale
                    let pb = (cb[i] - 128) * chromaScale
                    let pr = (cr[i] - 128) * chromaScale
                    o[i] = clamp01(y + rFromPr * pr)
                    o[plane + i] = clamp01(y + gFromPb * pb + gFromPr * pr)
                    o[2 * plane + i] = clamp01(y + bFromPb * pb)
                }
            }
        }
        return out
    }

    /// All frames as a `[frames, 3, height, width]` tensor.
    public static func tensor(_ video: Y4MVideo) -> Tensor {
        let h = video.header
        var scalars: [Float] = []
        scalars.reserveCapacity(video.frames.count * 3 * h.width * h.height)
        for frame in video.frames { scalars += rgb(frame, header: h) }
        return Tensor(shape: [video.frames.count, 3, h.height, h.width], scalars: scalars)
    }

    /// A chroma plane at luma resolution (as Float, still 0…255).
    static func upsample(_ plane: [UInt8], header: Y4MHeader, isCr: Bool) -> [Float] {
        let w = header.width, h = header.height
        guard header.chroma.isSubsampled else { return plane.map(Float.init) }
        let cw = header.chromaWidth, ch = header.chromaHeight
        let offsets = header.chroma.offsets(isCr: isCr)
        let xs = taps(count: w, chromaCount: cw, offset: offsets.x)
        let ys = taps(count: h, chromaCount: ch, offset: offsets.y)
        var out = [Float](repeating: 0, count: w * h)
        for y in 0..<h {
            let (y0, y1, wy) = ys[y]
            for x in 0..<w {
                let (x0, x1, wx) = xs[x]
                let top = Float(plane[y0 * cw + x0]) * (1 - wx) + Float(plane[y0 * cw + x1]) * wx
                let bottom = Float(plane[y1 * cw + x0]) * (1 - wx) + Float(plane[y1 * cw + x1]) * wx
                out[y * w + x] = top * (1 - wy) + bottom * wy
            }
        }
        return out
    }

    /// For each luma coordinate, the two chroma samples around it and the weight of the second:
    /// chroma sample j sits at luma coordinate 2j + offset.
    static func taps(count: Int, chromaCount: Int, offset: Float) -> [(Int, Int, Float)] {
        (0..<count).map { i in
            let u = (Float(i) - offset) / 2
            let j0 = Int(u.rounded(.down))
            let weight = u - Float(j0)
            let a = min(max(j0, 0), chromaCount - 1), b = min(max(j0 + 1, 0), chromaCount - 1)
            return (a, b, weight)
        }
    }

    /// Y'CbCr planes (limited range, 4:2:0 with centred siting by 2 × 2 averaging, or 4:4:4) of an
    /// RGB frame `[3, height, width]` in [0, 1]: what the generators write.
    public static func frame(fromRGB rgb: [Float], width: Int, height: Int, chroma: Y4MHeader.Chroma) -> Y4MFrame {
        let plane = width * height
        var luma = [UInt8](repeating: 0, count: plane)
        var cbFull = [Float](repeating: 0, count: plane), crFull = [Float](repeating: 0, count: plane)
        for i in 0..<plane {
            let r = clamp01(rgb[i]), g = clamp01(rgb[plane + i]), b = clamp01(rgb[2 * plane + i])
            let y = kr * r + kg * g + kb * b
            luma[i] = UInt8((16 + 219 * y).rounded())
            cbFull[i] = 128 + 224 * (b - y) / (2 * (1 - kb))
            crFull[i] = 128 + 224 * (r - y) / (2 * (1 - kr))
        }
        if !chroma.isSubsampled {
            return Y4MFrame(luma: luma, cb: cbFull.map { UInt8($0.rounded()) }, cr: crFull.map { UInt8($0.rounded()) })
        }
        let cw = (width + 1) / 2, ch = (height + 1) / 2
        func average(_ full: [Float]) -> [UInt8] {
            var out = [UInt8](repeating: 128, count: cw * ch)
            for j in 0..<ch {
                for i in 0..<cw {
                    var sum: Float = 0, n: Float = 0
                    for y in (2 * j)..<min(2 * j + 2, height) {
                        for x in (2 * i)..<min(2 * i + 2, width) { sum += full[y * width + x]; n += 1 }
                    }
                    out[j * cw + i] = UInt8((sum / n).rounded())
                }
            }
            return out
        }
        return Y4MFrame(luma: luma, cb: average(cbFull), cr: average(crFull))
    }

    @inline(__always) static func clamp01(_ v: Float) -> Float { min(max(v, 0), 1) }
}

import SparkEngine

/// A decoded raster image as plain values: interleaved samples, row-major, top row first.
/// 8-bit images hold values 0...255 and 16-bit images 0...65535 (both stored as `UInt16` so that
/// one type serves both depths).
public struct RasterImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA.
    public var channels: Int
    /// 8 or 16.
    public var bitDepth: Int
    public var samples: [UInt16]

    public init(width: Int, height: Int, channels: Int, bitDepth: Int, samples: [UInt16]) {
        precondition((1...4).contains(channels) && (bitDepth == 8 || bitDepth == 16))
        precondition(samples.count == width * height * channels, "sample count does not match the size")
        self.width = width; self.height = height; self.channels = channels
        self.bitDepth = bitDepth; self.samples = samples
    }

    public var hasColour: Bool { channels >= 3 }
    public var hasAlpha: Bool { channels == 2 || channels == 4 }
    public var maxValue: Float { bitDepth == 8 ? 255 : 65535 }

    /// The colour channels as a `[channels, height, width]` tensor in [0, 1]: alpha is dropped;
    /// gray becomes 3 identical channels when `rgb` is true, else 1 channel.
    public func tensor(rgb: Bool) -> Tensor {
        let colourChannels = hasColour ? 3 : 1
        let outputChannels = rgb ? 3 : colourChannels
        let plane = width * height
        var scalars = [Float](repeating: 0, count: outputChannels * plane)
        let scale = 1 / maxValue
        let stride = channels
        samples.withUnsafeBufferPointer { source in
            scalars.withUnsafeMutableBufferPointer { target in
                for c in 0..<outputChannels {
                    let sourceChannel = colourChannels == 1 ? 0 : c
                    let base = c * plane
                    for i in 0..<plane {
                        target[base + i] = Float(source[i * stride + sourceChannel]) * scale
                    }
                }
            }
        }
        return Tensor(shape: [outputChannels, height, width], scalars: scalars)
    }

    /// An 8-bit image from a `[channels, height, width]` tensor in [0, 1] (values are clamped and
    /// rounded); 1 channel gives a gray image, 3 an RGB image.
    public static func from(tensor: Tensor, bitDepth: Int = 8) -> RasterImage {
        precondition(tensor.rank == 3 && (tensor.shape[0] == 1 || tensor.shape[0] == 3), "expected [1|3, H, W], got \(tensor.shape)")
        let channels = tensor.shape[0], height = tensor.shape[1], width = tensor.shape[2]
        let plane = height * width
        let maximum: Float = bitDepth == 8 ? 255 : 65535
        var samples = [UInt16](repeating: 0, count: channels * plane)
        tensor.withUnsafeBufferPointer { source in
            for c in 0..<channels {
                for i in 0..<plane {
                    let value = source[c * plane + i]
                    let clamped = value.isNaN ? 0 : min(max(value, 0), 1)
                    samples[i * channels + c] = UInt16((clamped * maximum).rounded())
                }
            }
        }
        return RasterImage(width: width, height: height, channels: channels, bitDepth: bitDepth, samples: samples)
    }
}

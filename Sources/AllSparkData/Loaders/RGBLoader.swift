import SparkEngine
import SparkFormats

/// rgb: one photograph → `.image([3, H, W])` in [0, 1]. No options. Read from
///
/// - a PNG (8- or 16-bit) or JPEG: samples divided by 255 or 65,535; gray files become three
///   equal channels; alpha is dropped;
/// - an NPY array `(H, W, 3)`, `(H, W)` (gray) or `(3, H, W)`: uint8 ÷ 255, uint16 ÷ 65,535,
///   float32/float64 as they are, which must then lie in [0, 1] (a float image of 0–255 values
///   is refused rather than shown as white).
///
/// The sample says which of these it was (`Sample.conversion`).
public struct RGBLoader: SampleLoader {
    public init() {}
    public var modality: Modality { .rgb }
    public var fileExtensions: [String] { ImageFile.extensions + ["npy"] }

    public func load(path: String, options: [String: String], limits: LoadLimits) throws -> Sample {
        _ = try LoaderOptions(options, file: path, allowed: [])
        if path.lowercased().hasSuffix(".npy") { return try loadArray(path: path, limits: limits) }
        let image = try ImageFile.read(path: path, limits: limits)
        let layout = image.hasColour ? "colour" : "gray → three equal channels"
        let alpha = image.channels == 2 || image.channels == 4 ? ", alpha dropped" : ""
        return Sample(modality: .rgb, path: path, content: .image(image.tensor(rgb: true)),
                      conversion: "\(image.bitDepth)-bit \(layout), ÷ \(image.bitDepth == 16 ? "65,535" : "255")\(alpha)")
    }

    func loadArray(path: String, limits: LoadLimits) throws -> Sample {
        let what = "an RGB image, NPY (height, width, 3), (height, width) or (3, height, width) of uint8, uint16, float32 or float64"
        let array = try NumpyInput.read(path: path, what: what, limits: limits)
        let shape = array.shape
        let channelsFirst = shape.count == 3 && shape[0] == 3 && shape[2] != 3
        let (height, width, channels): (Int, Int, Int)
        switch shape.count {
        case 2: (height, width, channels) = (shape[0], shape[1], 1)
        case 3 where shape[2] == 3 || shape[2] == 1: (height, width, channels) = (shape[0], shape[1], shape[2])
        case 3 where channelsFirst: (height, width, channels) = (shape[1], shape[2], 3)
        default:
            throw DataError.malformed(file: path, problem: "shape is \(shape); expected (height, width, 3), (height, width) or (3, height, width)")
        }
        guard height > 0, width > 0 else {
            throw DataError.malformed(file: path, problem: "shape is \(shape); expected a non-empty image")
        }
        guard height * width <= limits.maxPixels else {
            throw DataError.malformed(file: path, problem: "image is \(width) × \(height) pixels; expected at most \(limits.maxPixels) pixels")
        }
        var values = try NumpyInput.finiteFloats(array, path: path, allowed: [.uint8, .uint16, .float32, .float64], what: "image values")
        let conversion: String
        switch array.dtype {
        case .uint8:
            for i in values.indices { values[i] /= 255 }
            conversion = "uint8 array ÷ 255"
        case .uint16:
            for i in values.indices { values[i] /= 65535 }
            conversion = "uint16 array ÷ 65,535"
        default:
            if let bad = values.firstIndex(where: { $0 < 0 || $0 > 1 }) {
                throw DataError.malformed(file: path, problem: "element \(bad) is \(values[bad]); expected \(array.dtype) values in [0, 1] (divide 8-bit values by 255 first)")
            }
            conversion = "\(array.dtype) array in [0, 1], not rescaled"
        }
        let plane = height * width
        var planes = [Float](repeating: 0, count: 3 * plane)
        for c in 0..<3 {
            let source = channels == 1 ? 0 : c
            for i in 0..<plane {
                planes[c * plane + i] = channelsFirst ? values[source * plane + i] : values[i * channels + source]
            }
        }
        let layout = channels == 1 ? "gray → three equal channels, " : channelsFirst ? "channels first, " : ""
        return Sample(modality: .rgb, path: path, content: .image(Tensor(shape: [3, height, width], scalars: planes)),
                      conversion: layout + conversion)
    }
}

import SparkEngine

/// sar: a magnitude image → `.sar([H, W])` divided by its peak, so values lie in [0, 1]
/// (`SARScaling` has the decibel transforms the encoders use). Read from an NPY float32 `(H, W)`
/// array of non-negative magnitudes (a `(1, H, W)` array is accepted too), or an 8- or 16-bit
/// grayscale PNG (a colour PNG is refused: SAR has one channel). No options.
public struct SARLoader: SampleLoader {
    public init() {}
    public var modality: Modality { .sar }
    public var fileExtensions: [String] { ["npy", "png"] }

    public func load(path: String, options: [String: String], limits: LoadLimits) throws -> Sample {
        _ = try LoaderOptions(options, file: path, allowed: [])
        if path.lowercased().hasSuffix(".png") {
            let image = try PNGCodec.read(path: path, limits: limits)
            guard !image.hasColour else {
                throw DataError.malformed(file: path, problem: "is a colour PNG (\(image.channels) channels); expected a grayscale SAR magnitude image")
            }
            let magnitude = image.tensor(rgb: false).reshaped([image.height, image.width])
            return Sample(modality: .sar, path: path, content: .sar(SARScaling.peakNormalised(magnitude)))
        }
        let what = "a SAR magnitude image, NPY float32 (height, width)"
        let array = try NumpyInput.read(path: path, what: what, limits: limits)
        var shape = array.shape
        if shape.count == 3 && shape[0] == 1 { shape.removeFirst() }
        guard shape.count == 2, shape[0] > 0, shape[1] > 0 else {
            throw DataError.malformed(file: path, problem: "shape is \(array.shape); expected (height, width) magnitudes")
        }
        guard shape[0] * shape[1] <= limits.maxPixels else {
            throw DataError.malformed(file: path, problem: "image is \(shape[1]) × \(shape[0]) pixels; expected at most \(limits.maxPixels) pixels")
        }
        let values = try NumpyInput.finiteFloats(array, path: path, allowed: [.float32], what: "SAR magnitudes")
        if let negative = values.firstIndex(where: { $0 < 0 }) {
            throw DataError.malformed(file: path, problem: "element \(negative) is \(values[negative]); expected magnitudes ≥ 0 (complex or dB data must be converted to magnitude first)")
        }
        return Sample(modality: .sar, path: path, content: .sar(SARScaling.peakNormalised(Tensor(shape: shape, scalars: values))))
    }
}

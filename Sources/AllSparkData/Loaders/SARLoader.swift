import SparkEngine
import SparkFormats

/// sar: a magnitude image → `.sar([H, W])` divided by its peak, so values lie in [0, 1]
/// (`SARScaling` has the decibel transforms the encoders use). Read from an NPY `(H, W)` array (a
/// `(1, H, W)` array is accepted too) of non-negative magnitudes — float32, float64, uint8 or
/// uint16 — or of single-look complex values (complex64), whose magnitude |z| is taken; or from an
/// 8- or 16-bit grayscale PNG (a colour PNG is refused: SAR has one channel). The sample says how
/// its values were converted (`Sample.conversion`). No options. A GeoTIFF or ENVI raster is read
/// through GDAL instead (`SARLoader+Raster.swift`; options `bands`, `window`).
public struct SARLoader: SampleLoader {
    public init() {}
    public var modality: Modality { .sar }
    public var fileExtensions: [String] { ["npy", "png"] + RasterInput.fileExtensions }

    /// What `SARScaling.peakNormalised` did, in words.
    static func scaling(peak: Float) -> String {
        peak > 0 ? String(format: ", divided by their peak %.4g", peak) : " (all zero: left as they are)"
    }

    public func load(path: String, options: [String: String], limits: LoadLimits) throws -> Sample {
        if RasterInput.handles(path) { return try loadRaster(path: path, options: options, limits: limits) }
        _ = try LoaderOptions(options, file: path, allowed: [])
        if path.lowercased().hasSuffix(".png") {
            let image = try PNGCodec.read(path: path, limits: limits)
            guard !image.hasColour else {
                throw DataError.malformed(file: path, problem: "is a colour PNG (\(image.channels) channels); expected a grayscale SAR magnitude image")
            }
            let magnitude = image.tensor(rgb: false).reshaped([image.height, image.width])
            return Sample(modality: .sar, path: path, content: .sar(SARScaling.peakNormalised(magnitude)),
                          conversion: "grayscale PNG magnitudes" + Self.scaling(peak: magnitude.scalars.max() ?? 0))
        }
        let what = "a SAR image, NPY (height, width) of float32, float64, uint8 or uint16 magnitudes or complex64 values"
        let array = try NumpyInput.read(path: path, what: what, limits: limits)
        var shape = array.shape
        if shape.count == 3 && shape[0] == 1 { shape.removeFirst() }
        guard shape.count == 2, shape[0] > 0, shape[1] > 0 else {
            throw DataError.malformed(file: path, problem: "shape is \(array.shape); expected (height, width) magnitudes")
        }
        guard shape[0] * shape[1] <= limits.maxPixels else {
            throw DataError.malformed(file: path, problem: "image is \(shape[1]) × \(shape[0]) pixels; expected at most \(limits.maxPixels) pixels")
        }
        // floats() gives a complex element's magnitude |z|.
        let values = try NumpyInput.finiteFloats(array, path: path, allowed: [.float32, .float64, .uint8, .uint16, .complex64],
                                                 what: "SAR values")
        if let negative = values.firstIndex(where: { $0 < 0 }) {
            throw DataError.malformed(file: path, problem: "element \(negative) is \(values[negative]); expected magnitudes ≥ 0 (dB data must be converted to magnitude first)")
        }
        let peak = values.max() ?? 0
        return Sample(modality: .sar, path: path, content: .sar(SARScaling.peakNormalised(Tensor(shape: shape, scalars: values))),
                      conversion: Self.reading(array.dtype) + Self.scaling(peak: peak))
    }

    /// How values of `dtype` became magnitudes, in words.
    static func reading(_ dtype: NumpyDType) -> String {
        switch dtype {
        case .complex64: return "single-look complex (complex64): magnitude |z| taken, phase dropped"
        case .float64: return "float64 magnitudes read as float32"
        case .uint8, .uint16: return "\(dtype) magnitudes"
        default: return "float32 magnitudes"
        }
    }
}

import SparkEngine
import SparkFormats

/// hsi: one pixel's spectrum → `.spectrum([bands], wavelengths)`, read from
///
/// - an NPY cube `(H, W, bands)` with options `row` and `col` choosing the pixel (both required);
/// - an NPY spectrum `(bands,)` (no options);
/// - a CSV spectrum (see `SpectrumCSV`; no options);
/// - a GeoTIFF or ENVI raster `(bands, H, W)` read through GDAL (`HSILoader+Raster.swift`; options
///   `row` and `col`, and `bands`).
///
/// NPY files may have a band sidecar `<name>.json` giving wavelengths; CSV files carry their own.
/// Values must be finite; dtype float32, float64, uint8, uint16 or int16. Integer sensor counts
/// are kept as they are (hyperspectral products differ in scale, and the model standardises each
/// spectrum); the sample says which dtype was read (`Sample.conversion`).
public struct HSILoader: SampleLoader {
    public init() {}
    public var modality: Modality { .hsi }
    public var fileExtensions: [String] { ["npy", "csv", "txt"] + RasterInput.fileExtensions }

    public func load(path: String, options: [String: String], limits: LoadLimits) throws -> Sample {
        if RasterInput.handles(path) { return try loadRaster(path: path, options: options, limits: limits) }
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") || lower.hasSuffix(".txt") {
            _ = try LoaderOptions(options, file: path, allowed: [])
            let spectrum = try SpectrumCSV.read(path: path, limits: limits)
            return Sample(modality: .hsi, path: path,
                          content: .spectrum(Tensor(shape: [spectrum.values.count], scalars: spectrum.values), wavelengths: spectrum.wavelengths))
        }
        let parsed = try LoaderOptions(options, file: path, allowed: ["row", "col"])
        let what = "a hyperspectral cube (height, width, bands) or spectrum (bands,) in NPY"
        let array = try NumpyInput.read(path: path, what: what, limits: limits)
        let allowed: [NumpyDType] = [.float32, .float64, .uint8, .uint16, .int16]
        let spectrum: [Float]
        switch array.shape.count {
        case 1:
            guard options.isEmpty else {
                throw DataError.invalidArgument("\(path): options row/col choose a pixel of a cube, but this file holds one spectrum of shape \(array.shape)")
            }
            guard array.shape[0] >= 2 else {
                throw DataError.malformed(file: path, problem: "shape is \(array.shape); expected a spectrum of at least 2 bands")
            }
            spectrum = try NumpyInput.finiteFloats(array, path: path, allowed: allowed, what: "the spectrum")
        case 3:
            let (height, width, bands) = (array.shape[0], array.shape[1], array.shape[2])
            guard height > 0, width > 0, bands >= 2 else {
                throw DataError.malformed(file: path, problem: "shape is \(array.shape); expected (height, width, bands) with at least 2 bands")
            }
            guard let row = try parsed.integer("row", in: 0...Int.max), let col = try parsed.integer("col", in: 0...Int.max) else {
                throw DataError.invalidArgument("\(path): a cube of \(height) × \(width) pixels needs options row and col (e.g. \(path)#row=0&col=0) to choose a pixel")
            }
            guard row < height, col < width else {
                throw DataError.invalidArgument("\(path): pixel row=\(row), col=\(col) is outside the \(height) × \(width) cube; expected row < \(height), col < \(width)")
            }
            guard allowed.contains(array.dtype) else {
                throw DataError.malformed(file: path, problem: "dtype is \(array.dtype); expected " + allowed.map { "\($0)" }.joined(separator: " or "))
            }
            let start = (row * width + col) * bands
            let values = Array(array.floats()[start..<(start + bands)])
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw DataError.malformed(file: path, problem: "band \(bad) of pixel (\(row), \(col)) is \(values[bad]); expected finite values")
            }
            spectrum = values
        default:
            throw DataError.malformed(file: path, problem: "shape is \(array.shape); expected a cube (height, width, bands) or a spectrum (bands,)")
        }
        let bands = spectrum.count
        let sidecar = try BandSidecar.read(for: path, bandCount: bands, limits: limits)
        return Sample(modality: .hsi, path: path,
                      content: .spectrum(Tensor(shape: [bands], scalars: spectrum), wavelengths: sidecar?.wavelengths ?? []),
                      conversion: Self.conversion(array.dtype))
    }

    /// How an NPY spectrum's values were read, in words.
    static func conversion(_ dtype: NumpyDType) -> String {
        switch dtype {
        case .float32: return "float32 values, not rescaled"
        case .float64: return "float64 values read as float32, not rescaled"
        default: return "\(dtype) sensor counts as they are, not rescaled"
        }
    }
}

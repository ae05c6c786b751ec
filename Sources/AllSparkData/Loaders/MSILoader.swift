import SparkEngine
import SparkFormats

/// msi: an NPY array `(bands, H, W)` with an optional band sidecar `<name>.json` (band names,
/// centre wavelengths in nm) → `.multispectral`. No options. A GeoTIFF or ENVI raster is read
/// through GDAL instead (`MSILoader+Raster.swift`; options `bands`, `window`). The dtype (a
/// raster's stored type) decides the scaling, and the sample says which it was (`Sample.conversion`):
/// - float32 or float64: reflectance (or whatever the model was trained on) as it is;
/// - uint16: digital numbers × 1/10000, Sentinel-2 L1C's and EuroSAT's quantification;
/// - uint8 or int16: digital numbers as they are (8-bit Landsat MSS/TM scenes, such as the
///   Statlog set the trained model learned from, store them so; the configuration's per-band
///   mean and standard deviation then standardise them).
public struct MSILoader: SampleLoader {
    public init() {}
    public var modality: Modality { .msi }
    public var fileExtensions: [String] { ["npy"] + RasterInput.fileExtensions }

    /// Sentinel-2's quantification value: reflectance = DN / 10000.
    public static let digitalNumberScale: Float = 1.0 / 10000
    /// More bands than this is a hyperspectral cube or a mistake.
    public static let maxBands = 512

    public func load(path: String, options: [String: String], limits: LoadLimits) throws -> Sample {
        if RasterInput.handles(path) { return try loadRaster(path: path, options: options, limits: limits) }
        _ = try LoaderOptions(options, file: path, allowed: [])
        let what = "a multispectral image, NPY (bands, height, width) of float32, float64, uint8, uint16 or int16"
        let array = try NumpyInput.read(path: path, what: what, limits: limits)
        guard array.shape.count == 3 else {
            throw DataError.malformed(file: path, problem: "shape is \(array.shape); expected (bands, height, width)")
        }
        let (bands, height, width) = (array.shape[0], array.shape[1], array.shape[2])
        guard bands >= 1, bands <= Self.maxBands, height > 0, width > 0 else {
            throw DataError.malformed(file: path, problem: "shape is \(array.shape); expected 1 to \(Self.maxBands) bands of a non-empty image (bands first)")
        }
        guard height * width <= limits.maxPixels else {
            throw DataError.malformed(file: path, problem: "image is \(width) × \(height) pixels; expected at most \(limits.maxPixels) pixels")
        }
        var values = try NumpyInput.finiteFloats(array, path: path, allowed: [.float32, .float64, .uint8, .uint16, .int16],
                                                 what: "multispectral bands")
        let conversion = Self.scale(&values, dtype: array.dtype)
        let sidecar = try BandSidecar.read(for: path, bandCount: bands, limits: limits)
        return Sample(modality: .msi, path: path,
                      content: .multispectral(Tensor(shape: [bands, height, width], scalars: values),
                                              bandNames: sidecar?.bands ?? [], wavelengths: sidecar?.wavelengths ?? []),
                      conversion: conversion)
    }

    /// Applies `dtype`'s scaling rule (above) to `values`, and says in words what it did.
    static func scale(_ values: inout [Float], dtype: NumpyDType) -> String {
        switch dtype {
        case .uint16:
            for i in values.indices { values[i] *= digitalNumberScale }
            return "uint16 digital numbers × 1/10000 (Sentinel-2 reflectance)"
        case .uint8, .int16: return "\(dtype) digital numbers as they are"
        case .float64: return "float64 values read as float32, not rescaled"
        default: return "float32 values, not rescaled"
        }
    }
}

import SparkEngine
import SparkFormats

/// msi from a GeoTIFF or ENVI raster: its bands (or those `bands=` names), over the whole raster
/// (or `window=x,y,w,h`), scaled by the stored type exactly as the NPY path scales that dtype, so
/// a raster written from an NPY array gives the same sample. Band names come from the band
/// descriptions and wavelengths from the band metadata, when every chosen band has them.
extension MSILoader {
    static let rasterTypes: [NumpyDType] = [.float32, .float64, .uint8, .uint16, .int16]

    func loadRaster(path: String, options: [String: String], limits: LoadLimits) throws -> Sample {
        let parsed = try LoaderOptions(options, file: path, allowed: ["bands", "window"])
        let raster = try RasterInput.open(path, what: "a multispectral GeoTIFF or ENVI raster of Byte, UInt16, Int16, Float32 or Float64 bands")
        let indices = try RasterSelection.bands(parsed.string("bands"), of: raster)
        guard indices.count <= Self.maxBands else {
            throw DataError.malformed(file: raster.path, problem: "\(indices.count) bands chosen; expected 1 to \(Self.maxBands) (choose some with bands=…)")
        }
        let window = try RasterSelection.window(parsed.string("window"), of: raster)
        var bands = try RasterInput.read(raster, bands: indices, window: window, types: Self.rasterTypes,
                                         what: "multispectral bands", limits: limits)
        let scaling = Self.scale(&bands.values, dtype: bands.dtype)
        let tensor = Tensor(shape: [bands.count, bands.height, bands.width], scalars: bands.values)
        return Sample(modality: .msi, path: path,
                      content: .multispectral(tensor, bandNames: bands.names, wavelengths: bands.wavelengths),
                      conversion: scaling + "; " + bands.notes, georeference: bands.georeference)
    }
}

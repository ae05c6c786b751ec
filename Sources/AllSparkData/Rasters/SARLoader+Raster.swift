import SparkEngine
import SparkFormats

/// sar from a GeoTIFF or ENVI raster: one band of magnitudes (a multi-band file, such as VV and VH,
/// needs `bands=` naming one), over the whole raster or `window=x,y,w,h`, divided by its peak as
/// the NPY path does. Complex bands (CFloat32, and CInt16 as Sentinel-1 SLC stores them) give
/// their magnitude |z|, as complex64 NPY arrays do.
extension SARLoader {
    func loadRaster(path: String, options: [String: String], limits: LoadLimits) throws -> Sample {
        let parsed = try LoaderOptions(options, file: path, allowed: ["bands", "window"])
        let raster = try RasterInput.open(path, what: "a SAR GeoTIFF or ENVI raster of Byte, UInt16, Float32 or Float64 magnitudes, or CInt16/CFloat32 complex values")
        let indices = try RasterSelection.bands(parsed.string("bands"), of: raster)
        guard indices.count == 1 else {
            let names = raster.bands.map(RasterDescription.label).joined(separator: ", ")
            throw DataError.invalidArgument("\(path): \(indices.count) bands chosen, but a SAR sample is one band of magnitudes; expected the option bands= naming one of \(names) (e.g. \(path)#bands=1)")
        }
        let window = try RasterSelection.window(parsed.string("window"), of: raster)
        let band = try RasterInput.read(raster, bands: indices, window: window, types: [.float32, .float64, .uint8, .uint16, .complex64],
                                        what: "SAR values", limits: limits)
        if let negative = band.values.firstIndex(where: { $0 < 0 }) {
            throw DataError.malformed(file: raster.path, problem: "the pixel at row \(window.y + negative / window.width), column \(window.x + negative % window.width) is \(band.values[negative]); expected magnitudes ≥ 0 (dB data must be converted to magnitude first)")
        }
        let peak = band.values.max() ?? 0
        return Sample(modality: .sar, path: path,
                      content: .sar(SARScaling.peakNormalised(Tensor(shape: [band.height, band.width], scalars: band.values))),
                      conversion: Self.reading(band.dtype) + Self.scaling(peak: peak) + "; " + band.notes,
                      georeference: band.georeference)
    }
}

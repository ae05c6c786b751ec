import SparkEngine
import SparkFormats

/// hsi from a GeoTIFF or ENVI cube `(bands, H, W)`: the spectrum of the pixel at options `row` and
/// `col` (not needed for a 1 × 1 raster), over every band or those `bands=` names: the same
/// `.spectrum` the NPY cube `(H, W, bands)` path gives for the same pixel. Values as stored, as
/// there; wavelengths from the band metadata (ENVI's `wavelength`), when every chosen band has one.
extension HSILoader {
    func loadRaster(path: String, options: [String: String], limits: LoadLimits) throws -> Sample {
        let parsed = try LoaderOptions(options, file: path, allowed: ["row", "col", "bands"])
        let raster = try RasterInput.open(path, what: "a hyperspectral GeoTIFF or ENVI cube of Byte, UInt16, Int16, Float32 or Float64 bands")
        let indices = try RasterSelection.bands(parsed.string("bands"), of: raster)
        guard indices.count >= 2 else {
            throw DataError.malformed(file: raster.path, problem: "\(indices.count) band chosen; expected a spectrum of at least 2 bands")
        }
        let (height, width) = (raster.height, raster.width)
        let row = try parsed.integer("row", in: 0...Int.max), col = try parsed.integer("col", in: 0...Int.max)
        let single = height == 1 && width == 1
        guard let row = row ?? (single ? 0 : nil), let col = col ?? (single ? 0 : nil) else {
            throw DataError.invalidArgument("\(path): a cube of \(height) × \(width) pixels needs options row and col (e.g. \(path)#row=0&col=0) to choose a pixel")
        }
        guard row < height, col < width else {
            throw DataError.invalidArgument("\(path): pixel row=\(row), col=\(col) is outside the \(height) × \(width) cube; expected row < \(height), col < \(width)")
        }
        let bands = try RasterInput.read(raster, bands: indices, window: RasterWindow(x: col, y: row, width: 1, height: 1),
                                         types: MSILoader.rasterTypes, what: "spectrum values", limits: limits)
        return Sample(modality: .hsi, path: path,
                      content: .spectrum(Tensor(shape: [bands.count], scalars: bands.values), wavelengths: bands.wavelengths),
                      conversion: Self.conversion(bands.dtype) + "; pixel row=\(row), col=\(col); " + bands.notes,
                      georeference: bands.georeference)
    }
}

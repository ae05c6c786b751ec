import CGDAL
import Foundation
import SparkFormats

/// GeoTIFF and ENVI samples for the msi, hsi and sar loaders, read through GDAL (`GDALRaster`).
/// Opening resolves an ENVI header to its data file and checks what the header claims; reading
/// checks the chosen bands and window against `LoadLimits` before GDAL allocates or reads a pixel,
/// then masks the nodata value. Each loader then scales the values by the same rules as its NPY
/// path, chosen by the stored type's numpy name (`RasterBands.dtype`).
enum RasterInput {
    /// The extensions the raster loaders accept beside their own: GeoTIFF, an ENVI header, or an
    /// ENVI data file.
    static let fileExtensions = ["tif", "tiff", "hdr"] + ENVIFiles.dataExtensions

    static func handles(_ path: String) -> Bool {
        fileExtensions.contains((path as NSString).pathExtension.lowercased())
    }

    /// GDAL's data types the loaders read, by the numpy type whose scaling rule they follow. GDAL
    /// widens CInt16 (Sentinel-1 SLC) exactly to complex float32, hence complex64.
    static let numpyTypes: [(gdal: GDALDataType, numpy: NumpyDType)] = [
        (GDT_Byte, .uint8), (GDT_UInt16, .uint16), (GDT_Int16, .int16),
        (GDT_Float32, .float32), (GDT_Float64, .float64), (GDT_CFloat32, .complex64), (GDT_CInt16, .complex64),
    ]

    /// Opens `path`, a GeoTIFF, an ENVI data file or an ENVI header, and checks the header's sizes:
    /// at least one band of a non-empty image, and bands × height × width addressable.
    static func open(_ path: String, what: String) throws -> GDALRaster {
        let dataPath = try ENVIFiles.dataFile(for: path)
        let size = try BoundedFile.size(of: dataPath, what: what)
        guard size > 0 else { throw DataError.malformed(file: dataPath, problem: "the file is empty; expected \(what)") }
        try ENVIFiles.checkDataSize(of: dataPath, size: size)
        let raster = try GDALRaster(path: dataPath, what: what)
        guard raster.width > 0, raster.height > 0, !raster.bands.isEmpty else {
            throw DataError.malformed(file: dataPath, problem: "the raster is \(raster.width) × \(raster.height) pixels with \(raster.bands.count) bands; expected a non-empty image with at least one band")
        }
        _ = try CheckedArithmetic.product([raster.bands.count, raster.height, raster.width], file: dataPath, field: "bands × height × width")
        return raster
    }

    /// Bands `indices` (1-based) of `window`, bands first, with each band's nodata pixels replaced
    /// by the mean of its other pixels in the window. `types`: the numpy types the loader's NPY
    /// path accepts; `what` names the values for errors.
    static func read(_ raster: GDALRaster, bands indices: [Int], window: RasterWindow, types: [NumpyDType], what: String,
                     limits: LoadLimits) throws -> RasterBands {
        let path = raster.path
        let chosen = indices.map { raster.bands[$0 - 1] }
        let dtype = try storedType(chosen, types: types, path: path, what: what)
        let pixels = try CheckedArithmetic.product([window.width, window.height], file: path, field: "the window's width × height")
        guard pixels <= limits.maxPixels else {
            throw DataError.malformed(file: path, problem: "the \(window) holds \(pixels) pixels; expected at most \(limits.maxPixels) (choose a smaller part with window=x,y,w,h)")
        }
        let values = try CheckedArithmetic.product([chosen.count, pixels], file: path, field: "bands × window pixels")
        guard values <= limits.maxElements else {
            throw DataError.malformed(file: path, problem: "\(chosen.count) bands of the \(window) are \(values) values; expected at most \(limits.maxElements) (choose fewer bands or a smaller window)")
        }
        // GDAL reads whole blocks (tiles, strips, ENVI lines) into its cache: a header claiming
        // enormous blocks would make it allocate them, however small the window.
        for band in chosen {
            let block = try CheckedArithmetic.product([band.blockWidth, band.blockHeight], file: path, field: "band \(band.index)'s block size")
            guard block <= limits.maxElements else {
                throw DataError.malformed(file: path, problem: "band \(band.index) is stored in blocks of \(band.blockWidth) × \(band.blockHeight) pixels; expected at most \(limits.maxElements) pixels per block")
            }
        }
        var scalars = try raster.read(bands: indices, window: window, magnitude: dtype == .complex64)
        var masked = 0
        for (offset, band) in chosen.enumerated() {
            masked += try maskNodata(&scalars[(offset * pixels)..<((offset + 1) * pixels)], band: band, window: window, path: path, what: what)
        }
        let named = chosen.allSatisfy { !$0.name.isEmpty }
        let wavelengths = chosen.compactMap(\.wavelength)
        return RasterBands(values: scalars, count: chosen.count, height: window.height, width: window.width,
                           names: named ? chosen.map(\.name) : [],
                           wavelengths: wavelengths.count == chosen.count ? wavelengths : [],
                           dtype: dtype,
                           notes: RasterDescription.notes(raster, bands: chosen, window: window, masked: masked, of: values),
                           georeference: RasterDescription.georeference(raster, window: window))
    }

    /// The numpy type of the bands' common GDAL type, when it is one of `types`.
    private static func storedType(_ bands: [GDALRaster.Band], types: [NumpyDType], path: String, what: String) throws -> NumpyDType {
        let accepted = numpyTypes.filter { types.contains($0.numpy) }
        let expected = accepted.map { String(cString: GDALGetDataTypeName($0.gdal)) }.joined(separator: ", ")
        guard let first = bands.first, bands.allSatisfy({ $0.dataType == first.dataType }) else {
            throw DataError.malformed(file: path, problem: "the chosen bands have types \(bands.map(\.typeName).joined(separator: ", ")); expected one type (\(expected)) for \(what)")
        }
        guard let match = accepted.first(where: { $0.gdal == first.dataType }) else {
            throw DataError.malformed(file: path, problem: "bands are \(first.typeName); expected \(expected) for \(what)")
        }
        return match.numpy
    }

    /// Replaces `band`'s nodata values by the mean of its other values and returns how many there
    /// were; fails when every value is nodata, or when a value left is not finite.
    private static func maskNodata(_ values: inout ArraySlice<Float>, band: GDALRaster.Band, window: RasterWindow,
                                   path: String, what: String) throws -> Int {
        var masked = 0
        if let nodata = band.nodata {
            let marker = Float(nodata)
            let isNodata: (Float) -> Bool = nodata.isNaN ? { $0.isNaN } : { $0 == marker }
            var sum = 0.0, valid = 0
            for value in values where !isNodata(value) { sum += Double(value); valid += 1 }
            masked = values.count - valid
            guard valid > 0 else {
                throw DataError.malformed(file: path, problem: "every pixel of band \(band.index)\(band.name.isEmpty ? "" : " (\(band.name))") in the \(window) is the nodata value \(nodata); expected some pixels with data")
            }
            if masked > 0 {
                let mean = Float(sum / Double(valid))
                for i in values.indices where isNodata(values[i]) { values[i] = mean }
            }
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            let pixel = bad - values.startIndex
            throw DataError.malformed(file: path, problem: "band \(band.index), row \(window.y + pixel / window.width), column \(window.x + pixel % window.width) is \(values[bad]); expected finite \(what) (or a nodata value that marks such pixels)")
        }
        return masked
    }
}

/// What `RasterInput.read` returns: values bands first, and what the sample says about them.
struct RasterBands {
    /// `count × height × width` values, bands first, nodata replaced.
    var values: [Float]
    var count: Int
    var height: Int
    var width: Int
    /// One name per band when every band has one, else empty; wavelengths (nm) likewise.
    var names: [String]
    var wavelengths: [Float]
    /// The stored type as numpy names it, which decides the loader's scaling rule.
    var dtype: NumpyDType
    /// Driver, size, bands read, type, georeferencing, nodata, GDAL's warnings: for `Sample.conversion`.
    var notes: String
    /// The window's CRS and corner in short, for `Sample.georeference`; nil without either.
    var georeference: String?
}

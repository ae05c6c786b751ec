import Foundation

/// `allspark inspect` for rasters (GeoTIFF, ENVI): a brief gdalinfo, the facts the msi, hsi and
/// sar loaders use. It lives here rather than beside SparkFormats' inspections because GDAL is a
/// dependency of this module only.
public struct RasterInspection: Sendable {
    public let text: String
    public let json: String

    /// Whether `path` is a raster this inspection reads (by extension: `.tif`, `.tiff`, `.hdr`, and
    /// ENVI data files such as `.img`).
    public static func handles(_ path: String) -> Bool { RasterInput.handles(path) }

    public init(path: String) throws {
        let raster = try RasterInput.open(path, what: "a GeoTIFF or an ENVI raster (.hdr with its data file)")
        var lines = ["Driver: \(raster.driver)/\(raster.driverLongName)",
                     "Files: " + (raster.files.isEmpty ? raster.path : raster.files.joined(separator: ", ")),
                     "Size: \(raster.width) × \(raster.height) pixels, \(raster.bands.count) bands",
                     "Georeferencing: " + RasterDescription.geoTransform(raster),
                     "CRS: " + (raster.crs ?? "none")]
        var bands: [[String: Any]] = []
        for band in raster.bands {
            var facts = ["\(band.typeName)", "block \(band.blockWidth) × \(band.blockHeight)"]
            var entry: [String: Any] = ["index": band.index, "type": band.typeName, "description": band.description,
                                        "block": [band.blockWidth, band.blockHeight]]
            if !band.description.isEmpty { facts.insert("\"\(band.description)\"", at: 1) }
            if let nodata = band.nodata { facts.append("nodata \(RasterDescription.number(nodata))"); entry["nodata"] = RasterDescription.number(nodata) }
            if let wavelength = band.wavelength { facts.append("wavelength \(wavelength) nm"); entry["wavelength_nm"] = Double(wavelength) }
            if let scale = band.scale { facts.append("scale \(scale)"); entry["scale"] = scale }
            if let offset = band.offset { facts.append("offset \(offset)"); entry["offset"] = offset }
            lines.append("Band \(band.index): " + facts.joined(separator: ", "))
            bands.append(entry)
        }
        lines += raster.warnings.map { "GDAL warned: \($0)" }
        text = lines.joined(separator: "\n") + "\n"
        var object: [String: Any] = ["path": path, "driver": raster.driver, "files": raster.files,
                                     "width": raster.width, "height": raster.height, "bands": bands]
        if let transform = raster.geoTransform { object["geotransform"] = transform }
        if let crs = raster.crs { object["crs"] = crs }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        json = String(decoding: data, as: UTF8.self) + "\n"
    }
}

import Foundation

/// How a raster sample and its file are described in words: the sample's notes (one line, after
/// the scaling rule, in the sample stage) and the facts `RasterInspection` lists one per line.
enum RasterDescription {
    /// "GeoTIFF (GTiff) 20 × 12 pixels, 13 bands"
    static func size(_ raster: GDALRaster) -> String {
        "\(raster.driverLongName) (\(raster.driver)) \(raster.width) × \(raster.height) pixels, \(raster.bands.count) band\(raster.bands.count == 1 ? "" : "s")"
    }

    /// "origin (399960, 5000040), pixel size (10, -10)", or that the file has no geotransform.
    static func geoTransform(_ raster: GDALRaster) -> String {
        guard let t = raster.geoTransform else { return "no geotransform" }
        let rotated = t[2] != 0 || t[4] != 0 ? ", rotation (\(number(t[2])), \(number(t[4])))" : ""
        return "origin (\(number(t[0])), \(number(t[3]))), pixel size (\(number(t[1])), \(number(t[5])))" + rotated
    }

    static func crs(_ raster: GDALRaster) -> String { raster.crs.map { "CRS \($0)" } ?? "no CRS" }

    /// The caption's short form: the CRS's code (the part before its name), the window's upper-left
    /// corner in the CRS and the pixel size; nil when the file has neither a CRS nor a geotransform.
    static func georeference(_ raster: GDALRaster, window: RasterWindow) -> String? {
        var parts: [String] = []
        if let crs = raster.crs { parts.append(crs.components(separatedBy: " (").first ?? crs) }
        if let t = raster.geoTransform {
            let x = t[0] + Double(window.x) * t[1] + Double(window.y) * t[2]
            let y = t[3] + Double(window.x) * t[4] + Double(window.y) * t[5]
            parts.append("origin (\(number(x)), \(number(y))), pixel \(number(abs(t[1]))) × \(number(abs(t[5])))")
        }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    /// "3 (B3)" or "3" for a band without a name.
    static func label(_ band: GDALRaster.Band) -> String { band.name.isEmpty ? "\(band.index)" : "\(band.index) (\(band.name))" }

    /// The sample's notes: the file, the bands and window read, the type, georeferencing, how
    /// nodata pixels were replaced, a scale/offset that was not applied and GDAL's warnings.
    static func notes(_ raster: GDALRaster, bands: [GDALRaster.Band], window: RasterWindow, masked: Int, of values: Int) -> String {
        let whole = window == RasterWindow(x: 0, y: 0, width: raster.width, height: raster.height)
        let all = bands.map(\.index) == raster.bands.map(\.index)
        let shown = bands.prefix(8).map(label).joined(separator: ", ") + (bands.count > 8 ? ", … (\(bands.count) in all)" : "")
        var parts = [size(raster),
                     (all ? "read all bands" : "read bands \(shown)") + (whole ? "" : " of the \(window)"),
                     bands.first?.typeName ?? "", geoTransform(raster), crs(raster)]
        let nodata = Set(bands.compactMap(\.nodata).map(number))
        if nodata.isEmpty {
            parts.append("no nodata value")
        } else {
            let replaced = masked == 0 ? "none in the values read" : "\(masked) of \(values) values replaced by the mean of their band's other pixels"
            parts.append("nodata \(nodata.sorted().joined(separator: ", ")): \(replaced)")
        }
        if bands.contains(where: { $0.scale != nil || $0.offset != nil }) {
            parts.append("the file's scale/offset metadata is not applied")
        }
        if !raster.warnings.isEmpty { parts.append("GDAL warned: " + raster.warnings.joined(separator: "; ")) }
        return parts.joined(separator: "; ")
    }

    /// A coordinate or size as short as it reads exactly: 10, -10, 399960, 0.000269494585236.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.15g", value)
    }
}

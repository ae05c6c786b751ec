import CGDAL
import Foundation

/// A raster file opened read-only through GDAL: its header facts (driver, size, bands, geotransform,
/// CRS) read once at opening, and windows of bands read as Float32 on request. Only the drivers
/// in `allowedDrivers` may open a file, so that a sample path never reaches one of GDAL's hundred
/// other drivers (some of which follow links to other files or URLs).
///
/// Every GDAL call runs inside `GDALErrors.capturing`, and a failure becomes a `DataError` that
/// names the file and carries GDAL's message. Reading checks nothing about sizes: callers choose
/// the window and check it against `LoadLimits` first (`RasterInput`).
final class GDALRaster {
    /// GeoTIFF and ENVI (`.hdr` + raw data), the formats msi, hsi and sar samples come in.
    static let allowedDrivers = ["GTiff", "ENVI"]

    /// One band's facts. `index` is GDAL's, 1-based.
    struct Band {
        var index: Int
        /// The band's description as stored ("B8A"; ENVI's "Band A (450.5 Nanometers)").
        var description: String
        /// The description without what ENVI adds from the wavelength (" (450.5 Nanometers)"; all
        /// of it when the header lists no names): the name a `bands=` option matches and the
        /// sample shows.
        var name: String
        var dataType: GDALDataType
        var typeName: String
        var nodata: Double?
        /// Centre wavelength in nm, when the band's metadata gives one in nm or µm.
        var wavelength: Float?
        /// The file's scale and offset for this band, when they are not 1 and 0 (not applied).
        var scale: Double?
        var offset: Double?
        var blockWidth: Int
        var blockHeight: Int
    }

    let path: String
    /// GDAL's short and long driver names ("GTiff", "GeoTIFF").
    let driver: String
    let driverLongName: String
    let width: Int
    let height: Int
    let bands: [Band]
    /// GDAL's six affine coefficients (origin x, pixel width, row rotation, origin y, column
    /// rotation, pixel height), or nil when the file has none.
    let geoTransform: [Double]?
    /// The CRS in short: "EPSG:32633 (WGS 84 / UTM zone 33N)", or nil when the file has none.
    let crs: String?
    /// The files GDAL read for this dataset (ENVI: the data file, then the header).
    let files: [String]
    /// GDAL's warnings while opening and reading (shown in the sample's notes).
    private(set) var warnings: [String] = []
    private let handle: GDALDatasetH

    /// Opens `path`; `what` says what the caller expected, for the error when GDAL cannot.
    init(path: String, what: String) throws {
        self.path = path
        let (handle, explanation, openWarnings) = GDALErrors.capturing { messages in
            let flags = UInt32(GDAL_OF_RASTER | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR)
            let handle = Self.withCStringList(Self.allowedDrivers) { GDALOpenEx(path, flags, $0, nil, nil) }
            return (handle, messages.explanation, messages.warnings)
        }
        guard let opened = handle else {
            throw DataError.malformed(file: path, problem: "GDAL cannot open it as \(Self.allowedDrivers.joined(separator: " or "))\(explanation); expected \(what)")
        }
        self.handle = opened
        let driver = String(cString: GDALGetDriverShortName(GDALGetDatasetDriver(opened)))
        (self.driver, driverLongName) = (driver, String(cString: GDALGetDriverLongName(GDALGetDatasetDriver(opened))))
        (width, height) = (Int(GDALGetRasterXSize(opened)), Int(GDALGetRasterYSize(opened)))
        // The header facts, with whatever GDAL says while reading them (a CRS it cannot parse …).
        var transform = [Double](repeating: 0, count: 6)
        (bands, geoTransform, crs, files, warnings) = GDALErrors.capturing { messages in
            let bands = (0..<Int(GDALGetRasterCount(opened))).compactMap { offset in
                GDALGetRasterBand(opened, Int32(offset + 1)).map { Self.band($0, index: offset + 1, stripsWavelength: driver == "ENVI") }
            }
            let geoTransform = GDALGetGeoTransform(opened, &transform) == CE_None ? transform : nil
            let crs = GDALGetSpatialRef(opened).map(Self.shortName)
            return (bands, geoTransform, crs, Self.fileList(opened), openWarnings + messages.warnings)
        }
    }

    deinit {
        GDALErrors.capturing { _ in GDALClose(handle) }
    }

    /// Bands `indices` (1-based) of `window`, bands first, as Float32: GDAL converts 8- and 16-bit
    /// integers to their values and float64 to the nearest float32. With `magnitude`, complex
    /// bands are read as complex float32 and each value's modulus |z| is returned.
    func read(bands indices: [Int], window: RasterWindow, magnitude: Bool) throws -> [Float] {
        let count = try CheckedArithmetic.product([indices.count, window.width, window.height], file: path, field: "the window's values")
        var map = indices.map { Int32($0) }
        let (x, y, w, h) = (Int32(window.x), Int32(window.y), Int32(window.width), Int32(window.height))
        var values = [Float](repeating: 0, count: magnitude ? 2 * count : count)
        let failure: String? = GDALErrors.capturing { messages in
            let status = values.withUnsafeMutableBytes { buffer in
                GDALDatasetRasterIO(handle, GF_Read, x, y, w, h, buffer.baseAddress, w, h,
                                    magnitude ? GDT_CFloat32 : GDT_Float32, Int32(map.count), &map, 0, 0, 0)
            }
            warnings += messages.warnings
            return status == CE_None ? nil : messages.explanation
        }
        if let failure {
            throw DataError.malformed(file: path, problem: "reading bands \(indices.map(String.init).joined(separator: ", ")) of \(window) failed\(failure); expected pixel data for every block the header declares (is the file truncated?)")
        }
        guard magnitude else { return values }
        return (0..<count).map { hypotf(values[2 * $0], values[2 * $0 + 1]) }
    }

    // MARK: - Opening

    private static func band(_ band: GDALRasterBandH, index: Int, stripsWavelength: Bool) -> Band {
        let description = String(cString: GDALGetDescription(band))
        let dataType = GDALGetRasterDataType(band)
        var hasNodata: Int32 = 0
        let nodata = GDALGetRasterNoDataValue(band, &hasNodata)
        var hasScale: Int32 = 0, hasOffset: Int32 = 0
        let scale = GDALGetRasterScale(band, &hasScale), offset = GDALGetRasterOffset(band, &hasOffset)
        var blockWidth: Int32 = 0, blockHeight: Int32 = 0
        GDALGetBlockSize(band, &blockWidth, &blockHeight)
        let item = { (key: String) in GDALGetMetadataItem(band, key, nil).map { String(cString: $0) } }
        let wavelength = RasterWavelength.nanometres(item("wavelength"), units: item("wavelength_units"))
        var name = description
        // ENVI describes a band as "name (450.5 Nanometers)" when its header lists names and
        // wavelengths, and as "450.5 Nanometers" when it lists wavelengths only: the name is what
        // the header listed, if anything.
        if stripsWavelength, let value = item("wavelength") {
            let stated = value + (item("wavelength_units").map { " " + $0 } ?? "")
            if description == stated { name = "" }
            else if description.hasSuffix(" (\(stated))") { name = String(description.dropLast(stated.count + 3)) }
        }
        return Band(index: index, description: description, name: name.trimmingCharacters(in: .whitespaces),
                    dataType: dataType, typeName: String(cString: GDALGetDataTypeName(dataType)),
                    nodata: hasNodata != 0 ? nodata : nil, wavelength: wavelength,
                    scale: hasScale != 0 && scale != 1 ? scale : nil, offset: hasOffset != 0 && offset != 0 ? offset : nil,
                    blockWidth: Int(blockWidth), blockHeight: Int(blockHeight))
    }

    /// "EPSG:32633 (WGS 84 / UTM zone 33N)"; without an authority code, the CRS's name; without a
    /// name, the first words of its WKT.
    private static func shortName(_ reference: OGRSpatialReferenceH) -> String {
        let name = OSRGetName(reference).map { String(cString: $0) }
        if let authority = OSRGetAuthorityName(reference, nil), let code = OSRGetAuthorityCode(reference, nil) {
            return "\(String(cString: authority)):\(String(cString: code))" + (name.map { " (\($0))" } ?? "")
        }
        if let name, !name.isEmpty { return name }
        var wkt: UnsafeMutablePointer<CChar>?
        guard OSRExportToWkt(reference, &wkt) == OGRERR_NONE, let wkt else { return "unnamed CRS" }
        defer { VSIFree(wkt) } // CPLFree is a macro for VSIFree
        return String(String(cString: wkt).prefix(60))
    }

    private static func fileList(_ handle: GDALDatasetH) -> [String] {
        guard let list = GDALGetFileList(handle) else { return [] }
        defer { CSLDestroy(list) }
        var files: [String] = []
        var index = 0
        while let entry = list[index] {
            files.append(String(cString: entry))
            index += 1
        }
        return files
    }

    /// A NULL-terminated C array of C strings for GDAL's `char **` lists, valid during `body`.
    private static func withCStringList<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } } + [nil]
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

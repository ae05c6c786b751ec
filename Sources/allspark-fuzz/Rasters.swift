#if ALLSPARK_FUZZ
import AllSparkData
import Foundation

extension FuzzTarget {
    /// A GeoTIFF through GDAL (the msi loader: open, band and size checks, read, nodata, notes).
    /// GDAL itself is not instrumented; this searches our wrapper and what GDAL hands back to it.
    static let geotiff = FuzzTarget(name: "geotiff", maxLength: 16 << 10) { bytes in
        _ = try MSILoader().load(path: FuzzFile.write(bytes, extension: "tif"), options: [:], limits: limits)
    }

    /// An ENVI header (`.hdr`) beside a fixed 1,440-byte data file: our size check of the header
    /// against the data, then GDAL's ENVI driver on the same header.
    static let envi = FuzzTarget(name: "envi", maxLength: 4 << 10) { bytes in
        let header = try FuzzFile.write(bytes, extension: "hdr")
        let data = (header as NSString).deletingPathExtension + ".img"
        if !FileManager.default.fileExists(atPath: data) {
            guard FileManager.default.createFile(atPath: data, contents: Data((0..<1440).map { UInt8(truncatingIfNeeded: $0 &* 37) })) else {
                fatalError("allspark-fuzz: cannot write \(data)")
            }
        }
        _ = try MSILoader().load(path: header, options: [:], limits: limits)
    }
}
#endif

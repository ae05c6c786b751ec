import AllSparkData
import ArgumentParser
import SparkFormats
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `allspark inspect FILE`: what a model or array file holds, without loading a model.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a model or array file's header, metadata and tensor table.",
        discussion: """
            The format is recognised by the file's first bytes, not its name: GGUF (version, \
            alignment, every metadata key with its type and value, then each tensor's index, name, \
            type, row-major shape and size in bytes), safetensors (metadata and tensor table), \
            NPY and NPZ (dtype and shape of each array). Long arrays show their first elements and \
            their count, as gguf-dump does, unless --full. Rasters (.tif, .tiff, an ENVI .hdr or its \
            data file) are read through GDAL instead: driver, size, georeferencing, CRS and each \
            band's type, description and nodata value, as a brief gdalinfo. A malformed file is \
            reported on standard error, naming the field that is wrong, and the exit status is 1.
            """)

    @Argument(help: "The file to inspect (GGUF, safetensors, NPY, NPZ; GeoTIFF or ENVI raster).")
    var file: String

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Flag(help: "Show long arrays and strings in full.")
    var full = false

    func run() throws {
        if RasterInspection.handles(file) {
            do {
                let raster = try RasterInspection(path: file)
                print(json ? raster.json : raster.text, terminator: "")
                return
            } catch let error as DataError {
                fputs("allspark inspect: \(readableError(error))\n", stderr)
                throw ExitCode.failure
            }
        }
        let inspection: FileInspection
        do {
            inspection = try FileInspection.inspect(path: file)
        } catch let error as FormatError {
            fputs("allspark inspect: \(readableError(error))\n", stderr)
            throw ExitCode.failure
        }
        let report = InspectionReport(inspection, full: full)
        print(json ? report.json : report.text, terminator: "")
    }
}

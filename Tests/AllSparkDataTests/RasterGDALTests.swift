import Foundation
import Testing
import SparkEngine
import SparkFormats
@testable import AllSparkData

/// GeoTIFF and ENVI rasters through GDAL for msi, hsi and sar: the fixtures of
/// scripts/reference/make_raster_fixtures.py read back as the numpy arrays that script wrote beside
/// them, the `bands`, `window`, `row`/`col` options, the same sample content as the NPY path for
/// the same array, and every bad file or option refused with a `DataError` that names the file.
@Suite("Rasters: GeoTIFF and ENVI through GDAL")
struct RasterGDALTests {
    static var fixtureFolder: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/rasters").path
    }

    static func fixture(_ name: String) -> String { (fixtureFolder as NSString).appendingPathComponent(name) }

    /// The array numpy wrote beside a fixture, bands first, as Float.
    static func reference(_ name: String) throws -> (shape: [Int], values: [Float]) {
        let array = try NPY.read(path: fixture(name + ".npy"))
        return (array.shape, array.floats())
    }

    static let sentinel2Names = ["B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9", "B10", "B11", "B12", "B8A"]
    static let sentinel2Nanometres: [Float] = [443, 490, 560, 665, 705, 740, 783, 842, 945, 1375, 1610, 2190, 865]

    /// `values` (bands × plane) with each band's `isNodata` values replaced by the mean of the others.
    static func masked(_ values: [Float], plane: Int, isNodata: (Float) -> Bool) -> [Float] {
        var out = values
        for start in stride(from: 0, to: values.count, by: plane) {
            let band = values[start..<(start + plane)]
            let valid = band.filter { !isNodata($0) }
            let mean = Float(valid.reduce(0.0) { $0 + Double($1) } / Double(valid.count))
            for i in start..<(start + plane) where isNodata(values[i]) { out[i] = mean }
        }
        return out
    }

    /// Bands `bands` (0-based) of `window` (x, y, w, h) of a bands-first array.
    static func crop(_ values: [Float], shape: [Int], bands: [Int], x: Int, y: Int, w: Int, h: Int) -> [Float] {
        bands.flatMap { b in (y..<(y + h)).flatMap { r in (x..<(x + w)).map { c in values[(b * shape[1] + r) * shape[2] + c] } } }
    }

    static func multispectral(_ sample: Sample) throws -> (tensor: Tensor, names: [String], wavelengths: [Float]) {
        guard case .multispectral(let tensor, let names, let wavelengths) = sample.content else {
            throw DataError.invalidArgument("expected multispectral content, got \(sample.content.kindName)")
        }
        return (tensor, names, wavelengths)
    }

    static func expectClose(_ actual: [Float], _ expected: [Float], tolerance: Float = 1e-6, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        let worst = zip(actual, expected).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
        #expect(worst <= tolerance, "largest relative difference \(worst)", sourceLocation: sourceLocation)
    }

    // MARK: - Reading

    /// The 13-band uint16 GeoTIFF (tiled, DEFLATE): numpy's values × 1/10000, the nodata zeros
    /// replaced by their band's mean, band names and wavelengths from the file, and the notes.
    @Test func sentinel2GeoTIFF() throws {
        let path = Self.fixture("s2_l1c.tif")
        let sample = try MSILoader().load(path: path, options: [:], limits: .standard)
        let (tensor, names, wavelengths) = try Self.multispectral(sample)
        let (shape, numpy) = try Self.reference("s2_l1c")
        #expect(tensor.shape == [13, 12, 20] && shape == [13, 12, 20])
        let expected = Self.masked(numpy, plane: 240) { $0 == 0 }.map { $0 * MSILoader.digitalNumberScale }
        Self.expectClose(tensor.scalars, expected)
        #expect(names == Self.sentinel2Names)
        #expect(wavelengths == Self.sentinel2Nanometres)
        let notes = try #require(sample.conversion)
        for fragment in ["uint16 digital numbers × 1/10000", "GeoTIFF (GTiff) 20 × 12 pixels, 13 bands", "read all bands", "UInt16",
                         "origin (399960, 5000040), pixel size (10, -10)", "CRS EPSG:32633 (WGS 84 / UTM zone 33N)",
                         "nodata 0: 6 of 3120 values replaced by the mean of their band's other pixels"] {
            #expect(notes.contains(fragment), "notes '\(notes)' lack '\(fragment)'")
        }
    }

    @Test func bandsOptionByNameAndIndex() throws {
        let path = Self.fixture("s2_l1c.tif")
        let (shape, numpy) = try Self.reference("s2_l1c")
        let cases: [(String, [Int])] = [("B2,B3,B4,B8", [1, 2, 3, 7]), ("b02,b8a", [1, 12]), ("1-3", [0, 1, 2]),
                                        ("1,3,5", [0, 2, 4]), ("13,2-3,B1", [12, 1, 2, 0])]
        for (option, chosen) in cases {
            let sample = try MSILoader().load(path: path, options: ["bands": option], limits: .standard)
            let (tensor, names, wavelengths) = try Self.multispectral(sample)
            #expect(tensor.shape == [chosen.count, 12, 20], "bands=\(option)")
            // Rows 0…10 hold no nodata, so they are numpy's values as they are.
            let rows = Self.crop(tensor.scalars, shape: tensor.shape, bands: Array(chosen.indices), x: 0, y: 0, w: 20, h: 11)
            Self.expectClose(rows, Self.crop(numpy, shape: shape, bands: chosen, x: 0, y: 0, w: 20, h: 11).map { $0 * MSILoader.digitalNumberScale })
            #expect(names == chosen.map { Self.sentinel2Names[$0] }, "bands=\(option)")
            #expect(wavelengths == chosen.map { Self.sentinel2Nanometres[$0] })
        }
        let sample = try MSILoader().load(path: path, options: ["bands": "B2,B3"], limits: .standard)
        #expect(sample.conversion?.contains("read bands 2 (B2), 3 (B3)") == true)
    }

    @Test func windowOption() throws {
        let path = Self.fixture("s2_l1c.tif")
        let (shape, numpy) = try Self.reference("s2_l1c")
        // Crosses the tile edge at x = 16 and y = 8 … 16, and keeps away from the nodata row.
        let sample = try MSILoader().load(path: path, options: ["window": "13,3,5,7", "bands": "B4"], limits: .standard)
        let (tensor, _, _) = try Self.multispectral(sample)
        #expect(tensor.shape == [1, 7, 5])
        Self.expectClose(tensor.scalars, Self.crop(numpy, shape: shape, bands: [3], x: 13, y: 3, w: 5, h: 7).map { $0 * MSILoader.digitalNumberScale })
        #expect(sample.conversion?.contains("of the window x=13, y=3, 5 × 7") == true)
        // A window without nodata pixels says so.
        #expect(sample.conversion?.contains("nodata 0: none in the values read") == true)
        // The preview's caption places the window: its upper-left corner is 13 pixels east and 3
        // south of the file's origin (399960, 5000040) at 10 m a pixel.
        #expect(sample.georeference == "EPSG:32633, origin (400090, 5000010), pixel 10 × 10")
        let preview = try #require(SamplePreviews.imagesPreview(sample, options: Preview.Options(width: 40, height: 12)))
        #expect(preview.caption.contains("EPSG:32633, origin (400090, 5000010), pixel 10 × 10"))
        // A raster without georeferencing has none to show.
        let plain = try MSILoader().load(path: Self.fixture("cube.hdr"), options: [:], limits: .standard)
        #expect(plain.georeference == nil)
    }

    /// A raster written from an array gives the sample the NPY path gives for that array (with the
    /// band sidecar holding what the raster's band descriptions and metadata hold).
    @Test func sameSampleAsTheNPYPath() throws {
        let folder = try ImagesTempFolder()
        let (shape, numpy) = try Self.reference("s2_l1c")
        let rows = Self.crop(numpy, shape: shape, bands: Array(0..<13), x: 0, y: 0, w: 20, h: 11)
        let npy = try folder.write("s2.npy", TestNPY.uint16(rows.map { UInt16($0) }, shape: [13, 11, 20]))
        try BandSidecar(bands: Self.sentinel2Names, wavelengths: Self.sentinel2Nanometres).write(for: npy)
        let fromNPY = try MSILoader().load(path: npy, options: [:], limits: .standard)
        let fromTIFF = try MSILoader().load(path: Self.fixture("s2_l1c.tif"), options: ["window": "0,0,20,11"], limits: .standard)
        #expect(fromTIFF.content == fromNPY.content)

        // hsi: pixel (row 2, col 3) of the ENVI cube against the NPY cube (H, W, bands).
        let (cubeShape, cube) = try Self.reference("cube")
        let (bands, height, width) = (cubeShape[0], cubeShape[1], cubeShape[2])
        let hwb = (0..<(height * width)).flatMap { p in (0..<bands).map { b in cube[b * height * width + p] } }
        let npyCube = try folder.write("cube.npy", TestNPY.float32(hwb, shape: [height, width, bands]))
        try BandSidecar(wavelengths: (0..<bands).map { Float(450 + 50 * $0) }).write(for: npyCube)
        let pixel = ["row": "2", "col": "3"]
        let spectrumNPY = try HSILoader().load(path: npyCube, options: pixel, limits: .standard)
        for path in [Self.fixture("cube.hdr"), Self.fixture("cube.img")] {
            let spectrumENVI = try HSILoader().load(path: path, options: pixel, limits: .standard)
            #expect(spectrumENVI.content == spectrumNPY.content, "\(path)")
            #expect(spectrumENVI.conversion?.contains("float32 values, not rescaled; pixel row=2, col=3; ENVI") == true)
        }

        // sar: the VH band against an NPY (H, W) of the same values.
        let (sarShape, sar) = try Self.reference("sar_vv_vh")
        let vh = Self.crop(sar, shape: sarShape, bands: [1], x: 0, y: 0, w: 24, h: 16)
        let npySAR = try folder.write("vh.npy", TestNPY.float32(vh, shape: [16, 24]))
        let sarNPY = try SARLoader().load(path: npySAR, options: [:], limits: .standard)
        let sarTIFF = try SARLoader().load(path: Self.fixture("sar_vv_vh.tif"), options: ["bands": "VH"], limits: .standard)
        #expect(sarTIFF.content == sarNPY.content)
    }

    /// The ENVI cube (BIL, float32) read whole as msi: names without ENVI's wavelength suffix,
    /// micrometres as nanometres, the data ignore value masked.
    @Test func enviCube() throws {
        let (shape, numpy) = try Self.reference("cube")
        for path in [Self.fixture("cube.hdr"), Self.fixture("cube.img")] {
            let sample = try MSILoader().load(path: path, options: [:], limits: .standard)
            let (tensor, names, wavelengths) = try Self.multispectral(sample)
            #expect(tensor.shape == shape)
            Self.expectClose(tensor.scalars, Self.masked(numpy, plane: 30) { $0 == -9999 })
            #expect(names == (1...12).map { String(format: "band %02d", $0) })
            Self.expectClose(wavelengths, (0..<12).map { Float(450 + 50 * $0) })
            #expect(sample.conversion?.contains("nodata -9999: 1 of 360 values replaced") == true)
            #expect(sample.path == path)
        }
        // Without band names ENVI describes each band by its wavelength: no names, then.
        let folder = try ImagesTempFolder()
        let header = try String(contentsOfFile: Self.fixture("cube.hdr"), encoding: .utf8)
        try folder.write("unnamed.hdr", text: header.split(separator: "\n").filter { !$0.hasPrefix("band names") }.joined(separator: "\n") + "\n")
        try FileManager.default.copyItem(atPath: Self.fixture("cube.img"), toPath: folder.file("unnamed.img"))
        let unnamed = try Self.multispectral(try MSILoader().load(path: folder.file("unnamed.hdr"), options: [:], limits: .standard))
        #expect(unnamed.names.isEmpty && unnamed.wavelengths.count == 12)
        let chosen = try HSILoader().load(path: Self.fixture("cube.hdr"), options: ["row": "0", "col": "5", "bands": "band 05,Band 07"], limits: .standard)
        guard case .spectrum(let spectrum, let wavelengths) = chosen.content else { Issue.record("not a spectrum"); return }
        #expect(spectrum.scalars == Self.crop(numpy, shape: shape, bands: [4, 6], x: 5, y: 0, w: 1, h: 1))
        Self.expectClose(wavelengths, [650, 750])
    }

    /// A NaN nodata value (float SAR) masks NaN pixels; the sample is divided by its peak.
    @Test func sarNaNNodata() throws {
        let sample = try SARLoader().load(path: Self.fixture("sar_vv_vh.tif"), options: ["bands": "VV", "window": "0,0,24,16"], limits: .standard)
        guard case .sar(let image) = sample.content else { Issue.record("not a SAR image"); return }
        let (shape, numpy) = try Self.reference("sar_vv_vh")
        let vv = Self.masked(Self.crop(numpy, shape: shape, bands: [0], x: 0, y: 0, w: 24, h: 16), plane: 384) { $0.isNaN }
        let peak = vv.max()!
        #expect(image.shape == [16, 24])
        Self.expectClose(image.scalars, vv.map { $0 / peak })
        let notes = try #require(sample.conversion)
        #expect(notes.contains("float32 magnitudes, divided by their peak") && notes.contains("nodata nan: 2 of 384 values replaced"))
        #expect(notes.contains("CRS EPSG:4326") && notes.contains("pixel size (0.0001, -0.0001)"))
    }

    @Test func registryAcceptsRasters() {
        for modality in [Modality.msi, .hsi, .sar] {
            for name in ["scene.tif", "scene.TIFF", "scene.hdr", "scene.img"] {
                #expect(SampleLoaders.accepts(modality, name: name, isDirectory: false), "\(modality) \(name)")
            }
        }
    }

    /// GDAL writes no `.aux.xml` beside a file it read (PAM is off).
    @Test func leavesNoFilesBehind() throws {
        let folder = try ImagesTempFolder()
        let copy = folder.file("copy.tif")
        try FileManager.default.copyItem(atPath: Self.fixture("s2_l1c.tif"), toPath: copy)
        _ = try MSILoader().load(path: copy, options: [:], limits: .standard)
        _ = try RasterInspection(path: copy)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["copy.tif"])
    }

    @Test func inspection() throws {
        let tiff = try RasterInspection(path: Self.fixture("s2_l1c.tif"))
        for fragment in ["Driver: GTiff/GeoTIFF", "Size: 20 × 12 pixels, 13 bands",
                         "Georeferencing: origin (399960, 5000040), pixel size (10, -10)", "CRS: EPSG:32633 (WGS 84 / UTM zone 33N)",
                         "Band 13: UInt16, \"B8A\", block 16 × 16, nodata 0, wavelength 865.0 nm"] {
            #expect(tiff.text.contains(fragment), "'\(tiff.text)' lacks '\(fragment)'")
        }
        #expect(tiff.json.contains("\"crs\" : \"EPSG:32633 (WGS 84 / UTM zone 33N)\""))
        let envi = try RasterInspection(path: Self.fixture("cube.hdr"))
        for fragment in ["Driver: ENVI/ENVI .hdr Labelled", "cube.img", "cube.hdr", "Size: 6 × 5 pixels, 12 bands",
                         "Georeferencing: no geotransform", "CRS: none", "Band 3: Float32, \"band 03 (0.55 Micrometers)\"", "nodata -9999, wavelength 550.0 nm"] {
            #expect(envi.text.contains(fragment), "'\(envi.text)' lacks '\(fragment)'")
        }
        #expect(RasterInspection.handles("a.tif") && RasterInspection.handles("a.hdr") && !RasterInspection.handles("a.npy"))
    }

    // MARK: - Bad files and options

    @Test func truncatedGeoTIFF() throws {
        let folder = try ImagesTempFolder()
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.fixture("s2_l1c.tif"))))
        let truncated = try folder.write("truncated.tif", Array(bytes.prefix(bytes.count / 2)))
        expectDataError([truncated, "reading bands", "failed", "(GDAL: ", "is the file truncated?"]) {
            _ = try MSILoader().load(path: truncated, options: [:], limits: .standard)
        }
        // Cut inside the header: GDAL cannot open it at all.
        let header = try folder.write("header.tif", Array(bytes.prefix(12)))
        expectDataError([header, "GDAL cannot open it as GTiff or ENVI", "(GDAL: ", "expected a multispectral GeoTIFF"]) {
            _ = try MSILoader().load(path: header, options: [:], limits: .standard)
        }
    }

    @Test func notARaster() throws {
        let folder = try ImagesTempFolder()
        let text = try folder.write("notes.tif", text: "these are notes, not pixels\n")
        expectDataError([text, "GDAL cannot open it as GTiff or ENVI", "not recognized as a supported file format", "expected a SAR GeoTIFF"]) {
            _ = try SARLoader().load(path: text, options: [:], limits: .standard)
        }
        let empty = try folder.write("empty.tif", [])
        expectDataError([empty, "the file is empty"]) { _ = try MSILoader().load(path: empty, options: [:], limits: .standard) }
        expectDataError([folder.file("absent.tif"), "no such file"]) {
            _ = try MSILoader().load(path: folder.file("absent.tif"), options: [:], limits: .standard)
        }
    }

    /// A classic little-endian TIFF of one 8-bit band that claims `width` × `height` pixels in one
    /// strip of 16 bytes: the header lies, the file is 150 bytes.
    static func claimingTIFF(width: UInt32, height: UInt32) -> [UInt8] {
        func u16(_ v: UInt16) -> [UInt8] { withUnsafeBytes(of: v.littleEndian, Array.init) }
        func u32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian, Array.init) }
        // (tag, type: 3 SHORT / 4 LONG, value)
        let entries: [(UInt16, UInt16, UInt32)] = [(256, 4, width), (257, 4, height), (258, 3, 8), (259, 3, 1), (262, 3, 1),
                                                    (273, 4, 0), (277, 3, 1), (278, 4, height), (279, 4, 16)]
        let dataOffset = UInt32(8 + 2 + entries.count * 12 + 4)
        var bytes: [UInt8] = Array("II".utf8) + u16(42) + u32(8) + u16(UInt16(entries.count))
        for (tag, type, value) in entries {
            let stored = tag == 273 ? dataOffset : value
            bytes += u16(tag) + u16(type) + u32(1) + (type == 3 ? u16(UInt16(stored)) + u16(0) : u32(stored))
        }
        return bytes + u32(0) + [UInt8](repeating: 7, count: 16)
    }

    @Test func lyingHeaders() throws {
        let folder = try ImagesTempFolder()
        let huge = try folder.write("huge.tif", Self.claimingTIFF(width: 2_000_000_000, height: 2_000_000_000))
        expectDataError([huge, "expected at most 16000000"]) { _ = try MSILoader().load(path: huge, options: [:], limits: .standard) }
        // A small window of it: GDAL would still read whole blocks (here rows) of 2e9 pixels.
        expectDataError([huge, "blocks of 2000000000 × 1 pixels", "expected at most 200000000 pixels per block"]) {
            _ = try MSILoader().load(path: huge, options: ["window": "0,0,4,4"], limits: .standard)
        }
        // An ENVI header claiming 1000 bands of 2e9 × 2e9 float32 beside 16 bytes of data.
        try folder.write("lying.img", [UInt8](repeating: 0, count: 16))
        let header = try folder.write("lying.hdr", text: "ENVI\nsamples = 2000000000\nlines = 2000000000\nbands = 1000\nheader offset = 0\ndata type = 4\ninterleave = bsq\nbyte order = 0\n")
        expectDataError([folder.file("lying.img"), "lying.hdr's bands × lines × samples × bytes 1000 × 2000000000 × 2000000000 × 4 is too large to address"]) {
            _ = try MSILoader().load(path: header, options: ["window": "0,0,2,2"], limits: .standard)
        }
        try folder.write("lying.hdr", text: "ENVI\nsamples = 4611686018427387904\nlines = 1\nbands = 1\ndata type = 4\n")
        expectDataError([folder.file("lying.img"), "lying.hdr's bands × lines × samples × bytes 1 × 1 × 4611686018427387904 × 4 is too large to address"]) {
            _ = try SARLoader().load(path: header, options: [:], limits: .standard)
        }
        try folder.write("lying.hdr", text: "ENVI\nsamples = 200000\nlines = 200000\nbands = 10\nheader offset = 0\ndata type = 4\ninterleave = bsq\nbyte order = 0\n")
        expectDataError([folder.file("lying.img"), "the data file has 16 bytes, but lying.hdr declares 10 bands × 200000 lines × 200000 samples", "expected at least 1600000000000 bytes"]) {
            _ = try MSILoader().load(path: header, options: ["window": "0,0,2,2"], limits: .standard)
        }
        // A true header over limits smaller than the file.
        expectDataError([Self.fixture("s2_l1c.tif"), "holds 240 pixels; expected at most 100", "window=x,y,w,h"]) {
            _ = try MSILoader().load(path: Self.fixture("s2_l1c.tif"), options: [:], limits: tinyLimits(pixels: 100))
        }
        expectDataError([Self.fixture("s2_l1c.tif"), "13 bands of the window x=0, y=0, 20 × 12 are 3120 values; expected at most 1000"]) {
            _ = try MSILoader().load(path: Self.fixture("s2_l1c.tif"), options: [:], limits: tinyLimits(elements: 1000))
        }
    }

    @Test func badBandsAndWindowOptions() {
        let path = Self.fixture("s2_l1c.tif")
        let refused: [([String: String], [String])] = [
            (["bands": "B13"], ["option bands=B13", "no band named 'B13'", "expected one of B1, B2", "B8A"]),
            (["bands": "14"], ["band 14 does not exist", "expected indices 1…13"]),
            (["bands": "0"], ["band 0 does not exist"]),
            (["bands": "3-1"], ["range 3-1 is not inside 1…13"]),
            (["bands": "B2,,B3"], ["an empty entry"]),
            (["window": "10,0,20,12"], ["option window=10,0,20,12 runs outside the 20 × 12 raster", "expected x + w ≤ 20 and y + h ≤ 12"]),
            (["window": "0,0,4611686018427387904,1"], ["runs outside the 20 × 12 raster"]),
            (["window": "1,2,3"], ["option window=1,2,3 is not x,y,w,h"]),
            (["window": "0,0,0,5"], ["is not x,y,w,h", "at least 1"]),
            (["row": "1"], ["unknown sample option row", "options bands, window"]),
        ]
        for (options, fragments) in refused {
            expectDataError([path] + fragments) { _ = try MSILoader().load(path: path, options: options, limits: .standard) }
        }
        let sar = Self.fixture("sar_vv_vh.tif")
        expectDataError([sar, "2 bands chosen", "bands= naming one of 1 (VV), 2 (VH)"]) { _ = try SARLoader().load(path: sar, options: [:], limits: .standard) }
        let cube = Self.fixture("cube.hdr")
        expectDataError([cube, "needs options row and col"]) { _ = try HSILoader().load(path: cube, options: [:], limits: .standard) }
        expectDataError([cube, "pixel row=5, col=0 is outside the 5 × 6 cube"]) { _ = try HSILoader().load(path: cube, options: ["row": "5", "col": "0"], limits: .standard) }
        expectDataError([Self.fixture("cube.img"), "every pixel of band 3 (band 03)", "window x=1, y=4, 1 × 1", "nodata value -9999"]) {
            _ = try HSILoader().load(path: cube, options: ["row": "4", "col": "1"], limits: .standard)
        }
        expectDataError([Self.fixture("cube.img"), "1 band chosen; expected a spectrum of at least 2 bands"]) {
            _ = try HSILoader().load(path: cube, options: ["row": "0", "col": "0", "bands": "2"], limits: .standard)
        }
    }

    @Test func enviDataFileMissingOrShort() throws {
        let folder = try ImagesTempFolder()
        let headerText = try String(contentsOfFile: Self.fixture("cube.hdr"), encoding: .utf8)
        let header = try folder.write("cube.hdr", text: headerText)
        expectDataError([header, "is an ENVI header, but the data file it describes is missing", "cube, cube.img, cube.dat"]) {
            _ = try HSILoader().load(path: header, options: ["row": "0", "col": "0"], limits: .standard)
        }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.fixture("cube.img"))))
        let data = try folder.write("cube.img", Array(bytes.prefix(100)))
        for path in [header, data] {
            expectDataError([data, "the data file has 100 bytes, but cube.hdr declares 12 bands × 5 lines × 6 samples of ENVI data type 4 (4 bytes each)",
                             "expected at least 1440 bytes"]) {
                _ = try MSILoader().load(path: path, options: [:], limits: .standard)
            }
        }
        // A data file without its header is not a raster GDAL opens.
        try FileManager.default.removeItem(atPath: header)
        expectDataError([data, "GDAL cannot open it"]) { _ = try MSILoader().load(path: data, options: [:], limits: .standard) }
    }

    /// GDAL's messages are captured per thread: loads on several threads each get their own.
    @Test func concurrentLoadsKeepTheirOwnMessages() throws {
        let folder = try ImagesTempFolder()
        let broken = (0..<4).map { try? folder.write("broken\($0).tif", text: "not a raster \($0)\n") }
        final class Lines: @unchecked Sendable {
            let lock = NSLock()
            var lines: [String] = []
            func append(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
        }
        let messages = Lines()
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            do {
                if i % 2 == 0 { _ = try MSILoader().load(path: Self.fixture("s2_l1c.tif"), options: [:], limits: .standard) }
                else { _ = try MSILoader().load(path: broken[i / 2]!, options: [:], limits: .standard) }
            } catch {
                messages.append("\(i): \(error)")
            }
        }
        let seen = messages.lines
        #expect(seen.count == 4)
        for line in seen {
            let i = Int(line.prefix { $0 != ":" })!
            #expect(line.contains("broken\(i / 2).tif' not recognized"), "\(line)")
        }
    }
}

import Foundation
import Testing
import SparkEngine
@testable import AllSparkData

/// The seven image-modality loaders: good files give the documented tensors; bad files (empty,
/// truncated, wrong magic, lying headers, wrong shapes, NaN/Inf, folders for files and files for
/// folders, oversize) give DataErrors naming the file, the problem and the expectation.
@Suite struct ImagesLoaderTests {
    static let grayPNG = TestPNG.encode(width: 2, height: 2, bitDepth: 8, colourType: 0, rows: [[0, 255], [51, 102]])
    static let rgbPNG = TestPNG.encode(width: 2, height: 2, bitDepth: 8, colourType: 2, rows: [[255, 0, 0, 0, 255, 0], [0, 0, 255, 10, 20, 30]])

    /// The damage every file-based loader must survive, as (file name, bytes, expected fragments).
    static func commonDamage(_ good: [UInt8], ext: String) -> [(String, [UInt8], [String])] {
        [
            ("empty.\(ext)", [], ["empty"]),
            ("truncated.\(ext)", Array(good.prefix(good.count * 2 / 3)), ["expected"]),
            ("magic.\(ext)", [0x00, 0x11] + Array(good.dropFirst(2)), ["expected"]),
            ("text.\(ext)", Array("just some text\n".utf8), ["expected"]),
        ]
    }

    func expectCommonFailures(_ loader: any SampleLoader, good: [UInt8], ext: String, options: [String: String] = [:]) throws {
        let folder = try ImagesTempFolder()
        for (name, bytes, fragments) in Self.commonDamage(good, ext: ext) {
            let path = try folder.write(name, bytes)
            expectDataError([path] + fragments) { _ = try loader.load(path: path, options: options, limits: .standard) }
        }
        let directory = try folder.folder("folder.\(ext)")
        expectDataError([directory, "is a folder"]) { _ = try loader.load(path: directory, options: options, limits: .standard) }
        let missing = folder.file("missing.\(ext)")
        expectDataError([missing, "no such file"]) { _ = try loader.load(path: missing, options: options, limits: .standard) }
        let big = try folder.write("big.\(ext)", good)
        expectDataError([big, "more than the allowed 10"]) { _ = try loader.load(path: big, options: options, limits: tinyLimits(fileBytes: 10)) }
        expectDataError([big, "unknown sample option"]) { _ = try loader.load(path: big, options: options.merging(["colour": "1"]) { a, _ in a }, limits: .standard) }
    }

    // MARK: rgb

    @Test func rgbLoadsPNGAndJPEG() throws {
        let folder = try ImagesTempFolder()
        let gray = try RGBLoader().load(path: try folder.write("g.png", Self.grayPNG), options: [:], limits: .standard)
        guard case .image(let g) = gray.content else { Issue.record("not an image"); return }
        #expect(g.shape == [3, 2, 2] && g[0, 0, 1] == 1 && g[2, 0, 1] == 1)
        let jpeg = try RGBLoader().load(path: try folder.write("q.jpg", JPEGFixtures.quadrantsProgressive), options: [:], limits: .standard)
        guard case .image(let j) = jpeg.content else { Issue.record("not an image"); return }
        #expect(j.shape == [3, 16, 16] && abs(j[0, 0, 0] - 200 / 255) < 3 / 255)
        try expectCommonFailures(RGBLoader(), good: Self.rgbPNG, ext: "png")
        try expectCommonFailures(RGBLoader(), good: JPEGFixtures.gray, ext: "jpg")
        let png = try folder.write("p.png", Self.rgbPNG)
        expectDataError([png, "2 × 2 pixels", "at most 3"]) { _ = try RGBLoader().load(path: png, options: [:], limits: tinyLimits(pixels: 3)) }
    }

    /// NPY images: each layout and dtype, scaled to [0, 1] as the conversion line says.
    @Test func rgbLoadsNPYInEveryLayoutAndDtype() throws {
        let folder = try ImagesTempFolder()
        // A 1 × 2 image: pixel 0 is (red 1, green 0.2, blue 0), pixel 1 is (0, 0.4, 1).
        let expected = Tensor(shape: [3, 1, 2], scalars: [1, 0, 0.2, 0.4, 0, 1])
        let files: [(String, [UInt8], String)] = [
            ("hwc8.npy", TestNPY.uint8([255, 51, 0, 0, 102, 255], shape: [1, 2, 3]), "uint8 array ÷ 255"),
            ("hwc16.npy", TestNPY.uint16([65535, 13107, 0, 0, 26214, 65535], shape: [1, 2, 3]), "uint16 array ÷ 65,535"),
            ("chw.npy", TestNPY.float32([1, 0, 0.2, 0.4, 0, 1], shape: [3, 1, 2]), "channels first, float32 array in [0, 1], not rescaled"),
            ("hwc64.npy", TestNPY.float64([1, 0.2, 0, 0, 0.4, 1], shape: [1, 2, 3]), "float64 array in [0, 1], not rescaled"),
        ]
        for (name, bytes, conversion) in files {
            let sample = try RGBLoader().load(path: try folder.write(name, bytes), options: [:], limits: .standard)
            guard case .image(let image) = sample.content else { Issue.record("\(name): not an image"); continue }
            #expect(image.shape == [3, 1, 2] && zip(image.scalars, expected.scalars).allSatisfy { abs($0 - $1) < 1e-6 }, "\(name)")
            #expect(sample.conversion == conversion)
        }
        let gray = try RGBLoader().load(path: try folder.write("g.npy", TestNPY.uint8([0, 255], shape: [1, 2])), options: [:], limits: .standard)
        #expect(gray.content == .image(Tensor(shape: [3, 1, 2], scalars: [0, 1, 0, 1, 0, 1])))
        #expect(gray.conversion == "gray → three equal channels, uint8 array ÷ 255")
        let png = try RGBLoader().load(path: try folder.write("p.png", Self.rgbPNG), options: [:], limits: .standard)
        #expect(png.conversion == "8-bit colour, ÷ 255")
        try expectCommonFailures(RGBLoader(), good: TestNPY.uint8([0, 255], shape: [1, 2]), ext: "npy")
        let cases: [(String, [UInt8], [String])] = [
            ("bytes.npy", TestNPY.float32([0, 128, 255, 0, 0, 0], shape: [1, 2, 3]), ["element 1 is 128", "in [0, 1]", "divide 8-bit values by 255"]),
            ("four.npy", TestNPY.uint8([0, 0, 0, 0], shape: [1, 1, 4]), ["shape is [1, 1, 4]", "(height, width, 3)"]),
            ("rank4.npy", TestNPY.uint8([0, 0, 0], shape: [1, 1, 1, 3]), ["shape is [1, 1, 1, 3]"]),
            ("empty.npy", TestNPY.uint8([], shape: [0, 2, 3]), ["non-empty image"]),
            ("int32.npy", TestNPY.int32([1, 2, 3], shape: [1, 1, 3]), ["dtype is int32"]),
            ("nan.npy", TestNPY.float32([0, .nan, 0], shape: [1, 1, 3]), ["element 1", "finite"]),
        ]
        for (name, bytes, fragments) in cases {
            let path = try folder.write(name, bytes)
            expectDataError([path] + fragments) { _ = try RGBLoader().load(path: path, options: [:], limits: .standard) }
        }
    }

    // MARK: msi

    /// Every dtype a multispectral file comes in, with the scaling the sample stage states.
    @Test func msiReadsEveryDtypeAndSaysHowItScaled() throws {
        let folder = try ImagesTempFolder()
        let files: [(String, [UInt8], [Float], String)] = [
            ("f4.npy", TestNPY.float32([0.5, 0.25], shape: [2, 1, 1]), [0.5, 0.25], "float32 values, not rescaled"),
            ("f8.npy", TestNPY.float64([0.5, 0.25], shape: [2, 1, 1]), [0.5, 0.25], "float64 values read as float32, not rescaled"),
            ("u1.npy", TestNPY.uint8([92, 115], shape: [2, 1, 1]), [92, 115], "uint8 digital numbers as they are"),
            ("i2.npy", TestNPY.int16([-20, 3000], shape: [2, 1, 1]), [-20, 3000], "int16 digital numbers as they are"),
            ("u2.npy", TestNPY.uint16([5000, 2500], shape: [2, 1, 1]), [0.5, 0.25], "uint16 digital numbers × 1/10000 (Sentinel-2 reflectance)"),
        ]
        for (name, bytes, values, conversion) in files {
            let sample = try MSILoader().load(path: try folder.write(name, bytes), options: [:], limits: .standard)
            guard case .multispectral(let bands, _, _) = sample.content else { Issue.record("\(name): not msi"); continue }
            #expect(zip(bands.scalars, values).allSatisfy { abs($0 - $1) < 1e-6 }, "\(name)")
            #expect(sample.conversion == conversion)
        }
    }

    @Test func msiLoadsFloatAndScaledIntegerBandsWithSidecar() throws {
        let folder = try ImagesTempFolder()
        let values: [Float] = (0..<12).map { Float($0) / 100 }
        let path = try folder.write("m.npy", TestNPY.float32(values, shape: [3, 2, 2]))
        try folder.write("m.json", text: #"{"bands": ["B02", "B03", "B04"], "wavelengths": [490, 560, 665]}"#)
        let sample = try MSILoader().load(path: path, options: [:], limits: .standard)
        guard case .multispectral(let bands, let names, let wavelengths) = sample.content else { Issue.record("not msi"); return }
        #expect(bands.shape == [3, 2, 2] && bands.scalars == values && names == ["B02", "B03", "B04"] && wavelengths == [490, 560, 665])
        let dn = try folder.write("dn.npy", TestNPY.uint16([0, 10000, 2500, 65535], shape: [1, 2, 2]))
        guard case .multispectral(let scaled, let noNames, _) = try MSILoader().load(path: dn, options: [:], limits: .standard).content else { return }
        #expect(noNames.isEmpty)
        #expect(zip(scaled.scalars, [0, 1, 0.25, 6.5535] as [Float]).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test func msiRejectsBadArrays() throws {
        let folder = try ImagesTempFolder()
        let good = TestNPY.float32([Float](repeating: 0.1, count: 12), shape: [3, 2, 2])
        try expectCommonFailures(MSILoader(), good: good, ext: "npy")
        let cases: [(String, [UInt8], [String])] = [
            ("rank2.npy", TestNPY.float32([1, 2, 3, 4], shape: [2, 2]), ["shape is [2, 2]", "(bands, height, width)"]),
            ("nobands.npy", TestNPY.float32([], shape: [0, 2, 2]), ["expected 1 to 512 bands"]),
            ("toomany.npy", TestNPY.float32([Float](repeating: 0, count: 600), shape: [600, 1, 1]), ["600", "1 to 512 bands"]),
            ("nan.npy", TestNPY.float32([0.1, .nan, 0.2, 0.3], shape: [1, 2, 2]), ["element 1", "nan", "finite"]),
            ("inf.npy", TestNPY.float32([0.1, 0.2, -.infinity, 0.3], shape: [1, 2, 2]), ["element 2", "finite"]),
            ("int32.npy", TestNPY.int32([1, 2, 3, 4], shape: [1, 2, 2]), ["dtype is int32", "uint16 or int16"]),
            // The header promises 13 × 1000 × 1000 values; 16 bytes follow.
            ("lying.npy", TestNPY.encode(descr: "<f4", shape: [13, 1000, 1000], payload: [UInt8](repeating: 0, count: 16)), ["lying.npy"]),
            ("fortran.npy", TestNPY.encode(descr: "<f4", shape: [1, 2, 2], payload: [UInt8](repeating: 0, count: 8), fortran: true), ["fortran.npy"]),
        ]
        for (name, bytes, fragments) in cases {
            let path = try folder.write(name, bytes)
            expectDataError([path] + fragments) { _ = try MSILoader().load(path: path, options: [:], limits: .standard) }
        }
        let big = try folder.write("big.npy", TestNPY.float32([Float](repeating: 0, count: 48), shape: [3, 4, 4]))
        expectDataError([big]) { _ = try MSILoader().load(path: big, options: [:], limits: tinyLimits(elements: 20)) }
        expectDataError([big, "4 × 4 pixels", "at most 10"]) { _ = try MSILoader().load(path: big, options: [:], limits: tinyLimits(pixels: 10)) }
        try folder.write("big.json", text: #"{"bands": ["B1"]}"#)
        expectDataError([folder.file("big.json"), "1 band names", "expected 3"]) { _ = try MSILoader().load(path: big, options: [:], limits: .standard) }
    }

    // MARK: hsi

    @Test func hsiReadsCubePixelsSpectraAndCSV() throws {
        let folder = try ImagesTempFolder()
        // Cube 2 × 3 pixels × 4 bands: value = 100·row + 10·col + band.
        var cube: [Float] = []
        for r in 0..<2 { for c in 0..<3 { for b in 0..<4 { cube.append(Float(100 * r + 10 * c + b)) } } }
        let path = try folder.write("cube.npy", TestNPY.float32(cube, shape: [2, 3, 4]))
        try BandSidecar(wavelengths: [450, 550, 650, 750]).write(for: path)
        let pixel = try HSILoader().load(path: path, options: ["row": "1", "col": "2"], limits: .standard)
        #expect(pixel.content == .spectrum(Tensor(shape: [4], scalars: [120, 121, 122, 123]), wavelengths: [450, 550, 650, 750]))
        let single = try folder.write("one.npy", TestNPY.float32([0.1, 0.2, 0.3], shape: [3]))
        #expect(try HSILoader().load(path: single, options: [:], limits: .standard).content == .spectrum(Tensor(shape: [3], scalars: [0.1, 0.2, 0.3]), wavelengths: []))
        let csv = try folder.write("s.csv", text: "430nm,440nm\n0.5,0.25\n")
        #expect(try HSILoader().load(path: csv, options: [:], limits: .standard).content == .spectrum(Tensor(shape: [2], scalars: [0.5, 0.25]), wavelengths: [430, 440]))
    }

    @Test func hsiReadsIntegerCountsAsTheyAre() throws {
        let folder = try ImagesTempFolder()
        for (name, bytes, conversion) in [("u1.npy", TestNPY.uint8([7, 200], shape: [2]), "uint8 sensor counts as they are, not rescaled"),
                                          ("i2.npy", TestNPY.int16([7, 200], shape: [2]), "int16 sensor counts as they are, not rescaled"),
                                          ("f8.npy", TestNPY.float64([7, 200], shape: [2]), "float64 values read as float32, not rescaled")] {
            let sample = try HSILoader().load(path: try folder.write(name, bytes), options: [:], limits: .standard)
            #expect(sample.content == .spectrum(Tensor(shape: [2], scalars: [7, 200]), wavelengths: []), "\(name)")
            #expect(sample.conversion == conversion)
        }
    }

    @Test func hsiRejectsBadInput() throws {
        let folder = try ImagesTempFolder()
        let cubeBytes = TestNPY.float32([Float](repeating: 0.5, count: 24), shape: [2, 3, 4])
        try expectCommonFailures(HSILoader(), good: cubeBytes, ext: "npy", options: ["row": "0", "col": "0"])
        let cube = try folder.write("cube.npy", cubeBytes)
        expectDataError([cube, "needs options row and col"]) { _ = try HSILoader().load(path: cube, options: [:], limits: .standard) }
        expectDataError([cube, "row=2, col=0", "outside the 2 × 3 cube"]) { _ = try HSILoader().load(path: cube, options: ["row": "2", "col": "0"], limits: .standard) }
        expectDataError([cube, "option row=x"]) { _ = try HSILoader().load(path: cube, options: ["row": "x", "col": "0"], limits: .standard) }
        var withNaN = [Float](repeating: 0.5, count: 24); withNaN[4 * 4 + 2] = .nan
        let nan = try folder.write("nan.npy", TestNPY.float32(withNaN, shape: [2, 3, 4]))
        expectDataError([nan, "band 2 of pixel (1, 1)", "finite"]) { _ = try HSILoader().load(path: nan, options: ["row": "1", "col": "1"], limits: .standard) }
        // Another pixel of the same cube is fine.
        _ = try HSILoader().load(path: nan, options: ["row": "0", "col": "0"], limits: .standard)
        let spectrum = try folder.write("one.npy", TestNPY.float32([0.1, 0.2], shape: [2]))
        expectDataError(["one.npy", "holds one spectrum"]) { _ = try HSILoader().load(path: spectrum, options: ["row": "0", "col": "0"], limits: .standard) }
        let rank2 = try folder.write("r2.npy", TestNPY.float32([1, 2, 3, 4], shape: [2, 2]))
        expectDataError([rank2, "shape is [2, 2]", "(height, width, bands)"]) { _ = try HSILoader().load(path: rank2, options: [:], limits: .standard) }
        let oneBand = try folder.write("b1.npy", TestNPY.float32([1], shape: [1]))
        expectDataError([oneBand, "at least 2 bands"]) { _ = try HSILoader().load(path: oneBand, options: [:], limits: .standard) }
        let ints = try folder.write("i.npy", TestNPY.int32([1, 2], shape: [2]))
        expectDataError([ints, "dtype is int32"]) { _ = try HSILoader().load(path: ints, options: [:], limits: .standard) }
        let badCSV = try folder.write("bad.csv", text: "0.1,oops\n")
        expectDataError([badCSV, "'oops'"]) { _ = try HSILoader().load(path: badCSV, options: [:], limits: .standard) }
        let csvDir = try folder.folder("d.csv")
        expectDataError([csvDir, "is a folder"]) { _ = try HSILoader().load(path: csvDir, options: [:], limits: .standard) }
        expectDataError([badCSV, "unknown sample option"]) { _ = try HSILoader().load(path: badCSV, options: ["row": "0"], limits: .standard) }
    }

    // MARK: sar

    @Test func sarReadsNPYAndGrayPNG() throws {
        let folder = try ImagesTempFolder()
        let npy = try folder.write("s.npy", TestNPY.float32([0, 1, 2, 4], shape: [2, 2]))
        #expect(try SARLoader().load(path: npy, options: [:], limits: .standard).content == .sar(Tensor(shape: [2, 2], scalars: [0, 0.25, 0.5, 1])))
        let channelFirst = try folder.write("c.npy", TestNPY.float32([0, 1, 2, 4], shape: [1, 2, 2]))
        #expect(try SARLoader().load(path: channelFirst, options: [:], limits: .standard).content == .sar(Tensor(shape: [2, 2], scalars: [0, 0.25, 0.5, 1])))
        let png16 = try folder.write("s16.png", TestPNG.encode(width: 2, height: 1, bitDepth: 16, colourType: 0, rows: [[0x10, 0x00, 0x40, 0x00]]))
        #expect(try SARLoader().load(path: png16, options: [:], limits: .standard).content == .sar(Tensor(shape: [1, 2], scalars: [0.25, 1])))
        let png8 = try folder.write("s8.png", Self.grayPNG)
        guard case .sar(let eight) = try SARLoader().load(path: png8, options: [:], limits: .standard).content else { return }
        #expect(eight.shape == [2, 2] && eight[0, 1] == 1 && abs(eight[1, 1] - 0.4) < 1e-6)
    }

    /// Every dtype a SAR file comes in: float64, uint8 and uint16 magnitudes as they are, and
    /// single-look complex (complex64, either byte order) as its magnitude |z| — 3+4i is 5 — each
    /// divided by its peak, with the conversion stated for the sample stage.
    @Test func sarReadsEveryMagnitudeDtypeAndComplex() throws {
        let folder = try ImagesTempFolder()
        let expected = Tensor(shape: [2, 2], scalars: [0, 0.25, 0.5, 1])
        let files: [(String, [UInt8], String)] = [
            ("f8.npy", TestNPY.float64([0, 1, 2, 4], shape: [2, 2]), "float64 magnitudes read as float32, divided by their peak 4"),
            ("u1.npy", TestNPY.uint8([0, 1, 2, 4], shape: [2, 2]), "uint8 magnitudes, divided by their peak 4"),
            ("u2.npy", TestNPY.uint16([0, 100, 200, 400], shape: [2, 2]), "uint16 magnitudes, divided by their peak 400"),
            ("c8.npy", TestNPY.complex64([(0, 0), (0, -5), (6, 8), (12, -16)], shape: [2, 2]),
             "single-look complex (complex64): magnitude |z| taken, phase dropped, divided by their peak 20"),
            ("c8be.npy", TestNPY.complex64([(0, 0), (3, 4), (-6, 8), (0, 20)], shape: [1, 2, 2], bigEndian: true),
             "single-look complex (complex64): magnitude |z| taken, phase dropped, divided by their peak 20"),
        ]
        for (name, bytes, conversion) in files {
            let sample = try SARLoader().load(path: try folder.write(name, bytes), options: [:], limits: .standard)
            #expect(sample.content == .sar(expected), "\(name)")
            #expect(sample.conversion == conversion)
        }
        let plain = try SARLoader().load(path: try folder.write("f4.npy", TestNPY.float32([0, 1, 2, 4], shape: [2, 2])),
                                         options: [:], limits: .standard)
        #expect(plain.conversion == "float32 magnitudes, divided by their peak 4")
    }

    @Test func sarRejectsBadInput() throws {
        let folder = try ImagesTempFolder()
        try expectCommonFailures(SARLoader(), good: TestNPY.float32([0, 1, 2, 4], shape: [2, 2]), ext: "npy")
        try expectCommonFailures(SARLoader(), good: Self.grayPNG, ext: "png")
        let colour = try folder.write("rgb.png", Self.rgbPNG)
        expectDataError([colour, "colour PNG", "grayscale"]) { _ = try SARLoader().load(path: colour, options: [:], limits: .standard) }
        let cases: [(String, [UInt8], [String])] = [
            ("neg.npy", TestNPY.float32([0, -1, 2, 4], shape: [2, 2]), ["element 1 is -1.0", "magnitudes ≥ 0"]),
            ("nan.npy", TestNPY.float32([0, 1, .nan, 4], shape: [2, 2]), ["element 2", "finite"]),
            ("rank3.npy", TestNPY.float32([0, 1, 2, 4], shape: [2, 1, 2]), ["shape is [2, 1, 2]", "(height, width)"]),
            ("i32.npy", TestNPY.int32([0, 1, 2, 4], shape: [2, 2]), ["dtype is int32", "complex64"]),
            ("cnan.npy", TestNPY.complex64([(0, 0), (1, .nan), (2, 0), (4, 0)], shape: [2, 2]), ["element 1", "finite"]),
            ("lying.npy", TestNPY.encode(descr: "<f4", shape: [128, 128], payload: [0, 0, 0, 0]), ["lying.npy"]),
        ]
        for (name, bytes, fragments) in cases {
            let path = try folder.write(name, bytes)
            expectDataError([path] + fragments) { _ = try SARLoader().load(path: path, options: [:], limits: .standard) }
        }
    }

    // MARK: infrared

    func infraredFolder(_ folder: ImagesTempFolder, match: String? = "b.png") throws -> String {
        let root = try folder.folder("pair")
        try folder.write("pair/query.png", Self.grayPNG)
        try folder.write("pair/gallery/a.png", Self.rgbPNG)
        try folder.write("pair/gallery/b.jpg", JPEGFixtures.quadrantsProgressive)
        if let match { try folder.write("pair/index.json", text: "{\"match\": \"\(match)\"}") }
        return root
    }

    @Test func infraredReadsQueryGalleryAndMatch() throws {
        let folder = try ImagesTempFolder()
        let root = try infraredFolder(folder, match: "b")
        let sample = try InfraredLoader().load(path: root, options: [:], limits: .standard)
        guard case .infrared(let query, let gallery, let names) = sample.content else { Issue.record("not infrared"); return }
        #expect(query.shape == [3, 2, 2] && gallery.map(\.shape) == [[3, 2, 2], [3, 16, 16]] && names == ["a", "b"])
        #expect(sample.label == .galleryMatch(1))
        try FileManager.default.removeItem(atPath: folder.file("pair/index.json"))
        #expect(try InfraredLoader().load(path: root, options: [:], limits: .standard).label == nil)
    }

    @Test func infraredRejectsBadFolders() throws {
        let folder = try ImagesTempFolder()
        let root = try infraredFolder(folder)
        let file = try folder.write("notafolder", Self.grayPNG)
        expectDataError([file, "is a file", "folder"]) { _ = try InfraredLoader().load(path: file, options: [:], limits: .standard) }
        try folder.write("pair/index.json", text: "{\"match\": \"zzz.png\"}")
        expectDataError([folder.file("pair/index.json"), "'zzz.png'", "a.png, b.jpg"]) { _ = try InfraredLoader().load(path: root, options: [:], limits: .standard) }
        try folder.write("pair/index.json", text: "[1, 2]")
        expectDataError([folder.file("pair/index.json"), "not a match description"]) { _ = try InfraredLoader().load(path: root, options: [:], limits: .standard) }
        try folder.write("pair/index.json", text: "{\"match\": \"a.png\"}")
        try folder.write("pair/gallery/notes.txt", text: "hello")
        expectDataError([folder.file("pair/gallery/notes.txt"), "not a PNG or JPEG"]) { _ = try InfraredLoader().load(path: root, options: [:], limits: .standard) }
        try FileManager.default.removeItem(atPath: folder.file("pair/gallery/notes.txt"))
        try folder.write("pair/gallery/c.png", Array(Self.rgbPNG.prefix(40)))
        expectDataError([folder.file("pair/gallery/c.png"), "libpng"]) { _ = try InfraredLoader().load(path: root, options: [:], limits: .standard) }
        try FileManager.default.removeItem(atPath: folder.file("pair/gallery/c.png"))
        expectDataError([root, "more than 20 values"]) { _ = try InfraredLoader().load(path: root, options: [:], limits: tinyLimits(elements: 20)) }
        try FileManager.default.removeItem(atPath: folder.file("pair/query.png"))
        expectDataError([root, "no query image", "query.png"]) { _ = try InfraredLoader().load(path: root, options: [:], limits: .standard) }
        try folder.write("pair/query.jpg", [])
        expectDataError([folder.file("pair/query.jpg"), "empty"]) { _ = try InfraredLoader().load(path: root, options: [:], limits: .standard) }
        try folder.write("pair/query.jpg", JPEGFixtures.gray)
        try FileManager.default.removeItem(atPath: folder.file("pair/gallery"))
        expectDataError([folder.file("pair/gallery"), "no such folder"]) { _ = try InfraredLoader().load(path: root, options: [:], limits: .standard) }
        try folder.write("pair/gallery", text: "oops")
        expectDataError([folder.file("pair/gallery"), "is a file"]) { _ = try InfraredLoader().load(path: root, options: [:], limits: .standard) }
        try FileManager.default.removeItem(atPath: folder.file("pair/gallery"))
        try folder.folder("pair/gallery")
        expectDataError([folder.file("pair/gallery"), "gallery is empty"]) { _ = try InfraredLoader().load(path: root, options: [:], limits: .standard) }
        expectDataError([root, "unknown sample option"]) { _ = try InfraredLoader().load(path: root, options: ["x": "1"], limits: .standard) }
    }

    // MARK: oblique

    func obliqueFolder(_ folder: ImagesTempFolder) throws -> String {
        let root = try folder.folder("scene")
        for i in 0..<2 {
            try folder.write("scene/view\(i).png", Self.rgbPNG)
            try folder.write("scene/view\(i)_cam.txt", text: ImagesTextFormatTests.camText)
        }
        try folder.write("scene/depth.npy", TestNPY.float32([150, 160, 0, 170], shape: [2, 2]))
        try folder.write("scene/README", text: "ignored")
        return root
    }

    @Test func obliqueReadsViewsCamerasAndDepth() throws {
        let folder = try ImagesTempFolder()
        let root = try obliqueFolder(folder)
        let sample = try ObliqueLoader().load(path: root, options: [:], limits: .standard)
        guard case .oblique(let views, let cameras) = sample.content else { Issue.record("not oblique"); return }
        #expect(views.count == 2 && views[0].shape == [3, 2, 2] && cameras.count == 2 && cameras[1].depthCount == 192)
        #expect(sample.label == .depthMap(Tensor(shape: [2, 2], scalars: [150, 160, 0, 170])))
    }

    @Test func obliqueRejectsBadFolders() throws {
        let folder = try ImagesTempFolder()
        let root = try obliqueFolder(folder)
        func fails(_ fragments: [String], limits: LoadLimits = .standard) {
            expectDataError(fragments) { _ = try ObliqueLoader().load(path: root, options: [:], limits: limits) }
        }
        try folder.write("scene/depth.npy", TestNPY.float32([150, .nan, 0, 170], shape: [2, 2]))
        fails([folder.file("scene/depth.npy"), "element 1", "finite"])
        try folder.write("scene/depth.npy", TestNPY.float32([150, -1, 0, 170], shape: [2, 2]))
        fails([folder.file("scene/depth.npy"), "depths ≥ 0"])
        try folder.write("scene/depth.npy", TestNPY.float32([150, 1, 0, 170], shape: [1, 2, 2]))
        fails([folder.file("scene/depth.npy"), "(height, width)"])
        try folder.write("scene/depth.npy", [])
        fails([folder.file("scene/depth.npy"), "empty"])
        try FileManager.default.removeItem(atPath: folder.file("scene/depth.npy"))
        try folder.write("scene/view1_cam.txt", text: "extrinsic\n1 0 0\n")
        fails([folder.file("scene/view1_cam.txt"), "extrinsic value 4"])
        try FileManager.default.removeItem(atPath: folder.file("scene/view1_cam.txt"))
        fails([root, "view1 has no camera file", "view1_cam.txt"])
        try folder.write("scene/view1_cam.txt", text: ImagesTextFormatTests.camText)
        try folder.write("scene/view1.png", JPEGFixtures.quadrantsProgressive)
        fails([folder.file("scene/view1.png"), "16 × 16", "view0, 2 × 2"])
        try folder.write("scene/view1.png", Self.rgbPNG)
        try folder.write("scene/view3.png", Self.rgbPNG)
        fails([root, "view3.png but no view2", "without gaps"])
        try FileManager.default.removeItem(atPath: folder.file("scene/view3.png"))
        fails([root, "more than 20 values"], limits: tinyLimits(elements: 20))
        try FileManager.default.removeItem(atPath: folder.file("scene/view1.png"))
        fails([root, "only view0", "at least two views"])
        let file = try folder.write("scene.png", Self.rgbPNG)
        expectDataError([file, "is a file"]) { _ = try ObliqueLoader().load(path: file, options: [:], limits: .standard) }
        let empty = try folder.folder("empty")
        expectDataError([empty, "no views"]) { _ = try ObliqueLoader().load(path: empty, options: [:], limits: .standard) }
    }

    // MARK: registry

    @Test func registryChoosesLoadersAndExplainsRefusals() throws {
        let folder = try ImagesTempFolder()
        let png = try folder.write("x.png", Self.rgbPNG)
        #expect(try SampleLoaders.load(.rgb, SampleReference(path: png)).modality == .rgb)
        expectDataError([folder.path, "rgb samples cannot be read from a folder", ".png, .jpg"]) {
            _ = try SampleLoaders.load(.rgb, SampleReference(path: folder.path))
        }
        let y4m = try folder.write("clip.flv", [1, 2, 3])
        expectDataError([y4m, "video samples cannot be read from a .flv file", ".y4m, .mp4, .avi, .mkv, .webm, .mov"]) { _ = try SampleLoaders.load(.video, SampleReference(path: y4m)) }
        let bare = try folder.write("README", [1, 2, 3])
        expectDataError([bare, "rgb samples cannot be read from a file without an extension", ".png, .jpg"]) { _ = try SampleLoaders.load(.rgb, SampleReference(path: bare)) }
        for modality in [Modality.rgb, .msi, .hsi, .sar, .infrared, .oblique, .video] {
            #expect(!SampleLoaders.loaders(for: modality).isEmpty, "no loader for \(modality)")
        }
    }
}

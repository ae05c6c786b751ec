import Foundation
import Testing
@testable import AllSparkData

/// Image-side readers fed headers and files that claim far more than they hold (issue: hardening,
/// "limits"; the limits are listed in docs/LIMITS.md). Each must be refused from the claim, with
/// the file's name and the limit, before the decoder allocates for it.
@Suite("Images: headers that claim 2^62 elements")
struct ImageClaimedSizeTests {
    static let huge = "4611686018427387904"   // 2^62

    /// A file of `size` bytes that takes no disk space (one hole), for the file-size limits.
    func sparseFile(_ path: String, size: UInt64) throws -> String {
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: size)
        try handle.close()
        return path
    }

    @Test func pngDimensions() throws {
        let folder = try ImagesTempFolder()
        // 2^31 − 1 × 2^31 − 1: the largest IHDR the PNG specification allows; libpng's own limit
        // (a million pixels a side) refuses it while reading the header.
        let largest = try folder.write("largest.png", TestPNG.encode(width: 1, height: 1, bitDepth: 8, colourType: 2, rows: [[0, 0, 0]],
                                                                     declaredWidth: Int(Int32.max), declaredHeight: Int(Int32.max)))
        expectDataError([largest, "PNG header rejected by libpng"]) { _ = try ImageFile.read(path: largest, limits: .standard) }
        // 65536 × 65536 passes libpng's limits; the pixel limit refuses it before any row is allocated.
        let wide = try folder.write("wide.png", TestPNG.encode(width: 1, height: 1, bitDepth: 16, colourType: 6, rows: [[0, 0, 0, 0, 0, 0, 0, 0]],
                                                               declaredWidth: 65536, declaredHeight: 65536))
        expectDataError([wide, "65536 × 65536", "at most 16000000 pixels"]) { _ = try ImageFile.read(path: wide, limits: .standard) }
    }

    @Test func jpegDimensions() throws {
        let folder = try ImagesTempFolder()
        func claiming(width: UInt16, height: UInt16) throws -> [UInt8] {
            var bytes = JPEGFixtures.gray
            let sof = try #require(bytes.indices.dropLast().first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
            bytes[sof + 5] = UInt8(height >> 8); bytes[sof + 6] = UInt8(height & 255)
            bytes[sof + 7] = UInt8(width >> 8); bytes[sof + 8] = UInt8(width & 255)
            return bytes
        }
        // SOF holds 16-bit sizes: 65535 is the most a JPEG can claim; libjpeg stops at 65500.
        let largest = try folder.write("largest.jpg", claiming(width: 65535, height: 65535))
        expectDataError([largest, "JPEG rejected", "65500 pixels"]) { _ = try ImageFile.read(path: largest, limits: .standard) }
        let big = try folder.write("big.jpg", claiming(width: 65500, height: 65500))
        expectDataError([big, "65500 x 65500 pixels", "at most 16000000 pixels"]) { _ = try ImageFile.read(path: big, limits: .standard) }
    }

    /// The NPY loaders (RGB, MSI, HSI, SAR; the oblique depth map goes the same way) refuse a
    /// shape of 2^62 elements, and a zero-sized shape whose other dimensions overflow.
    @Test func npyShapes() throws {
        let folder = try ImagesTempFolder()
        let loaders: [(String, any SampleLoader)] = [("rgb", RGBLoader()), ("msi", MSILoader()), ("hsi", HSILoader()), ("sar", SARLoader())]
        for (name, loader) in loaders {
            let flat = try folder.write("\(name)-flat.npy", TestNPY.encode(descr: "<f4", shape: [1 << 62], payload: []))
            expectDataError([flat, "\(Self.huge) elements", "limit of 200000000"]) {
                _ = try loader.load(path: flat, options: [:], limits: .standard)
            }
            let empty = try folder.write("\(name)-empty.npy", TestNPY.encode(descr: "<f4", shape: [0, 1 << 62, 1 << 62], payload: []))
            expectDataError([empty, "overflows"]) { _ = try loader.load(path: empty, options: [:], limits: .standard) }
        }
    }

    @Test func mvsnetCamera() throws {
        let folder = try ImagesTempFolder()
        let text = "extrinsic\n1 0 0 0\n0 1 0 0\n0 0 1 0\n0 0 0 1\n\nintrinsic\n100 0 50\n0 100 50\n0 0 1\n\n1 0.5 \(Self.huge)\n"
        let camera = try folder.write("view0_cam.txt", text: text)
        expectDataError([camera, "depth_num", "from 1 to 100000"]) { _ = try MVSNetCameraFile.read(path: camera, limits: .standard) }
        let large = try folder.write("large_cam.txt", text: String(repeating: " ", count: 70_000))
        expectDataError([large, "70000 bytes", "more than the allowed 65536"]) { _ = try MVSNetCameraFile.read(path: large, limits: .standard) }
    }

    @Test func bandSidecar() throws {
        let folder = try ImagesTempFolder()
        let data = folder.file("scene.npy")
        let sidecar = try folder.write("scene.json", text: "{\"bands\": [" + String(repeating: " ", count: 1 << 20) + "]}")
        expectDataError([sidecar, "more than the allowed 1048576"]) { _ = try BandSidecar.read(for: data, bandCount: 3, limits: .standard) }
        // Foundation's JSON parser refuses nesting deeper than 512 levels.
        try folder.write("scene.json", text: "{\"bands\": " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}")
        expectDataError([sidecar, "not a band description"]) { _ = try BandSidecar.read(for: data, bandCount: 3, limits: .standard) }
    }

    @Test func spectrumCSV() throws {
        let folder = try ImagesTempFolder()
        let rows = try folder.write("rows.csv", text: String(repeating: "1\n", count: SpectrumCSV.maxBands + 2))
        expectDataError([rows, "10002 lines", "at most 10000 bands"]) { _ = try SpectrumCSV.read(path: rows, limits: .standard) }
        let large = try folder.write("large.csv", text: String(repeating: "1,", count: 600_000))
        expectDataError([large, "more than the allowed 1048576"]) { _ = try SpectrumCSV.read(path: large, limits: .standard) }
    }

    /// Folders: the entries are counted from the listing before any of them is read.
    @Test func infraredAndObliqueFolders() throws {
        let folder = try ImagesTempFolder()
        let png = TestPNG.encode(width: 2, height: 2, bitDepth: 8, colourType: 0, rows: [[0, 0], [0, 0]])
        let infrared = try folder.folder("ir")
        try folder.write("ir/query.png", png)
        for k in 0...InfraredLoader.maxGalleryImages { try folder.write(String(format: "ir/gallery/g%04d.png", k), []) }
        expectDataError([infrared + "/gallery", "1001 entries", "at most 1000 gallery images"]) {
            _ = try InfraredLoader().load(path: infrared, options: [:], limits: .standard)
        }

        let matched = try folder.folder("match")
        try folder.write("match/query.png", png)
        try folder.write("match/gallery/a.png", png)
        let index = try folder.write("match/index.json", text: "{\"match\": \"a\"}" + String(repeating: " ", count: 70_000))
        expectDataError([index, "more than the allowed 65536"]) { _ = try InfraredLoader().load(path: matched, options: [:], limits: .standard) }

        let oblique = try folder.folder("views")
        for k in 0...ObliqueLoader.maxViews { try folder.write("views/view\(k).png", []) }
        expectDataError([oblique, "more than 64 views"]) { _ = try ObliqueLoader().load(path: oblique, options: [:], limits: .standard) }
    }

    @Test func sampleIndex() throws {
        let folder = try ImagesTempFolder()
        let index = try sparseFile(folder.file(SampleCatalog.indexFileName), size: 300 << 20)
        expectDataError([index, "\(300 << 20) bytes", "more than the allowed \(LoadLimits.standard.maxFileBytes)"]) {
            _ = try SampleCatalog.read(directory: folder.path)
        }
    }
}

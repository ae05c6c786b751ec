import Foundation
import Testing
@testable import AllSparkData

/// MVSNet camera files, spectrum CSV and band sidecars: the small text formats of the image half.
@Suite struct ImagesTextFormatTests {
    static let camText = """
        extrinsic
        1 0 0 -10
        0 -1 0 5.5
        0 0 -1 200
        0 0 0 1

        intrinsic
        120 0 64
        0 120 48
        0 0 1

        150 0.5 192 245.5

        """

    @Test func parsesMVSNetCameras() throws {
        let camera = try MVSNetCameraFile.parse(Self.camText, file: "c.txt")
        #expect(camera.extrinsic == [1, 0, 0, -10, 0, -1, 0, 5.5, 0, 0, -1, 200, 0, 0, 0, 1])
        #expect(camera.intrinsic == [120, 0, 64, 0, 120, 48, 0, 0, 1])
        #expect(camera.depthMin == 150 && camera.depthInterval == 0.5 && camera.depthCount == 192 && camera.depthMax == 245.5)
        // Written text parses back to the same camera.
        #expect(try MVSNetCameraFile.parse(MVSNetCameraFile.text(camera), file: "w") == camera)
        // Two depth values are enough.
        let short = Self.camText.replacingOccurrences(of: "150 0.5 192 245.5", with: "150 0.5")
        let shortCamera = try MVSNetCameraFile.parse(short, file: "s")
        #expect(shortCamera.depthCount == nil && shortCamera.depthMax == nil)
    }

    @Test func rejectsBadCameraFiles() throws {
        func replacing(_ a: String, _ b: String) -> String { Self.camText.replacingOccurrences(of: a, with: b) }
        let cases: [(String, [String])] = [
            ("", ["the end of the file", "'extrinsic'"]),
            (replacing("extrinsic", "extrinsics"), ["'extrinsics'", "'extrinsic'"]),
            (replacing("0 0 0 1", "0 0 0"), ["'intrinsic'"]),
            (replacing("-10", "nan"), ["extrinsic value 4", "finite"]),
            (replacing("5.5", "abc"), ["extrinsic value 8", "'abc'", "a number"]),
            (replacing("0 0 0 1", "0 0 1 1"), ["extrinsic last row", "0 0 0 1"]),
            (replacing("0 -1 0 5.5", "0 -2 0 5.5"), ["determinant"]),
            (replacing("0 0 1\n\n150", "0 1 1\n\n150"), ["intrinsic last row"]),
            (replacing("120 0 64", "-120 0 64"), ["fx = -120"]),
            (replacing("150 0.5 192 245.5", "150"), ["1 value(s)", "depth_min depth_interval"]),
            (replacing("150 0.5 192 245.5", "150 0 192"), ["depth_interval > 0"]),
            (replacing("150 0.5 192 245.5", "150 0.5 19.5"), ["depth_num is 19.5"]),
            (replacing("150 0.5 192 245.5", "150 0.5 192 100"), ["depth_max 100", "depth_max > depth_min"]),
            (replacing("150 0.5 192 245.5", "150 0.5 192 245.5 7"), ["unexpected text '7'"]),
        ]
        for (text, fragments) in cases {
            expectDataError(["cam.txt"] + fragments) { _ = try MVSNetCameraFile.parse(text, file: "cam.txt") }
        }
        let folder = try ImagesTempFolder()
        let big = try folder.write("big_cam.txt", text: Self.camText + String(repeating: " ", count: 70_000))
        expectDataError([big, "more than the allowed 65536"]) { _ = try MVSNetCameraFile.read(path: big, limits: .standard) }
        let dir = try folder.folder("d_cam.txt")
        expectDataError([dir, "is a folder"]) { _ = try MVSNetCameraFile.read(path: dir, limits: .standard) }
    }

    @Test func parsesSpectrumLayouts() throws {
        let row = try SpectrumCSV.parse("0.1, 0.2, 0.3\n", file: "r.csv")
        #expect(row.values == [0.1, 0.2, 0.3] && row.wavelengths.isEmpty)
        let rowWithWavelengths = try SpectrumCSV.parse("430nm,440nm,450nm\n0.1,0.2,0.3\n", file: "rw.csv")
        #expect(rowWithWavelengths.wavelengths == [430, 440, 450] && rowWithWavelengths.values == [0.1, 0.2, 0.3])
        let named = try SpectrumCSV.parse("b1;b2;b3\n1;2;3", file: "n.csv")
        #expect(named.values == [1, 2, 3] && named.wavelengths.isEmpty)
        let column = try SpectrumCSV.parse("# a comment\nreflectance\n0.5\n0.25\n\n0.125\n", file: "c.csv")
        #expect(column.values == [0.5, 0.25, 0.125] && column.wavelengths.isEmpty)
        let pairs = try SpectrumCSV.parse("wavelength_nm\treflectance\n500\t0.1\n600\t0.2\n700\t0.4\n", file: "p.csv")
        #expect(pairs.wavelengths == [500, 600, 700] && pairs.values == [0.1, 0.2, 0.4])
    }

    @Test func rejectsBadSpectra() throws {
        let cases: [(String, [String])] = [
            ("", ["no numbers found"]),
            ("# only a comment\n", ["no numbers found"]),
            ("0.5\n", ["1 value(s)", "2 to 10000 bands"]),
            ("0.1,nan,0.3\n", ["field 2 is nan", "finite"]),
            ("0.1,inf,0.3\n", ["finite"]),
            ("0.1\nabc\n0.3\n", ["line 2", "'abc'", "a number"]),
            ("1,2,3\n4,5,6\n7,8,9\n", ["3 fields"]),
            ("500,0.1\n600,0.2\n550,0.3\n", ["wavelength 550.0 follows 600.0", "strictly increasing"]),
            ("a,b\n1,2\n3\n", ["line 3 has 1 fields", "expected 2"]),
            ("-5,10,20\n1,2,3\n", ["positive wavelengths"]),
            ("reflectance\n", ["only a header"]),
        ]
        for (text, fragments) in cases {
            expectDataError(["s.csv"] + fragments) { _ = try SpectrumCSV.parse(text, file: "s.csv") }
        }
        let folder = try ImagesTempFolder()
        let empty = try folder.write("e.csv", [])
        expectDataError([empty, "empty"]) { _ = try SpectrumCSV.read(path: empty, limits: .standard) }
        let big = try folder.write("b.csv", text: String(repeating: "0.1\n", count: 300_000))
        expectDataError([big, "more than the allowed 1048576"]) { _ = try SpectrumCSV.read(path: big, limits: .standard) }
    }

    @Test func readsAndChecksBandSidecars() throws {
        let folder = try ImagesTempFolder()
        let data = folder.file("scene.npy")
        #expect(try BandSidecar.read(for: data, bandCount: 3, limits: .standard) == nil)
        try BandSidecar(bands: ["B02", "B03", "B04"], wavelengths: [490, 560, 665]).write(for: data)
        #expect(try BandSidecar.read(for: data, bandCount: 3, limits: .standard)?.wavelengths == [490, 560, 665])
        let sidecar = folder.file("scene.json")
        expectDataError([sidecar, "3 band names", "expected 4"]) { _ = try BandSidecar.read(for: data, bandCount: 4, limits: .standard) }
        try folder.write("scene.json", text: "{\"wavelengths\": [490, -1, 665]}")
        expectDataError([sidecar, "positive number"]) { _ = try BandSidecar.read(for: data, bandCount: 3, limits: .standard) }
        try folder.write("scene.json", text: "{\"bands\": 3}")
        expectDataError([sidecar, "not a band description"]) { _ = try BandSidecar.read(for: data, bandCount: 3, limits: .standard) }
        try folder.write("scene.json", text: "")
        expectDataError([sidecar, "empty"]) { _ = try BandSidecar.read(for: data, bandCount: 3, limits: .standard) }
    }
}

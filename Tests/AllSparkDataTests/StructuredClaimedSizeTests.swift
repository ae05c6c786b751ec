import Foundation
import Testing
import SparkEngine
@testable import SparkFormats
@testable import AllSparkData

/// Headers that claim 2⁶² elements (issue: hardening, "limits"): each reader refuses them from the
/// header, with the file's name and the stated limit, before allocating anything or reading the
/// body — and without trapping on the arithmetic (these targets are built with every check on).
@Suite("Structured: headers that claim 2^62 elements")
struct StructuredClaimedSizeTests {
    static let huge = "4611686018427387904"   // 2^62

    func refuses(_ name: String, _ text: String, _ loader: any SampleLoader, mentions: [String]) throws {
        let folder = try StructuredTempFolder()
        let path = try folder.write(name, text)
        expectLoadError(file: path, mentions: mentions) { _ = try loader.load(path: path, options: [:], limits: .standard) }
    }

    @Test func plyVertexCount() throws {
        try refuses("v.ply", "ply\nformat ascii 1.0\nelement vertex \(Self.huge)\nproperty float x\nproperty float y\nproperty float z\nend_header\n0 0 0\n",
                    PointCloudLoader(), mentions: [Self.huge])
    }

    @Test func plyBinaryFaceCount() throws {
        try refuses("f.ply", "ply\nformat binary_little_endian 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\n"
                    + "element face \(Self.huge)\nproperty list uchar int vertex_indices\nend_header\n",
                    PointCloudLoader(), mentions: [Self.huge])
    }

    @Test func offCounts() throws {
        try refuses("v.off", "OFF\n\(Self.huge) 0 0\n0 0 0\n", PointCloudLoader(), mentions: [Self.huge])
        try refuses("f.off", "OFF\n3 \(Self.huge) 0\n0 0 0\n1 0 0\n0 1 0\n", PointCloudLoader(), mentions: [Self.huge])
    }

    @Test func y4mFrameSize() throws {
        try refuses("w.y4m", "YUV4MPEG2 W\(Self.huge) H2 F25:1 C420jpeg\nFRAME\n", VideoLoader(), mentions: ["w.y4m"])
        try refuses("h.y4m", "YUV4MPEG2 W2 H\(Self.huge) F25:1 C420jpeg\nFRAME\n", VideoLoader(), mentions: ["h.y4m"])
    }

    @Test func plyListLength() throws {
        try refuses("l.ply", "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\n"
                    + "element face 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0\n1 0 0\n0 1 0\n\(Self.huge) 0 1 2\n",
                    PointCloudLoader(), mentions: ["element face 0 of 1, property vertex_indices", "expected an integer"])
        // A binary list that claims 2^32 − 1 indices runs out of body, not out of memory.
        var body: [UInt8] = []
        for v: Float in [0, 0, 0, 1, 0, 0, 0, 1, 0] { body += withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) }
        body += [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]
        let header = "ply\nformat binary_little_endian 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\n"
            + "element face 1\nproperty list uint int vertex_indices\nend_header\n"
        let folder = try StructuredTempFolder()
        let path = try folder.write("b.ply", bytes: Array(header.utf8) + body)
        expectLoadError(file: path, mentions: ["body ends early", "element face 0 of 1"]) {
            _ = try PointCloudLoader().load(path: path, options: [:], limits: .standard)
        }
    }

    /// XYZ text has no header to lie: the points are counted as they are read, against maxPoints.
    @Test func xyzPointCount() throws {
        let folder = try StructuredTempFolder()
        let path = try folder.write("p.xyz", "0 0 0\n1 0 0\n\(Self.huge) 0 1\n")
        expectLoadError(file: path, mentions: ["more than 2 points", "LoadLimits.maxPoints"]) {
            _ = try PointCloudLoader().load(path: path, options: [:], limits: structuredLimits(fileBytes: 1 << 20, points: 2))
        }
    }

    /// CSV has no declared row count: rows are counted against maxRows as they arrive, and a row
    /// option of 2^62 is checked against the rows read.
    @Test func csvRows() throws {
        let folder = try StructuredTempFolder()
        let path = try folder.write("t.csv", "a,b\n1,2\n3,4\n5,6\n")
        expectLoadError(file: path, mentions: ["more than 2 data rows", "LoadLimits.maxRows"]) {
            _ = try TableLoader().load(path: path, options: [:], limits: structuredLimits(fileBytes: 1 << 20, rows: 2))
        }
        expectLoadError(file: path, mentions: ["row=\(Self.huge)", "past the end", "3 data rows"]) {
            _ = try TableLoader().load(path: path, options: ["row": Self.huge], limits: .standard)
        }
    }

    @Test func ethFrameAndRowCount() throws {
        try refuses("f.txt", "0 1 0.0 0.0\n\(Self.huge) 1 0.5 0.5\n", TrajectoryLoader(), mentions: ["line 2", "frame", "not a whole number"])
        let folder = try StructuredTempFolder()
        let path = try folder.write("r.txt", "0 1 0 0\n10 1 1 1\n20 1 2 2\n")
        expectLoadError(file: path, mentions: ["more than 2 observations", "LoadLimits.maxRows"]) {
            _ = try TrajectoryLoader().load(path: path, options: [:], limits: structuredLimits(fileBytes: 1 << 20, rows: 2))
        }
    }

    /// The graph NPZ's `data` member, the adjacency NPY and the distance CSV, each claiming 2^62.
    @Test func graphArchiveAndAdjacency() throws {
        let folder = try StructuredTempFolder()
        var writer = ZipWriter(file: "g.npz")
        try writer.add(name: "data.npy", contents: TestNPY.encode(descr: "<f4", shape: [1 << 62, 1, 1], payload: []), compressed: false)
        let series = try folder.write("g.npz", bytes: try writer.finished())
        expectLoadError(file: series, mentions: ["member 'data.npy'", Self.huge, "limit of 200000000"]) {
            _ = try GraphLoader().load(path: series, options: [:], limits: .standard)
        }

        let valid = folder.file("s.npz")
        try NPZ.write([("data", StructuredGraphTests.series())] + StructuredGraphTests.calendar(), to: valid, compressed: true)
        let matrix = try folder.write("m.npy", bytes: TestNPY.encode(descr: "<f4", shape: [1 << 31, 1 << 31], payload: []))
        expectLoadError(file: matrix, mentions: ["header 'shape'", "4611686018427387904 elements", "limit of 200000000"]) {
            _ = try GraphLoader().load(path: valid, options: ["adjacency": "m.npy"], limits: .standard)
        }
        let csv = try folder.write("d.csv", "from,to,cost\n\(Self.huge),0,1\n")
        expectLoadError(file: csv, mentions: ["line 2, column from", "not a whole number"]) {
            _ = try GraphLoader().load(path: valid, options: ["adjacency": "d.csv"], limits: .standard)
        }
    }
}

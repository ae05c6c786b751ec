import Foundation
import Testing
import SparkEngine
@testable import AllSparkData

/// Builds binary little-endian PLY bodies byte by byte.
struct PLYBytes {
    var bytes: [UInt8]
    init(header: String) { bytes = Array(header.utf8) }
    mutating func float(_ v: Float) { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
    mutating func double(_ v: Double) { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
    mutating func int32(_ v: Int32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func uint8(_ v: UInt8) { bytes.append(v) }
    mutating func int16(_ v: Int16) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
}

@Suite("Structured: point clouds (PLY, OFF, XYZ)")
struct StructuredPointCloudTests {
    static let unitSquareAscii = """
    ply
    format ascii 1.0
    comment a unit square in z = 0, split into two triangles
    element vertex 4
    property float x
    property float y
    property float z
    property uchar red
    element face 2
    property list uchar int vertex_indices
    end_header
    0 0 0 10
    1 0 0 20
    1 1 0 30
    0 1 0 40
    3 0 1 2
    3 0 2 3

    """

    func load(_ path: String, _ options: [String: String] = [:], limits: LoadLimits = .standard) throws -> Sample {
        try PointCloudLoader().load(path: path, options: options, limits: limits)
    }

    func points(_ sample: Sample) -> (Tensor, [String: [Float]])? {
        if case .pointCloud(let p, let properties) = sample.content { return (p, properties) }
        return nil
    }

    @Test func asciiPLYKeepsPropertiesAndFaces() throws {
        let mesh = try PLYReader.parse(Array(Self.unitSquareAscii.utf8), file: "sq.ply", limits: .standard)
        #expect(mesh.positions == [0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0])
        #expect(mesh.vertexProperties == ["red": [10, 20, 30, 40]])
        #expect(mesh.faceIndices == [0, 1, 2, 0, 2, 3])
        #expect(mesh.faceStarts == [0, 3, 6])
        // As a sample: 4 vertices < 2048 points with faces → the surface is sampled.
        let folder = try StructuredTempFolder()
        let path = try folder.write("sq.ply", Self.unitSquareAscii)
        let (sampled, properties) = try #require(points(try load(path, ["points": "500", "seed": "3"])))
        #expect(sampled.shape == [500, 3])
        #expect(sampled.scalars.enumerated().allSatisfy { i, v in i % 3 == 2 ? v == 0 : (v >= 0 && v <= 1) })
        #expect(properties["red"]?.count == 500)
        let (vertices, _) = try #require(points(try load(path, ["sampling": "vertices"])))
        #expect(vertices.shape == [4, 3])
    }

    /// A binary little-endian file with double coordinates, an int16 property, a face list and an
    /// extra element that is read past; the same values as `unitSquareAscii`.
    static func binarySquare(format: String = "binary_little_endian", declaredFaces: Int = 2, truncateBy: Int = 0) -> [UInt8] {
        var ply = PLYBytes(header: "ply\nformat \(format) 1.0\nelement vertex 4\nproperty double x\nproperty double y\nproperty double z\nproperty short label\nelement face \(declaredFaces)\nproperty list uchar int vertex_indices\nelement material 1\nproperty float shine\nend_header\n")
        for (i, (x, y)) in [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)].enumerated() {
            ply.double(x); ply.double(y); ply.double(0); ply.int16(Int16(i) - 2)
        }
        for face in [[0, 1, 2], [0, 2, 3]] {
            ply.uint8(3); for v in face { ply.int32(Int32(v)) }
        }
        ply.float(0.5)
        return Array(ply.bytes.dropLast(truncateBy))
    }

    @Test func binaryLittleEndianPLY() throws {
        let mesh = try PLYReader.parse(Self.binarySquare(), file: "b.ply", limits: .standard)
        #expect(mesh.positions == [0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0])
        #expect(mesh.vertexProperties == ["label": [-2, -1, 0, 1]])
        #expect(mesh.faceIndices == [0, 1, 2, 0, 2, 3])
    }

    @Test func badPLYFilesAreErrors() throws {
        let folder = try StructuredTempFolder()
        func check(_ name: String, _ bytes: [UInt8], _ mentions: [String], limits: LoadLimits = .standard) throws {
            let path = try folder.write(name, bytes: bytes)
            expectLoadError(file: path, mentions: mentions) { _ = try load(path, limits: limits) }
        }
        let good = Self.binarySquare()
        try check("magic.ply", Array("plx\n".utf8) + good.dropFirst(4), ["does not start with the line 'ply'", "expected a PLY file"])
        try check("big.ply", Self.binarySquare(format: "binary_big_endian"), ["binary_big_endian", "expected ascii or binary_little_endian"])
        try check("trunc.ply", Self.binarySquare(truncateBy: 9), ["body ends early", "element face 1 of 2"])
        // The header claims 2 million faces: refused from the header, before the body is read.
        try check("lying.ply", Self.binarySquare(declaredFaces: 2_000_000), ["2000000 face elements", "body has", "truncated"])
        try check("toomany.ply", good, ["4 vertex elements", "maxPoints"], limits: structuredLimits(fileBytes: 1 << 20, points: 3))
        try check("noend.ply", Array("ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\n".utf8), ["no 'end_header'"])
        try check("noformat.ply", Array("ply\nelement vertex 1\nproperty float x\nend_header\n1\n".utf8), ["no 'format' line"])
        try check("noxyz.ply", Array("ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\nend_header\n1 2\n".utf8), ["no scalar property 'z'"])
        try check("type.ply", Array("ply\nformat ascii 1.0\nelement vertex 1\nproperty float128 x\nend_header\n1\n".utf8), ["property float128 x", "expected property TYPE NAME"])
        let asciiNaN = Self.unitSquareAscii.replacingOccurrences(of: "1 1 0 30", with: "1 nan 0 30")
        try check("nan.ply", Array(asciiNaN.utf8), ["line 14", "element vertex 2 of 4, property y", "'nan' is not finite"])
        var binaryInf = PLYBytes(header: "ply\nformat binary_little_endian 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\nend_header\n")
        binaryInf.float(1); binaryInf.float(.infinity); binaryInf.float(0)
        try check("inf.ply", binaryInf.bytes, ["property y", "not a finite Float"])
        let badIndex = Self.unitSquareAscii.replacingOccurrences(of: "3 0 2 3", with: "3 0 2 7")
        try check("index.ply", Array(badIndex.utf8), ["face 1 refers to vertex 7", "0...3"])
        let twoVertexFace = Self.unitSquareAscii.replacingOccurrences(of: "3 0 2 3\n", with: "2 0 2\n")
        try check("edge.ply", Array(twoVertexFace.utf8), ["face 1 has 2 vertices", "at least 3"])
        try check("extra.ply", Array((Self.unitSquareAscii + "9 9 9\n").utf8), ["follows the last element", "header counts"])
        try check("empty.ply", [], ["empty", "expected a PLY file"])
        try check("large.ply", good, ["maxFileBytes"], limits: structuredLimits())
        let directory = try folder.folder("dir.ply")
        expectLoadError(file: directory, mentions: ["is a folder"]) { _ = try load(directory) }
    }

    @Test func offVariantsAndComments() throws {
        let standard = "OFF\n# a tetrahedron\n4 4 6\n0 0 0\n1 0 0\n0 1 0\n0 0 1\n3 0 1 2\n3 0 1 3\n3 0 2 3\n3 1 2 3 255 0 0\n"
        let mesh = try OFFReader.parse(standard, file: "t.off", limits: .standard)
        #expect(mesh.vertexCount == 4 && mesh.faceCount == 4)
        #expect(mesh.faceIndices.suffix(3) == [1, 2, 3])   // the face colour is dropped
        let oneLine = "OFF 4 1 0\n0 0 0\n1 0 0\n0 1 0\n0 0 1\n4 0 1 2 3\n"
        let quad = try OFFReader.parse(oneLine, file: "q.off", limits: .standard)
        #expect(quad.faceStarts == [0, 4])
        let coloured = "#comment\nCOFF\n3 1 0\n0 0 0 255 0 0\n1 0 0 0 255 0\n0 1 0 0 0 255\n3 0 1 2\n"
        let colours = try OFFReader.parse(coloured, file: "c.off", limits: .standard)
        #expect(colours.vertexProperties["green"] == [0, 255, 0])
        #expect(colours.vertexProperties["alpha"] == nil)
    }

    @Test func badOFFFilesAreErrors() throws {
        let folder = try StructuredTempFolder()
        func check(_ name: String, _ text: String, _ mentions: [String], limits: LoadLimits = .standard) throws {
            let path = try folder.write(name, text)
            expectLoadError(file: path, mentions: mentions) { _ = try load(path, limits: limits) }
        }
        try check("magic.off", "PLY\n3 1 0\n", ["starts with 'PLY'", "expected the keyword OFF"])
        try check("counts.off", "OFF\nthree 1 0\n", ["line 2", "expected the counts V F E"])
        try check("lying.off", "OFF\n3000000 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n", ["declares 3000000 vertices", "only 4 data lines", "truncated"])
        try check("vertex.off", "OFF\n3 1 0\n0 0 0\n1 0\n0 1 0\n3 0 1 2\n", ["line 4", "vertex 1 has 2 values", "expected 3"])
        try check("nan.off", "OFF\n3 1 0\n0 0 0\n1 NaN 0\n0 1 0\n3 0 1 2\n", ["line 4", "'NaN' is not finite"])
        try check("face.off", "OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n4 0 1 2\n", ["line 6", "face 0", "3 values follow"])
        try check("index.off", "OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 5\n", ["face 0 refers to vertex 5", "0...2"])
        try check("extra.off", "OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n1 2 3\n", ["line 7", "data after the 3 vertices"])
        try check("many.off", "OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n", ["3 vertices", "maxPoints"], limits: structuredLimits(fileBytes: 1000, points: 2))
        try check("comments.off", "# only\n# comments\n", ["only comments", "expected an OFF mesh"])
        try check("flat.off", "OFF\n3 1 0\n0 0 0\n1 0 0\n2 0 0\n3 0 1 2\n", ["no area", "non-degenerate"])  // sampled (3 < 2048), but collinear
        try check("large.off", "OFF\n3 1 0\n" + String(repeating: "0.000000 0.000000 0.000000\n", count: 3) + "3 0 1 2\n", ["maxFileBytes"], limits: structuredLimits())
        let empty = try folder.write("empty.off", bytes: [])
        expectLoadError(file: empty, mentions: ["empty"]) { _ = try load(empty) }
    }

    @Test func xyzCommaAndSpaceSeparated() throws {
        let modelNet = try XYZReader.parse("0.1,0.2,0.3,0,0,1\n-0.1,-0.2,-0.3,0,1,0\n", file: "m.txt", limits: .standard)
        #expect(modelNet.positions == [0.1, 0.2, 0.3, -0.1, -0.2, -0.3])
        #expect(modelNet.vertexProperties["nz"] == [1, 0])
        let plain = try XYZReader.parse("# points\n1 2 3\n\n4\t5\t6\r\n", file: "p.xyz", limits: .standard)
        #expect(plain.positions == [1, 2, 3, 4, 5, 6] && plain.vertexProperties.isEmpty)
        let folder = try StructuredTempFolder()
        func check(_ name: String, _ text: String, _ mentions: [String], limits: LoadLimits = .standard) throws {
            let path = try folder.write(name, text)
            expectLoadError(file: path, mentions: mentions) { _ = try load(path, limits: limits) }
        }
        try check("four.xyz", "1 2 3\n1 2 3 4\n", ["line 2 has 4 values", "expected 3"])
        try check("mixed.xyz", "1 2 3\n1 2 3 0 0 1\n", ["line 2 has 6 values, earlier lines 3"])
        try check("word.xyz", "1 2 z\n", ["line 1", "'z' is not a number"])
        try check("inf.xyz", "1 2 3\n1 inf 3\n", ["line 2", "'inf' is not finite"])
        try check("none.xyz", "# nothing\n", ["holds no points"])
        try check("many.xyz", "1 2 3\n4 5 6\n7 8 9\n", ["more than 2 points", "maxPoints"], limits: structuredLimits(points: 2))
        try check("large.xyz", String(repeating: "1 2 3\n", count: 20), ["maxFileBytes"], limits: structuredLimits())
        let empty = try folder.write("empty.xyz", bytes: [])
        expectLoadError(file: empty, mentions: ["empty"]) { _ = try load(empty) }
    }

    @Test func optionsAreChecked() throws {
        let folder = try StructuredTempFolder()
        let path = try folder.write("p.xyz", "1 2 3\n")
        expectLoadError(file: path, mentions: ["sampling=surface", "no faces"]) { _ = try load(path, ["sampling": "surface"]) }
        expectLoadError(file: path, mentions: ["sampling=grid", "expected auto, surface or vertices"]) { _ = try load(path, ["sampling": "grid"]) }
        expectLoadError(file: path, mentions: ["points=0"]) { _ = try load(path, ["points": "0"]) }
        expectLoadError(file: path, mentions: ["unknown sample option", "row"]) { _ = try load(path, ["row": "1"]) }
        let unknown = try folder.write("p.e57", "1 2 3\n")
        expectLoadError(file: unknown, mentions: [".e57", "expected .ply"]) { _ = try load(unknown) }
    }
}

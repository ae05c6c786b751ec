import Foundation
import Testing
import SparkEngine
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
}

import Foundation
import Testing
import SparkEngine
@testable import AllSparkData

/// The committed samples of the structured modalities: every entry of every
/// `samples/<modality>/index.json` loads through the registry, with provenance and label.
@Suite("Structured: committed samples")
struct StructuredSamplesTests {
    static let modalities: [Modality] = [.text, .code, .table, .trajectory, .graph, .pointcloud]

    /// The repository root, found from this file's path (Tests/AllSparkDataTests/…).
    static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    @Test(arguments: modalities)
    func everyIndexedSampleLoads(modality: Modality) throws {
        let folder = (Self.repositoryRoot as NSString).appendingPathComponent("samples/\(modality.rawValue)")
        let catalog = try SampleCatalog.read(directory: folder)
        #expect(catalog.entries.count >= 3, "samples/\(modality.rawValue) lists \(catalog.entries.count) samples; at least 3 are wanted")
        for entry in catalog.entries {
            let sample = try SampleLoaders.load(modality, catalog.reference(entry))
            #expect(sample.modality == modality)
            #expect(sample.provenance == entry.provenance)
            #expect(!entry.source.isEmpty && !entry.licence.isEmpty)
            if entry.label != nil { #expect(sample.label != nil, "\(entry.file) has a label in the index but none after loading") }
            try Self.checkContent(sample)
        }
    }

    /// Shapes and values a model can use: finite numbers in the documented layouts.
    static func checkContent(_ sample: Sample) throws {
        switch sample.content {
        case .text(let text), .code(let text, _):
            #expect(!text.isEmpty)
        case .tableRow(let columns, let values):
            #expect(columns.count == values.count && !columns.isEmpty)
        case .trajectory(let observed, let neighbours):
            #expect(observed.shape == [TrajectoryLoader.observedSteps, 2])
            #expect(neighbours.allSatisfy { $0.shape == [TrajectoryLoader.observedSteps, 2] })
            #expect(observed.scalars.allSatisfy { $0.isFinite })
        case .graph(let series, let timeOfDay, let dayOfWeek, let adjacency):
            #expect(series.rank == 3 && series.dim(0) == 12)
            #expect(timeOfDay.count == 12 && dayOfWeek.count == 12)
            #expect(adjacency.shape == [series.dim(1), series.dim(1)])
            #expect(series.scalars.allSatisfy { $0.isFinite })
        case .pointCloud(let points, let properties):
            #expect(points.rank == 2 && points.dim(1) == 3 && points.dim(0) > 0)
            #expect(points.scalars.allSatisfy { $0.isFinite })
            #expect(properties.values.allSatisfy { $0.count == points.dim(0) })
        default:
            Issue.record("\(sample.path): content \(sample.content) is not a structured modality")
        }
    }

    @Test func realPointCloudsHaveTheExpectedSizes() throws {
        let folder = (Self.repositoryRoot as NSString).appendingPathComponent("samples/pointcloud")
        func count(_ file: String, _ options: [String: String] = [:]) throws -> Int {
            let sample = try SampleLoaders.load(.pointcloud, SampleReference(path: (folder as NSString).appendingPathComponent(file), options: options))
            guard case .pointCloud(let points, _) = sample.content else { return -1 }
            return points.dim(0)
        }
        #expect(try count("bunny.ply") == 4096)            // binary little-endian PLY
        #expect(try count("elephant.off") == 2775)         // vertices of a dense mesh
        #expect(try count("cube.off") == PointCloudLoader.defaultSurfacePoints)  // 8 vertices → surface sampled
        #expect(try count("sphere_1k.xyz") == 1050)
        #expect(try count("airplane.ply") == PointCloudLoader.defaultSurfacePoints)   // ascii mesh, 1,335 vertices
        #expect(try count("airplane.ply", ["sampling": "vertices"]) == 1335)
        #expect(try count("ant.ply", ["sampling": "vertices"]) == 486)               // binary mesh
    }
}

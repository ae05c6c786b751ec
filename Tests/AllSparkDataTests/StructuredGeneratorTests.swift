import Foundation
import Testing
import SparkEngine
@testable import AllSparkData

/// Every structured generator: same seed → same bytes; another seed → other bytes; everything
/// it writes loads through the loaders with the labels it promised.
@Suite("Structured: synthetic generators")
struct StructuredGeneratorTests {
    static var generators: [any SyntheticGenerator] { SyntheticGenerators.structuredGenerators }

    /// File name → bytes of everything in a folder.
    static func contents(of folder: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            result[name] = try Data(contentsOf: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(name)))
        }
        return result
    }

    @Test(arguments: generators.map(\.modality))
    func sameSeedSameBytes(modality: Modality) throws {
        let generator = try #require(SyntheticGenerators.generator(for: modality))
        let a = try StructuredTempFolder(), b = try StructuredTempFolder(), c = try StructuredTempFolder()
        let written = try generator.generate(count: 3, seed: 11, directory: a.path)
        _ = try generator.generate(count: 3, seed: 11, directory: b.path)
        _ = try generator.generate(count: 3, seed: 12, directory: c.path)
        let first = try Self.contents(of: a.path), second = try Self.contents(of: b.path), other = try Self.contents(of: c.path)
        #expect(Set(written.map { ($0 as NSString).lastPathComponent }) == Set(first.keys))
        #expect(first.keys.contains("index.json") && first.keys.contains("labels.txt"))
        #expect(first == second, "seed 11 wrote different bytes twice")
        let dataFiles = first.keys.filter { $0 != "labels.txt" }
        #expect(dataFiles.contains { first[$0] != other[$0] }, "seed 12 wrote the same data as seed 11")
    }

    @Test(arguments: generators.map(\.modality))
    func everyGeneratedSampleLoads(modality: Modality) throws {
        let generator = try #require(SyntheticGenerators.generator(for: modality))
        let folder = try StructuredTempFolder()
        _ = try generator.generate(count: 4, seed: 5, directory: folder.path)
        let catalog = try SampleCatalog.read(directory: folder.path)
        #expect(catalog.entries.count == 4)
        let labels = try String(contentsOfFile: folder.file("labels.txt"), encoding: .utf8)
        #expect(labels.split(separator: "\n").map(String.init) == generator.labelDescription)
        for entry in catalog.entries {
            #expect(entry.generated && entry.source.contains("allspark synth \(modality.rawValue) --count 4 --seed 5"))
            let sample = try SampleLoaders.load(modality, catalog.reference(entry))
            try StructuredSamplesTests.checkContent(sample)
            if modality != .pointcloud {
                #expect(sample.label != nil, "\(entry.file): generated samples come with their future as label")
            } else if case .className(let name) = sample.label {
                #expect(generator.labelDescription.contains(name))
            } else {
                Issue.record("\(entry.file): a point cloud without a class label")
            }
        }
    }

    @Test(arguments: generators.map(\.modality))
    func badOutputFolderOrCountIsAnError(modality: Modality) throws {
        let generator = try #require(SyntheticGenerators.generator(for: modality))
        let folder = try StructuredTempFolder()
        let file = try folder.write("not-a-folder", "x")
        expectLoadError(file: file, mentions: ["is a file", "expected a folder"]) {
            _ = try generator.generate(count: 1, seed: 0, directory: file)
        }
        #expect(throws: DataError.self) { _ = try generator.generate(count: 0, seed: 0, directory: folder.path) }
    }

    @Test func existingIndexEntriesForOtherFilesAreKept() throws {
        let folder = try StructuredTempFolder()
        let real = SampleCatalog.Entry(file: "bunny.ply", source: "real", licence: "CC0-1.0", generated: false, label: .init(class: "bunny"))
        try SampleCatalog(directory: folder.path, entries: [real]).write()
        _ = try PointCloudShapeGenerator().generate(count: 2, seed: 1, directory: folder.path)
        let entries = try SampleCatalog.read(directory: folder.path).entries
        #expect(entries.map(\.file) == ["bunny.ply", "synthetic-000-sphere.ply", "synthetic-001-cube.ply"])
    }

    @Test func everyPointCloudClassIsGenerated() throws {
        let folder = try StructuredTempFolder()
        _ = try PointCloudShapeGenerator().generate(count: PointCloudShapeGenerator.classes.count, seed: 3, directory: folder.path)
        let classes = try SampleCatalog.read(directory: folder.path).entries.compactMap { $0.label?.class }
        #expect(classes == PointCloudShapeGenerator.classes)
    }

    /// The pedestrians do not walk in straight lines at constant speed: the constant-velocity
    /// extrapolation of the last observed step misses the true future by a clear margin on
    /// average, which is what makes the prediction task worth a model.
    @Test func socialForceFuturesAreNotStraightLines() throws {
        let folder = try StructuredTempFolder()
        _ = try SocialForceTrajectoryGenerator().generate(count: 4, seed: 2, directory: folder.path)
        var errors: [Double] = []
        for entry in try SampleCatalog.read(directory: folder.path).entries {
            let sample = try SampleLoaders.load(.trajectory, SampleReference(path: folder.file(entry.file), options: entry.options ?? [:]))
            guard case .trajectory(let observed, let neighbours) = sample.content, case .futureTrajectory(let future)? = sample.label else {
                Issue.record("\(entry.file): no trajectory with a future"); continue
            }
            #expect(!neighbours.isEmpty, "\(entry.file): the chosen pedestrian walks alone")
            let vx = observed[7, 0] - observed[6, 0], vy = observed[7, 1] - observed[6, 1]
            let dx = observed[7, 0] + 12 * vx - future[11, 0], dy = observed[7, 1] + 12 * vy - future[11, 1]
            errors.append(Double((dx * dx + dy * dy).squareRoot()))
        }
        let mean = errors.reduce(0, +) / Double(errors.count)
        #expect(mean > 0.1, "constant-velocity final error \(mean) m: the futures are too predictable")
        #expect(mean < 10, "constant-velocity final error \(mean) m: the futures look random")
    }
}

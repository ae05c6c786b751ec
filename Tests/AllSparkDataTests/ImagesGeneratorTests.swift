import Foundation
import Testing
import SparkEngine
@testable import AllSparkData

/// Every image generator: same seed → same bytes; different seed → different data; everything it
/// writes loads through the registered loaders with the labels it recorded.
@Suite struct ImagesGeneratorTests {
    /// Small configurations so the suite stays fast (the committed samples use the defaults and are
    /// loaded by ImagesSamplesTests).
    static let generators: [any SyntheticGenerator] = [
        RGBSceneGenerator(side: 32),
        MSISceneGenerator(side: 12),
        HSISpectrumGenerator(),
        SARChipGenerator(side: 48),
        InfraredPairGenerator(width: 16, height: 32, identityCount: 4, galleryCount: 3),
        ObliqueSceneGenerator(imageSide: 16),
        VideoClipGenerator(width: 16, height: 12, frames: 4),
    ]

    /// Relative path → bytes of every file under `root`.
    static func contents(of root: String) throws -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let relative = enumerator?.nextObject() as? String {
            let full = (root as NSString).appendingPathComponent(relative)
            if !BoundedFile.isDirectory(full) { result[relative] = [UInt8](try Data(contentsOf: URL(fileURLWithPath: full))) }
        }
        return result
    }

    @Test(arguments: generators.indices)
    func sameSeedGivesTheSameBytes(index: Int) throws {
        let generator = Self.generators[index]
        let a = try ImagesTempFolder(), b = try ImagesTempFolder(), c = try ImagesTempFolder()
        let count = generator.labelDescription.count + 1
        let writtenA = try generator.generate(count: count, seed: 11, directory: a.path)
        _ = try generator.generate(count: count, seed: 11, directory: b.path)
        _ = try generator.generate(count: count, seed: 12, directory: c.path)
        let first = try Self.contents(of: a.path), second = try Self.contents(of: b.path), other = try Self.contents(of: c.path)
        #expect(first.count >= count + 2, "\(generator.modality): too few files")
        #expect(first.keys.sorted() == second.keys.sorted())
        for (name, bytes) in first { #expect(second[name] == bytes, "\(generator.modality): \(name) differs between runs") }
        let dataFiles = first.keys.filter { $0 != "index.json" && $0 != "labels.txt" && !$0.hasSuffix("/index.json") }
        #expect(dataFiles.contains { other[$0] != first[$0] }, "\(generator.modality): seed does not change the data")
        // The returned paths exist.
        for path in writtenA { #expect(FileManager.default.fileExists(atPath: path), "\(path) was reported but not written") }
    }

    /// A pool of people other than the default 12 is part of the command that writes the same bytes
    /// (`allspark synth infrared --identities N`), so each sample's source says it.
    @Test func anInfraredPoolOfOtherSizeIsInItsSource() throws {
        let folder = try ImagesTempFolder()
        _ = try InfraredPairGenerator(width: 16, height: 32, identityCount: 20, galleryCount: 3).generate(count: 2, seed: 5, directory: folder.path)
        let catalog = try SampleCatalog.read(directory: folder.path)
        #expect(catalog.entries.allSatisfy { $0.source.contains("--count 2 --seed 5 --identities 20 (") })
        #expect(try String(contentsOfFile: folder.file("labels.txt"), encoding: .utf8).split(separator: "\n").count == 20)
        let defaultFolder = try ImagesTempFolder()
        _ = try InfraredPairGenerator(width: 16, height: 32).generate(count: 1, seed: 5, directory: defaultFolder.path)
        #expect(try SampleCatalog.read(directory: defaultFolder.path).entries.allSatisfy { !$0.source.contains("--identities") })
    }

    @Test(arguments: generators.indices)
    func everythingWrittenLoadsWithItsLabel(index: Int) throws {
        let generator = Self.generators[index]
        let folder = try ImagesTempFolder()
        let count = generator.labelDescription.count
        _ = try generator.generate(count: count, seed: 5, directory: folder.path)
        let labels = try String(contentsOfFile: folder.file("labels.txt"), encoding: .utf8)
        #expect(labels == generator.labelDescription.joined(separator: "\n") + "\n")
        let catalog = try SampleCatalog.read(directory: folder.path)
        #expect(catalog.entries.count == count)
        var classes = Set<String>()
        for entry in catalog.entries {
            #expect(entry.generated && entry.source.contains("allspark synth \(generator.modality.rawValue)"))
            let sample = try SampleLoaders.load(generator.modality, catalog.reference(entry))
            #expect(sample.provenance.isGenerated)
            if let name = entry.label?.class {
                #expect(generator.labelDescription.contains(name))
                classes.insert(name)
            }
            switch generator.modality {
            case .infrared:
                guard case .galleryMatch = sample.label else { Issue.record("infrared sample without a gallery match"); continue }
            case .oblique:
                guard case .oblique(let views, let cameras) = sample.content, case .depthMap(let depth)? = sample.label else {
                    Issue.record("oblique sample without views or depth"); continue
                }
                #expect(views.count == 5 && cameras.count == 5 && depth.shape == [16, 16])
                #expect(depth.scalars.allSatisfy { $0 > 0 })
            default:
                #expect(sample.label == entry.sampleLabel)
            }
        }
        // Classification generators cycle through every class.
        if ![.infrared, .oblique].contains(generator.modality) { #expect(classes.count == generator.labelDescription.count) }
    }

    @Test func mergesTheIndexWithEntriesItDidNotWrite() throws {
        let folder = try ImagesTempFolder()
        let real = SampleCatalog.Entry(file: "photo.jpg", source: "a real photo", licence: "BSD-3", generated: false)
        try SampleCatalog(directory: folder.path, entries: [real]).write()
        _ = try RGBSceneGenerator(side: 16).generate(count: 2, seed: 1, directory: folder.path)
        let entries = try SampleCatalog.read(directory: folder.path).entries
        #expect(entries.map(\.file) == ["photo.jpg", "synth_rgb_00.png", "synth_rgb_01.png"])
    }

    @Test func everyImageModalityHasAGenerator() {
        for modality in [Modality.rgb, .msi, .hsi, .sar, .infrared, .oblique, .video] {
            #expect(SyntheticGenerators.generator(for: modality)?.modality == modality, "no generator for \(modality)")
        }
    }

    /// The oblique cameras are consistent with the depth they record: a reference-view pixel
    /// lifted to 3-D with its depth and projected into the other views lands inside them, and
    /// projecting it back into view 0 returns the same pixel.
    @Test func obliqueCamerasAndDepthAgree() throws {
        let folder = try ImagesTempFolder()
        _ = try ObliqueSceneGenerator(imageSide: 24).generate(count: 1, seed: 3, directory: folder.path)
        let sample = try ObliqueLoader().load(path: folder.file("synth_oblique_00"), options: [:], limits: .standard)
        guard case .oblique(_, let cameras) = sample.content, case .depthMap(let depth)? = sample.label else { Issue.record("no oblique sample"); return }
        func project(_ camera: Camera, _ p: [Double]) -> (Double, Double, Double) {
            let e = camera.extrinsic.map(Double.init), k = camera.intrinsic.map(Double.init)
            let c = (0..<3).map { r in e[4 * r] * p[0] + e[4 * r + 1] * p[1] + e[4 * r + 2] * p[2] + e[4 * r + 3] }
            return (k[0] * c[0] / c[2] + k[2], k[4] * c[1] / c[2] + k[5], c[2])
        }
        func unproject(_ camera: Camera, u: Double, v: Double, depth z: Double) -> [Double] {
            let e = camera.extrinsic.map(Double.init), k = camera.intrinsic.map(Double.init)
            let c = [(u - k[2]) / k[0] * z, (v - k[5]) / k[4] * z, z]
            // World = Rᵀ (c − t).
            let d = (0..<3).map { c[$0] - e[4 * $0 + 3] }
            return (0..<3).map { col in (0..<3).map { row in e[4 * row + col] * d[row] }.reduce(0, +) }
        }
        for (u, v) in [(3, 4), (12, 12), (20, 7)] {
            let z = Double(depth[v, u])
            let world = unproject(cameras[0], u: Double(u), v: Double(v), depth: z)
            let back = project(cameras[0], world)
            #expect(abs(back.0 - Double(u)) < 1e-3 && abs(back.1 - Double(v)) < 1e-3 && abs(back.2 - z) < 1e-3)
            #expect(world[2] > -10 && world[2] < 45, "a scene point at height \(world[2])")
            for camera in cameras.dropFirst() {
                let (x, y, d) = project(camera, world)
                #expect(d > Double(camera.depthMin) * 0.9 && x > -24 && x < 48 && y > -24 && y < 48)
            }
        }
    }

    /// Accuracy of a nearest-class-mean classifier trained on half of `features` (class, vector)
    /// and tested on the other half.
    static func nearestMeanAccuracy(_ features: [(Int, [Float])], classes: Int) -> Float {
        let half = features.enumerated().map { ($0.offset / classes % 2 == 0, $0.element) }
        let train = half.filter(\.0).map(\.1), test = half.filter { !$0.0 }.map(\.1)
        let means = (0..<classes).map { c -> [Float] in
            let rows = train.filter { $0.0 == c }.map(\.1)
            return (0..<rows[0].count).map { b in rows.map { $0[b] }.reduce(0, +) / Float(rows.count) }
        }
        let correct = test.filter { c, x in
            let distances = means.map { m in zip(m, x).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) }
            return distances.firstIndex(of: distances.min()!) == c
        }.count
        return Float(correct) / Float(test.count)
    }

    /// "Distinguishable but not trivially": the crudest classifier (nearest class mean of the
    /// mean colour, mean spectrum or raw spectrum) does far better than chance but is not perfect.
    @Test func classesAreSeparableButNotTrivially() {
        let rgb = RGBSceneGenerator(side: 32)
        let rgbFeatures = (0..<(8 * 12)).map { i -> (Int, [Float]) in
            var random = DeterministicRandom(seed: 9).derived(UInt64(i))
            let canvas = rgb.render(RGBSceneGenerator.classes[i % 8], &random)
            return (i % 8, (0..<3).map { c in canvas.pixels[(c * 1024)..<((c + 1) * 1024)].reduce(0, +) / 1024 })
        }
        let msi = MSISceneGenerator(side: 16)
        let msiFeatures = (0..<(10 * 12)).map { i -> (Int, [Float]) in
            var random = DeterministicRandom(seed: 9).derived(UInt64(i))
            let patch = msi.patch(MSISceneGenerator.classes[i % 10], &random)
            return (i % 10, (0..<13).map { b in patch[(b * 256)..<((b + 1) * 256)].reduce(0, +) / 256 })
        }
        let hsiFeatures = (0..<(9 * 40)).map { i -> (Int, [Float]) in
            var random = DeterministicRandom(seed: 9).derived(UInt64(i))
            return (i % 9, HSISpectrumGenerator().spectrum(i % 9, &random))
        }
        for (name, features, classes) in [("rgb", rgbFeatures, 8), ("msi", msiFeatures, 10), ("hsi", hsiFeatures, 9)] {
            let accuracy = Self.nearestMeanAccuracy(features, classes: classes)
            #expect(accuracy > 3 / Float(classes), "\(name): nearest-mean accuracy \(accuracy) is near chance")
            #expect(accuracy < 0.98, "\(name): nearest-mean accuracy \(accuracy): the classes are trivially separable")
        }
    }

    @Test func refusesAFileAsTheOutputFolder() throws {
        let folder = try ImagesTempFolder()
        let file = try folder.write("taken", text: "x")
        expectDataError([file, "is a file", "folder"]) { _ = try RGBSceneGenerator(side: 16).generate(count: 1, seed: 1, directory: file) }
    }

    @Test func gammaSamplesHaveTheRightMoments() {
        // Gamma(k, 1) has mean k and variance k; with 20000 draws the sample mean is within ~4 σ/√n.
        for k in [0.5, 1.0, 4.0] {
            var random = DeterministicRandom(seed: 3)
            let draws = (0..<20000).map { _ in random.gamma(shape: k) }
            let mean = draws.reduce(0, +) / Double(draws.count)
            let variance = draws.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(draws.count)
            #expect(abs(mean - k) < 4 * (k / 20000).squareRoot(), "k = \(k): mean \(mean)")
            #expect(abs(variance - k) < 0.1 * k, "k = \(k): variance \(variance)")
        }
    }
}

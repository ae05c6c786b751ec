import Foundation
import Testing
import SparkEngine
@testable import AllSparkData

/// The committed samples of the image modalities: every entry of every `samples/<modality>/index.json`
/// loads through the registry with its provenance and label, every data file is listed, and the
/// generated ones are what their recorded `allspark synth` command writes.
@Suite struct ImagesSamplesTests {
    static let modalities: [Modality] = [.rgb, .msi, .hsi, .sar, .infrared, .oblique, .video]

    static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    static func folder(_ modality: Modality) -> String {
        (repositoryRoot as NSString).appendingPathComponent("samples/\(modality.rawValue)")
    }

    @Test(arguments: modalities)
    func everyIndexedSampleLoads(modality: Modality) throws {
        let catalog = try SampleCatalog.read(directory: Self.folder(modality))
        #expect(catalog.entries.count >= 3, "samples/\(modality.rawValue) lists \(catalog.entries.count) samples; at least 3 are wanted")
        for entry in catalog.entries {
            #expect(!entry.source.isEmpty && !entry.licence.isEmpty)
            let sample = try SampleLoaders.load(modality, catalog.reference(entry))
            #expect(sample.modality == modality)
            #expect(sample.provenance == entry.provenance, "\(entry.file): provenance not taken from the index")
            if let name = entry.label?.class, modality != .infrared {
                #expect(sample.label == .className(name), "\(entry.file): label \(String(describing: sample.label))")
            }
            // A preview exists and fits.
            let preview = try #require(SamplePreviews.imagesPreview(sample, options: Preview.Options(width: 60, height: 16)))
            #expect(preview.height <= 16 && preview.width <= 60)
        }
    }

    @Test(arguments: modalities)
    func everyDataFileIsListed(modality: Modality) throws {
        let folder = Self.folder(modality)
        let listed = Set(try SampleCatalog.read(directory: folder).entries.map(\.file))
        for name in try BoundedFile.listing(of: folder) where !["index.json", "labels.txt"].contains(name) {
            // Band sidecars belong to the NPY file of the same name.
            if name.hasSuffix(".json"), listed.contains((name as NSString).deletingPathExtension + ".npy") { continue }
            // ENVI data files belong to the header of the same name.
            if listed.contains((name as NSString).deletingPathExtension + ".hdr") { continue }
            #expect(listed.contains(name), "samples/\(modality.rawValue)/\(name) is not listed in index.json")
        }
    }

    @Test func stayWithinTheSizeBudget() throws {
        var total = 0
        for modality in Self.modalities {
            let enumerator = FileManager.default.enumerator(atPath: Self.folder(modality))
            while let relative = enumerator?.nextObject() as? String {
                let attributes = try FileManager.default.attributesOfItem(atPath: (Self.folder(modality) as NSString).appendingPathComponent(relative))
                if (attributes[.type] as? FileAttributeType) == .typeRegular { total += (attributes[.size] as? NSNumber)?.intValue ?? 0 }
            }
        }
        #expect(total < 8 << 20, "image samples take \(total) bytes; the budget is 8 MiB")
    }

    /// Re-running each recorded `allspark synth` command writes the committed bytes. The oblique
    /// scenes take a few seconds to ray-cast, so they are checked in optimised builds only.
    @Test(arguments: modalities)
    func generatedSamplesAreReproducible(modality: Modality) throws {
        #if DEBUG
        if modality == .oblique { return }
        #endif
        let catalog = try SampleCatalog.read(directory: Self.folder(modality))
        // Held-out test samples (files "test-…", copied from a test split by
        // scripts/pick-demo-samples.py) come from another command; the folder's own ones are checked.
        guard let source = catalog.entries.first(where: { $0.generated && !$0.file.hasPrefix("test-") })?.source else { return }
        // "generated: allspark synth rgb --count 8 --seed 7 (…)"
        let words = source.split(separator: " ").map(String.init)
        let count = try #require(words.firstIndex(of: "--count").flatMap { Int(words[$0 + 1]) })
        let seed = try #require(words.firstIndex(of: "--seed").flatMap { UInt64(words[$0 + 1]) })
        let generator = try #require(SyntheticGenerators.generator(for: modality))
        let temporary = try ImagesTempFolder()
        let written = try generator.generate(count: count, seed: seed, directory: temporary.path)
        for path in written where !path.hasSuffix("/index.json") || path.contains("synth_ir_") {
            let relative = String(path.dropFirst(temporary.path.count + 1))
            let committed = (Self.folder(modality) as NSString).appendingPathComponent(relative)
            let expected = try Data(contentsOf: URL(fileURLWithPath: committed))
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == expected, "samples/\(modality.rawValue)/\(relative) differs from what its synth command writes")
        }
    }
}

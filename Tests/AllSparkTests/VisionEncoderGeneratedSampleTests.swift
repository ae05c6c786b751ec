import Foundation
import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine

/// From file to tokens: a sample written by this project's generator, read back by the
/// modality's loader and encoded with the tiny configuration, gives the specified shape.
struct VisionEncoderGeneratedSampleTests {
    typealias Support = VisionEncoderTestSupport

    static func generatedSample(_ generator: any SyntheticGenerator, pick: (String) -> String?) throws -> Sample {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("allspark-\(generator.modality.rawValue)-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let written = try generator.generate(count: 1, seed: 5, directory: directory)
        let path = try #require(written.lazy.compactMap(pick).first, "no sample among \(written)")
        return try SampleLoaders.load(generator.modality, SampleReference(path: path))
    }

    static func encodes(_ sample: Sample) throws {
        let section = try Support.tiny(sample.modality)
        let spec = try EncoderCatalog.specification(for: sample.modality, section: section, languageModelWidth: 576)
        let encoder = try EncoderCatalog.make(sample.modality, section: section, store: ParameterStore(seed: 20240501))
        let output = try encoder.encode(sample)
        #expect(output.tokens.shape == spec.tokenShape, "\(sample.modality)")
        #expect(output.input.shape == spec.inputShape, "\(sample.modality)")
        #expect(!TensorSummary(output.tokens).hasNonFinite, "\(sample.modality)")
    }

    static func file(_ suffix: String) -> (String) -> String? { { $0.hasSuffix(suffix) ? $0 : nil } }
    static func folder(of name: String) -> (String) -> String? {
        { $0.hasSuffix("/" + name) ? ($0 as NSString).deletingLastPathComponent : nil }
    }

    @Test func msi() throws { try Self.encodes(Self.generatedSample(MSISceneGenerator(), pick: Self.file(".npy"))) }
    @Test func hsi() throws { try Self.encodes(Self.generatedSample(HSISpectrumGenerator(), pick: Self.file(".npy"))) }
    @Test func sar() throws { try Self.encodes(Self.generatedSample(SARChipGenerator(), pick: Self.file(".npy"))) }
    @Test func infrared() throws { try Self.encodes(Self.generatedSample(InfraredPairGenerator(), pick: Self.folder(of: "query.png"))) }
    @Test func oblique() throws { try Self.encodes(Self.generatedSample(ObliqueSceneGenerator(imageSide: 48), pick: Self.folder(of: "view0.png"))) }
    @Test func video() throws { try Self.encodes(Self.generatedSample(VideoClipGenerator(), pick: Self.file(".y4m"))) }
}

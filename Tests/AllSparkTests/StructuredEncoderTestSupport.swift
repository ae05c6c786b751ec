import Foundation
import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine

/// Shared helpers of the table, trajectory, graph and point-cloud encoder tests.
enum StructuredEncoderTesting {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    static func tiny() throws -> AllSparkConfiguration {
        try AllSparkConfiguration.load(path: ConfigurationTests.configPath("allspark-tiny.json"))
    }

    static func paper() throws -> AllSparkConfiguration {
        try AllSparkConfiguration.load(path: ConfigurationTests.configPath("allspark-paper.json"))
    }

    /// A sample from `samples/<modality>/<file>` through the registry.
    static func sample(_ modality: Modality, _ file: String, _ options: [String: String] = [:]) throws -> Sample {
        let path = (repositoryRoot as NSString).appendingPathComponent("samples/\(modality.rawValue)/\(file)")
        return try SampleLoaders.load(modality, SampleReference(path: path, options: options))
    }

    /// A whole configuration around one modality's section (JSON text of `input`, `encoder`, `head`).
    static func configuration(_ modality: Modality, input: String, encoder: String, head: String) throws -> AllSparkConfiguration {
        let json = """
        { "name": "t", "languageModel": { "gguf": "m.gguf", "adapterFrequency": 2 },
          "bridge": { "queries": 4, "depth": 1, "heads": 2, "headWidth": 8, "ffnMultiple": 2 },
          "sequence": { "layout": "chatml", "headPooling": "last" },
          "modalities": { "\(modality.rawValue)": { "input": \(input), "encoder": \(encoder), "head": \(head) } } }
        """
        return try AllSparkConfiguration.parse(ConfigObject.parse(Data(json.utf8), file: "test.json"))
    }

    /// Expects `body` to throw an error whose text contains `keyPath`.
    static func expectError(mentioning keyPath: String, sourceLocation: SourceLocation = #_sourceLocation,
                            _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected an error mentioning \(keyPath)", sourceLocation: sourceLocation)
        } catch {
            #expect("\(error)".contains(keyPath), "message: \(error)", sourceLocation: sourceLocation)
        }
    }

    /// Largest absolute difference between two tensors of the same shape.
    static func maxDifference(_ a: Tensor, _ b: Tensor) -> Float {
        precondition(a.shape == b.shape, "shapes \(a.shape) and \(b.shape) differ")
        return zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
    }
}

/// Every sample listed in `samples/<modality>/index.json` of the four structured modalities
/// encodes to the specified shape, with finite tokens, under the tiny configuration or the trained
/// one (the real Auckland graph and Beijing table samples have the trained configuration's shapes;
/// the others fit both): no listed sample fits neither.
struct StructuredSamplesEncodeTests {
    @Test(arguments: [Modality.table, .trajectory, .graph, .pointcloud])
    func everyIndexedSampleEncodes(modality: Modality) throws {
        let root = StructuredEncoderTesting.repositoryRoot as NSString
        let encoders = try ["allspark-tiny.json", "allspark-trained.json"].map { name in
            let config = try AllSparkConfiguration.load(path: root.appendingPathComponent("configs/\(name)"))
            return try EncoderCatalog.make(modality, section: config.section(modality), store: ParameterStore(seed: config.seed))
        }
        let catalog = try SampleCatalog.read(directory: root.appendingPathComponent("samples/\(modality.rawValue)"))
        #expect(!catalog.entries.isEmpty)
        for entry in catalog.entries {
            let sample = try SampleLoaders.load(modality, catalog.reference(entry))
            var errors: [String] = []
            for encoder in encoders {
                do {
                    let output = try encoder.encode(sample)
                    #expect(output.tokens.shape == encoder.specification.tokenShape, "\(entry.file)")
                    #expect(!TensorSummary(output.tokens).hasNonFinite, "\(entry.file)")
                    errors = []
                    break
                } catch { errors.append("\(error)") }
            }
            #expect(errors.isEmpty, "\(entry.file) fits no configuration: \(errors.joined(separator: "; "))")
        }
    }
}

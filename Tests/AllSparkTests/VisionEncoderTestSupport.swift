import Foundation
import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine

/// What the vision encoders' tests share: the repository's configurations, hand-written sections,
/// random samples and a check that a configuration error names its key.
enum VisionEncoderTestSupport {
    static func paper(_ modality: Modality) throws -> ModalitySection {
        try AllSparkConfiguration.load(path: ConfigurationTests.configPath("allspark-paper.json")).section(modality)
    }

    static func tiny(_ modality: Modality) throws -> ModalitySection {
        try AllSparkConfiguration.load(path: ConfigurationTests.configPath("allspark-tiny.json")).section(modality)
    }

    /// A section from JSON text for `input` and `encoder`, at the key paths a real file would give.
    static func section(_ modality: Modality, input: String, encoder: String) throws -> ModalitySection {
        func object(_ json: String, _ key: String) throws -> ConfigObject {
            let parsed = try ConfigObject.parse(Data(json.utf8), file: "test.json")
            return ConfigObject(file: "test.json", keyPath: "modalities.\(modality.rawValue).\(key)", dictionary: parsed.dictionary)
        }
        let head = try ConfigObject(file: "test.json", keyPath: "head", dictionary: ["kind": "generation"]).decode(HeadSection.self)
        return ModalitySection(input: try object(input, "input"), encoder: try object(encoder, "encoder"), head: head,
                               prompts: "prompts/\(modality.rawValue).txt")
    }

    /// Expects `body` to throw a configuration error whose message names `keyPath`.
    static func expectError(naming keyPath: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected an error naming \(keyPath)", sourceLocation: sourceLocation)
        } catch let error as ConfigurationError {
            #expect("\(error)".contains(keyPath), "message: \(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected a ConfigurationError naming \(keyPath), got \(error)", sourceLocation: sourceLocation)
        }
    }

    static func uniform(_ shape: [Int], seed: UInt64, lower: Float = 0, upper: Float = 1) -> Tensor {
        var generator = SeededRandomGenerator(seed: seed)
        return Tensor(randomUniform: shape, lower: lower, upper: upper, generator: &generator)
    }

    static func sample(_ modality: Modality, _ content: SampleContent) -> Sample {
        Sample(modality: modality, path: "memory", content: content)
    }

    /// Largest absolute difference of two tensors of the same shape.
    static func maxDifference(_ a: Tensor, _ b: Tensor) -> Float {
        precondition(a.shape == b.shape, "shapes \(a.shape) and \(b.shape) differ")
        return zip(a.scalars, b.scalars).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }
}

import Foundation
import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine
import SparkFormats
import SparkLM

/// One training step of the whole model against an independent JAX implementation in float64
/// (scripts/reference/e2e_gradient_reference.py, which wrote everything in Fixtures/e2e): for each
/// modality a tiny configuration with a 2-layer language model (byte-level tokenizer, GQA, F32),
/// a seeded checkpoint of the modality's encoder, bridge and head (loaded strictly), a batch of
/// two prepared inputs with their targets and answer sentences, and the reference loss and
/// gradient of every trainable parameter. `ModalityTrainer.step` must give the same loss (1e-5
/// relative) and gradients (every element within 1e-4 of the tensor's largest reference magnitude).
///
/// Set ALLSPARK_E2E_REPORT=1 to print each tensor's largest difference.
@Suite(.serialized)
struct EndToEndGradientTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// Relative to the repository root, as the configurations' paths are.
    static let folder = "Tests/AllSparkTests/Fixtures/e2e"
    static let report = ProcessInfo.processInfo.environment["ALLSPARK_E2E_REPORT"] != nil

    /// `<modality>-examples.json`: the prompt, and per example its target and answer sentence.
    struct Examples: Decodable {
        struct Item: Decodable {
            var label: String
            /// Classification: the class.
            var classIndex: Int?
            /// Regression: the value in the target's units (the test scales it with the head's mean and std).
            var value: Float?
            /// Trajectory and graph: the values in the head's units, and which are targets.
            var values: [Float]?
            var observed: [Bool]?
            var answer: String?
            /// Table: the row the prepared indices were made from (nil: a missing value).
            var row: [String: Double?]?
        }
        var prompt: String
        var examples: [Item]
    }

    /// Builds the model and the batch from the fixtures, runs one step and compares it with the
    /// reference.
    func check(_ modality: Modality) throws {
        FileManager.default.changeCurrentDirectoryPath(Self.root.path)
        let name = modality.rawValue
        func path(_ suffix: String) -> String { "\(Self.folder)/\(name)\(suffix)" }

        let model = try AllSparkModel(configuration: AllSparkConfiguration.load(path: path(".json")))
        let trainer = try ModalityTrainer(model: model, modality: modality, decoder: DecoderTrainer(decoder: model.languageModel.decoder),
                                          options: TrainingOptions())
        // Builds the components and verifies the checkpoint strictly (nothing missing, nothing unused).
        let components = try model.components(modality)
        for module in ParameterName.modules(ofModality: name) {
            #expect(model.store.provenance(prefix: module) == .checkpoint(file: path(".safetensors")), "\(module) is not all from the checkpoint")
        }
        #expect(model.languageModel.configuration.layerCount == 2)

        let fixture = try JSONDecoder().decode(Examples.self, from: Data(contentsOf: URL(fileURLWithPath: path("-examples.json"))))
        let stacked = try NPY.read(path: path("-inputs.npy"))
        let batch = stacked.shape[0], inputShape = Array(stacked.shape.dropFirst())
        let size = inputShape.reduce(1, *), scalars = stacked.floats()
        #expect(batch == fixture.examples.count)
        if modality == .table { #expect(fixture.examples.allSatisfy { $0.row != nil }, "table examples carry their rows") }
        let head = components.head.section
        let examples = try fixture.examples.enumerated().map { index, item -> TrainingExample in
            let input = Tensor(shape: inputShape, scalars: Array(scalars[(index * size)..<((index + 1) * size)]))
            let target: HeadTarget
            switch head.kind {
            case .classification:
                let classIndex = try #require(item.classIndex)
                #expect(head.labels?[classIndex] == item.label)
                #expect(item.answer == AnswerSentence.forClass(item.label), "the answer sentence of '\(item.label)'")
                target = .classIndex(classIndex)
            case .regression:
                target = .values([head.scale(try #require(item.value))], observed: nil)
            default:
                target = .values(try #require(item.values), observed: item.observed)
            }
            if let row = item.row {
                // The prepared indices are what the encoder's own preparation makes of the row.
                let columns = row.keys.sorted()
                let sample = Sample(modality: modality, path: "e2e", content: .tableRow(columns: columns, values: columns.map { row[$0]!.map(TableValue.number) ?? .missing }))
                let prepared = try (try #require(components.encoder as? any TrainableEncoder)).prepare(sample)
                #expect(prepared == input, "row \(index): prepared \(prepared.scalars), fixture \(input.scalars)")
            }
            return TrainingExample(reference: SampleReference(path: path("-inputs.npy") + "#\(index)"), input: input, target: target,
                                   answer: item.answer, label: item.label)
        }

        let result = try trainer.step(examples, prompt: fixture.prompt)
        let reference = try NPZ.read(path: path("-reference.npz"))
        func value(_ key: String) throws -> Double { try #require(reference[key], "the reference lacks \(key)").doubles()[0] }

        for (what, got, want) in [("loss", result.loss, try value("loss")), ("head loss", result.headLoss, try value("head_loss")),
                                  ("language loss", result.languageLoss, try value("lm_loss"))] {
            let difference = abs(Double(got) - want)
            #expect(difference <= 1e-5 * abs(want), "\(name) \(what): \(got), reference \(want) (relative difference \(difference / max(abs(want), 1e-30)))")
        }
        let outputs = try #require(reference["head_outputs"])
        #expect(result.headOutputs.shape == outputs.shape)
        let outputError = Self.relativeDifference(result.headOutputs.scalars, outputs.doubles())
        #expect(outputError <= 1e-4, "\(name) head outputs: relative difference \(outputError)")

        let expectedNames = Set(reference.keys.filter { $0.hasPrefix("grad.") }.map { String($0.dropFirst(5)) })
        #expect(Set(result.gradients.keys) == expectedNames,
                "\(name): gradients for \(Set(result.gradients.keys).subtracting(expectedNames).sorted()) not in the reference; missing \(expectedNames.subtracting(result.gradients.keys).sorted())")
        #expect(Set(trainer.trainableNames()) == expectedNames, "\(name): the trainer's trainable names differ from the reference's")

        var worst: (name: String, error: Double) = ("", 0)
        var lines: [String] = []
        for parameter in expectedNames.sorted() {
            guard let gradient = result.gradients[parameter], let expected = reference["grad." + parameter] else { continue }
            #expect(gradient.shape == expected.shape, "\(parameter): gradient shape \(gradient.shape), reference \(expected.shape)")
            let error = Self.relativeDifference(gradient.scalars, expected.doubles())
            #expect(error <= 1e-4, "\(parameter): max |Δ| is \(error) × the largest reference magnitude")
            if error > worst.error { worst = (parameter, error) }
            lines.append("  " + parameter.padding(toLength: 60, withPad: " ", startingAt: 0) + String(format: " %.2e", error))
        }
        let total = expectedNames.reduce(0) { $0 + (reference["grad." + $1]?.count ?? 0) }
        let expectedLoss = try value("loss")
        print("e2e \(name): loss \(result.loss) (reference \(expectedLoss)), \(expectedNames.count) tensors, \(total) gradient values; "
            + "largest max|Δ|/max|ref| " + String(format: "%.2e", worst.error) + " (\(worst.name))")
        if Self.report { print(lines.joined(separator: "\n")) }
    }

    /// max |got − want| / max |want| (0 when both are zero).
    static func relativeDifference(_ got: [Float], _ want: [Double]) -> Double {
        guard got.count == want.count else { return .infinity }
        let scale = want.map(abs).max() ?? 0
        let difference = zip(got, want).map { abs(Double($0) - $1) }.max() ?? 0
        return scale > 0 ? difference / scale : difference
    }

    /// ViT encoder, classification head at the generation prompt's last row, answer sentences
    /// (head loss + language-model loss), two answers of different lengths (padding).
    @Test func rgbStepMatchesJAX() throws { try check(.rgb) }

    /// TabFormer-style encoder, regression head on the mean of the modality rows, a bridge of its
    /// own depth, no answer sentence.
    @Test func tableStepMatchesJAX() throws { try check(.table) }

    /// TUTR-style encoder, trajectory head, a bridge with fewer queries.
    @Test func trajectoryStepMatchesJAX() throws { try check(.trajectory) }

    /// STAEformer embedding (lookup rows and an adaptive tensor), graph head with a masked loss.
    @Test func graphStepMatchesJAX() throws { try check(.graph) }
}

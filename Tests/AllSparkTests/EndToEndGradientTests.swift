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
/// prepared inputs with their targets and answer sentences, and the reference loss and gradient
/// of every trainable parameter. `ModalityTrainer.step` must give the same loss (1e-5 relative)
/// and gradients (every element within 1e-4 of the tensor's largest reference magnitude). Every
/// modality with a trainable encoder has a test; batch-norm running statistics are constants.
///
/// Two things keep the point cloud's fixtures small: its two large mini-PointNet weights are
/// not in the checkpoint but made here from an integer pattern (`patterned` in its examples file)
/// and written with the fixture's tensors to a temporary checkpoint; their reference gradients,
/// of rank at most the batch's point count, are stored as two factors (`gradleft.<name>` [m, r]
/// and `gradright.<name>` [r, …], the gradient is their product).
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
            /// The encoder's training input variant (infrared: 1 is a gallery image alone); nil: 0.
            var variant: Int?
            /// The input's shape when smaller than the stacked row (it fills the row's first
            /// values, zeros follow): infrared's variant 1, an oblique sample with fewer views.
            var inputShape: [Int]?
        }
        /// A checkpoint tensor the fixture leaves out, made by `pattern`.
        struct Patterned: Decodable {
            var name: String
            var shape: [Int]
            var multiplier: Int
            var offset: Int
            var modulus: Int
            var scale: Float
        }
        var prompt: String
        var examples: [Item]
        var patterned: [Patterned]?
    }

    /// module_forward_reference.pattern: ((i · multiplier + offset) mod modulus − modulus / 2) · scale
    /// over the flat index (exact in Float32 for the power-of-two scales used).
    static func pattern(_ p: Examples.Patterned) -> Tensor {
        Tensor(shape: p.shape, scalars: (0..<p.shape.reduce(1, *)).map { i in Float(((i * p.multiplier + p.offset) % p.modulus) - p.modulus / 2) * p.scale })
    }

    /// The reference gradient of `parameter`: `grad.<name>`, or the product of its two factors.
    static func referenceGradient(_ reference: [String: NumpyArray], _ parameter: String) -> (shape: [Int], values: [Double])? {
        if let whole = reference["grad." + parameter] { return (whole.shape, whole.doubles()) }
        guard let left = reference["gradleft." + parameter], let right = reference["gradright." + parameter],
              left.shape.count == 2, right.shape.first == left.shape[1] else { return nil }
        let (m, r) = (left.shape[0], left.shape[1]), n = right.count / max(r, 1)
        let l = left.doubles(), w = right.doubles()
        var values = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for k in 0..<r where l[i * r + k] != 0 {
                let a = l[i * r + k]
                for j in 0..<n { values[i * n + j] += a * w[k * n + j] }
            }
        }
        return ([m] + Array(right.shape.dropFirst()), values)
    }

    /// Builds the model and the batch from the fixtures, runs one step and compares it with the
    /// reference.
    func check(_ modality: Modality) throws {
        FileManager.default.changeCurrentDirectoryPath(Self.root.path)
        let name = modality.rawValue
        func path(_ suffix: String) -> String { "\(Self.folder)/\(name)\(suffix)" }

        let fixture = try JSONDecoder().decode(Examples.self, from: Data(contentsOf: URL(fileURLWithPath: path("-examples.json"))))
        var configuration = try AllSparkConfiguration.load(path: path(".json"))
        var checkpoint = path(".safetensors")
        if let patterned = fixture.patterned, !patterned.isEmpty {
            // The fixture's tensors plus the patterned ones, in one temporary checkpoint.
            let file = try SafetensorsFile(path: checkpoint)
            var tensors = try file.tensors.map { (name: $0.name, tensor: try file.tensor($0.name), dtype: SafetensorsDType.F32) }
            tensors += patterned.map { (name: $0.name, tensor: Self.pattern($0), dtype: SafetensorsDType.F32) }
            checkpoint = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(name)-\(UUID().uuidString).safetensors").path
            try SafetensorsWriter.write(tensors, metadata: file.metadata, to: checkpoint)
            configuration.checkpoint = checkpoint
        }
        defer { if checkpoint != path(".safetensors") { try? FileManager.default.removeItem(atPath: checkpoint) } }

        let model = try AllSparkModel(configuration: configuration)
        let trainer = try ModalityTrainer(model: model, modality: modality, decoder: DecoderTrainer(decoder: model.languageModel.decoder),
                                          options: TrainingOptions())
        // Builds the components and verifies the checkpoint strictly (nothing missing, nothing unused).
        let components = try model.components(modality)
        for module in ParameterName.modules(ofModality: name) {
            #expect(model.store.provenance(prefix: module) == .checkpoint(file: checkpoint), "\(module) is not all from the checkpoint")
        }
        #expect(model.languageModel.configuration.layerCount == 2)

        let stacked = try NPY.read(path: path("-inputs.npy"))
        let batch = stacked.shape[0], inputShape = Array(stacked.shape.dropFirst())
        let size = inputShape.reduce(1, *), scalars = stacked.floats()
        #expect(batch == fixture.examples.count)
        if modality == .table { #expect(fixture.examples.allSatisfy { $0.row != nil }, "table examples carry their rows") }
        let head = components.head.section
        let examples = try fixture.examples.enumerated().map { index, item -> TrainingExample in
            let row = Array(scalars[(index * size)..<((index + 1) * size)])
            let shape = item.inputShape ?? inputShape, count = shape.reduce(1, *)
            #expect(count <= size && row[count...].allSatisfy { $0 == 0 }, "example \(index): an input of shape \(shape) in a row of \(inputShape)")
            let input = Tensor(shape: shape, scalars: Array(row.prefix(count)))
            let target: HeadTarget
            switch head.kind {
            case .classification, .reidentification:
                let classIndex = try #require(item.classIndex)
                #expect(head.labels?[classIndex] == item.label)
                // Classification answers with the class in words; re-identification has no answer.
                let answer = head.kind == .classification ? AnswerSentence.forClass(item.label) : nil
                #expect(item.answer == answer, "the answer sentence of '\(item.label)'")
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
                                   answer: item.answer, label: item.label, variant: item.variant ?? 0)
        }

        let result = try trainer.step(examples, prompt: fixture.prompt)
        let reference = try NPZ.read(path: path("-reference.npz"))
        if model.configuration.headPooling(modality) == .modalityMean, fixture.examples.allSatisfy({ $0.answer == nil }),
           let bridge = components.bridge {
            // Such a head reads only rows up to the modality's last, so the step runs no later
            // row; the reference ran them all, and the checks below show the cut loses nothing.
            let lm = model.languageModel
            let assembler = SequenceAssembler(tokenizer: lm.tokenizer, template: lm.template,
                                              systemPrompt: configuration.languageModel.systemPrompt, maximumLength: lm.maximumContext)
            let layout = try TrainingSequence(assembler: assembler, prompt: fixture.prompt, modalityCount: bridge.section.queries,
                                              width: lm.configuration.width)
            #expect(result.languageModelRows == batch * layout.modalityRows.upperBound)
            #expect(layout.modalityRows.upperBound < layout.promptLength)
        }
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

        let expectedNames = Set(reference.keys.filter { $0.hasPrefix("grad.") }.map { String($0.dropFirst(5)) }
            + reference.keys.filter { $0.hasPrefix("gradleft.") }.map { String($0.dropFirst(9)) })
        #expect(Set(result.gradients.keys) == expectedNames,
                "\(name): gradients for \(Set(result.gradients.keys).subtracting(expectedNames).sorted()) not in the reference; missing \(expectedNames.subtracting(result.gradients.keys).sorted())")
        #expect(Set(trainer.trainableNames()) == expectedNames, "\(name): the trainer's trainable names differ from the reference's")

        var worst: (name: String, error: Double) = ("", 0)
        var lines: [String] = []
        for parameter in expectedNames.sorted() {
            guard let gradient = result.gradients[parameter] else { continue }
            let expected = try #require(Self.referenceGradient(reference, parameter), "\(parameter): the reference's factors do not fit")
            #expect(gradient.shape == expected.shape, "\(parameter): gradient shape \(gradient.shape), reference \(expected.shape)")
            let error = Self.relativeDifference(gradient.scalars, expected.values)
            #expect(error <= 1e-4, "\(parameter): max |Δ| is \(error) × the largest reference magnitude")
            if error > worst.error { worst = (parameter, error) }
            lines.append("  " + parameter.padding(toLength: 60, withPad: " ", startingAt: 0) + String(format: " %.2e", error))
        }
        let total = expectedNames.reduce(0) { $0 + (Self.referenceGradient(reference, $1)?.values.count ?? 0) }
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

    /// Band tokens (shared linear 1 → D plus band positions), transformer, classification with answers.
    @Test func hsiStepMatchesJAX() throws { try check(.hsi) }

    /// ViT over 4 chosen bands, classification with answers.
    @Test func msiStepMatchesJAX() throws { try check(.msi) }

    /// Conv, batch norm (fixed statistics), ReLU and max-pool layers; classification with answers.
    @Test func sarStepMatchesJAX() throws { try check(.sar) }

    /// Point-BERT: mini-PointNet with batch norms and group maxima, centre-MLP positions before
    /// every block; two large weights patterned, their gradients factored.
    @Test func pointcloudStepMatchesJAX() throws { try check(.pointcloud) }

    /// TubeViT sparse tubes (two Conv3d shapes) with fixed sin-cos positions, transformer.
    @Test func videoStepMatchesJAX() throws { try check(.video) }

    /// Shared ViT per view plus view embeddings (one sample with fewer views than configured),
    /// depth head with a masked mean absolute error, no answer.
    @Test func obliqueStepMatchesJAX() throws { try check(.oblique) }

    /// Two ResNets; the batch holds both training variants (the IR–RGB pair, and a gallery image
    /// alone through the RGB branch); identity cross-entropy, no answer.
    @Test func infraredStepMatchesJAX() throws { try check(.infrared) }
}

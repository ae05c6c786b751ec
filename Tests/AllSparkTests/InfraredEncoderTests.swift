import Foundation
import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine
import SparkFormats

struct InfraredEncoderTests {
    typealias Support = VisionEncoderTestSupport

    /// An IR query and three RGB gallery images of different sizes.
    static func sample() -> Sample {
        Support.sample(.infrared, .infrared(query: Support.uniform([3, 120, 60], seed: 1),
                                            gallery: [Support.uniform([3, 128, 64], seed: 2), Support.uniform([3, 100, 40], seed: 3),
                                                      Support.uniform([3, 128, 64], seed: 4)],
                                            galleryNames: ["g0", "g1", "g2"]))
    }

    @Test func paperShapesAreTheSpecTable() throws {
        let spec = try InfraredEncoder.specification(section: Support.paper(.infrared))
        #expect(spec.inputShape == [2, 3, 288, 144])
        #expect(spec.tokenShape == [90, 2048])
    }

    /// Feature-map sides of a four-stage ResNet from PyTorch's window rule (stem 7/2 pad 3, pool
    /// 3/2 pad 1, three 3×3/2 pad 1 stages), scripts/reference/vision_encoder_geometry.py:
    /// 288 × 144 → 9 × 5, 128 × 64 → 4 × 2, 100 × 50 → 4 × 2, 32 → 1.
    @Test func resNetArithmetic() {
        let resnet50 = ResNetSizes(block: .bottleneck, layers: [3, 4, 6, 3], widths: [64, 128, 256, 512], stem: 64)
        #expect([288, 144, 128, 64, 100, 50, 32].map { resnet50.featureSide($0) } == [9, 5, 4, 2, 4, 2, 1])
        #expect(resnet50.outputWidth == 2048)
        #expect(ResNetSizes(block: .basic, layers: [2, 2, 2, 2], widths: [64, 128, 256, 512], stem: 64).outputWidth == 512)
    }

    @Test func tinySpecificationMatchesARealEncodingAndTheBranchesAgree() throws {
        let section = try Support.tiny(.infrared)
        let spec = try InfraredEncoder.specification(section: section)
        let encoder = try InfraredEncoder(section: section, store: ParameterStore(seed: 1))
        let sample = Self.sample()
        let output = try encoder.encode(sample)
        #expect(output.tokens.shape == spec.tokenShape)
        #expect(output.input.shape == spec.inputShape)
        #expect(output.layout == .views(count: 2, rows: 4, columns: 2, leading: 0))
        #expect(!TensorSummary(output.tokens).hasNonFinite)

        // IR query tokens first, then the first gallery image's through the RGB branch.
        let perImage = encoder.rows * encoder.columns
        let query = try encoder.encodeQuery(sample)
        let gallery = try encoder.encodeGallery(sample)
        #expect(gallery.count == 3 && gallery.allSatisfy { $0.shape == [perImage, spec.tokenWidth] })
        #expect(output.tokens.slice(rows: 0..<perImage) == query)
        #expect(output.tokens.slice(rows: perImage..<(2 * perImage)) == gallery[0])
        #expect(try encoder.encode(sample, galleryIndex: 2).tokens.slice(rows: perImage..<(2 * perImage)) == gallery[2])
        #expect(throws: EncoderInputError.self) { try encoder.encode(sample, galleryIndex: 3) }

        // The two branches have their own weights: one image gives different tokens in each.
        let same = Support.sample(.infrared, .infrared(query: Support.uniform([3, 128, 64], seed: 2),
                                                       gallery: [Support.uniform([3, 128, 64], seed: 2)], galleryNames: ["g"]))
        #expect(try encoder.encodeQuery(same) != encoder.encodeGallery(same)[0])
    }

    @Test func bottleneckBlocksRunAndWidenByFour() throws {
        let section = try Support.section(.infrared, input: #"{ "height": 64, "width": 32 }"#,
                                          encoder: #"{ "block": "bottleneck", "layers": [1, 2], "widths": [4, 8], "stem": 8 }"#)
        let spec = try InfraredEncoder.specification(section: section)
        // 64 → 32 (stem) → 16 (pool) → 8 (stage 2); 32 → 16 → 8 → 4.
        #expect(spec.tokenShape == [2 * 8 * 4, 32])
        let output = try InfraredEncoder(section: section, store: ParameterStore(seed: 1)).encode(Self.sample())
        #expect(output.tokens.shape == spec.tokenShape)
        #expect(!TensorSummary(output.tokens).hasNonFinite)
    }

    /// A checkpoint written with torchvision's names is taken up completely: no tensor is left
    /// unused, and loading one changes the tokens.
    @Test func parametersHaveTorchvisionNames() throws {
        let section = try Support.section(.infrared, input: #"{ "height": 64, "width": 32 }"#,
                                          encoder: #"{ "block": "bottleneck", "layers": [1, 1], "widths": [4, 8], "stem": 8 }"#)
        let names: [(String, [Int])] = [
            ("encoders.infrared.ir.conv1.weight", [8, 3, 7, 7]),
            ("encoders.infrared.ir.bn1.running_var", [8]),
            ("encoders.infrared.ir.layer1.0.conv3.weight", [16, 4, 1, 1]),
            ("encoders.infrared.ir.layer1.0.downsample.0.weight", [16, 8, 1, 1]),
            ("encoders.infrared.ir.layer2.0.conv2.weight", [8, 8, 3, 3]),
            ("encoders.infrared.ir.layer2.0.downsample.1.bias", [32]),
            ("encoders.infrared.rgb.layer2.0.bn3.weight", [32]),
        ]
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("infrared-names-\(UUID().uuidString).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SafetensorsWriter.write(names.map { ($0.0, Tensor(repeating: 0.5, shape: $0.1), SafetensorsDType.F32) }, metadata: [:], to: path)
        let store = try ParameterStore(seed: 1, checkpointPath: path)
        let loaded = try InfraredEncoder(section: section, store: store)
        #expect(store.unexpectedInCheckpoint(prefix: "encoders.infrared") == [])
        let fresh = try InfraredEncoder(section: section, store: ParameterStore(seed: 1))
        #expect(try loaded.encode(Self.sample()).tokens != fresh.encode(Self.sample()).tokens)
    }

    @Test func sameSeedSameTokensOtherSeedOtherTokens() throws {
        let section = try Support.tiny(.infrared)
        let a = try InfraredEncoder(section: section, store: ParameterStore(seed: 1)).encode(Self.sample()).tokens
        let b = try InfraredEncoder(section: section, store: ParameterStore(seed: 1)).encode(Self.sample()).tokens
        let c = try InfraredEncoder(section: section, store: ParameterStore(seed: 2)).encode(Self.sample()).tokens
        #expect(a == b)
        #expect(a != c)
    }

    @Test func samplesThatDoNotFitAreRefused() throws {
        let encoder = try InfraredEncoder(section: Support.tiny(.infrared), store: ParameterStore(seed: 1))
        #expect(throws: EncoderInputError.self) { try encoder.encode(Support.sample(.infrared, .image(Tensor(zeros: [3, 8, 8])))) }
        #expect(throws: EncoderInputError.self) {
            try encoder.encode(Support.sample(.infrared, .infrared(query: Tensor(zeros: [3, 8, 8]), gallery: [], galleryNames: [])))
        }
        #expect(throws: EncoderInputError.self) {
            try encoder.encode(Support.sample(.infrared, .infrared(query: Tensor(zeros: [1, 8, 8]), gallery: [Tensor(zeros: [3, 8, 8])], galleryNames: ["g"])))
        }
    }

    @Test(arguments: [
        (#"{ "height": 0, "width": 64 }"#, #"{ "block": "basic", "layers": [1], "widths": [8], "stem": 8 }"#, "modalities.infrared.input.height"),
        (#"{ "height": 64, "width": 64, "mean": [0.5] }"#, #"{ "block": "basic", "layers": [1], "widths": [8], "stem": 8 }"#, "modalities.infrared.input.std"),
        (#"{ "height": 64, "width": 64 }"#, #"{ "block": "wide", "layers": [1], "widths": [8], "stem": 8 }"#, "modalities.infrared.encoder.block"),
        (#"{ "height": 64, "width": 64 }"#, #"{ "block": "basic", "layers": [1, 1], "widths": [8], "stem": 8 }"#, "modalities.infrared.encoder.widths"),
        (#"{ "height": 64, "width": 64 }"#, #"{ "block": "basic", "layers": [0], "widths": [8], "stem": 8 }"#, "modalities.infrared.encoder.layers"),
        (#"{ "height": 64, "width": 64 }"#, #"{ "block": "basic", "layers": [1], "widths": [8] }"#, "modalities.infrared.encoder.stem"),
    ])
    func configurationErrorsNameTheKey(input: String, encoder: String, keyPath: String) {
        Support.expectError(naming: keyPath) {
            _ = try InfraredEncoder.specification(section: Support.section(.infrared, input: input, encoder: encoder))
        }
    }
}

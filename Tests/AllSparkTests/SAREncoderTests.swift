import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine

struct SAREncoderTests {
    typealias Support = VisionEncoderTestSupport

    static func chip(height: Int, width: Int, seed: UInt64) -> Sample {
        Support.sample(.sar, .sar(Support.uniform([height, width], seed: seed)))
    }

    @Test func paperShapesAreTheSpecTable() throws {
        let spec = try SAREncoder.specification(section: Support.paper(.sar))
        #expect(spec.inputShape == [1, 128, 128])
        #expect(spec.tokenShape == [256, 256])
    }

    @Test func tinySpecificationMatchesARealEncoding() throws {
        let section = try Support.tiny(.sar)
        let spec = try SAREncoder.specification(section: section)
        let encoder = try SAREncoder(section: section, store: ParameterStore(seed: 1))
        // Larger than the input (centre crop) and smaller (bilinear resize) chips.
        for (height, width) in [(150, 131), (60, 90)] {
            let output = try encoder.encode(Self.chip(height: height, width: width, seed: 3))
            #expect(output.tokens.shape == spec.tokenShape)
            #expect(output.input.shape == spec.inputShape)
            #expect(output.layout == .grid(rows: 16, columns: 16, leading: 0))
            #expect(!TensorSummary(output.tokens).hasNonFinite)
            // dB relative to the peak over 40 dB: the brightest pixel is 1, nothing leaves [0, 1].
            #expect(output.input.scalars.max() == 1 && output.input.scalars.min()! >= 0)
        }
    }

    @Test func largerChipsAreCentreCroppedNotScaled() throws {
        let encoder = try SAREncoder(section: Support.tiny(.sar), store: ParameterStore(seed: 1))
        // A 130 × 132 chip: the crop starts at row 1, column 2. Magnitude 1 there and 0.01 (−40 dB)
        // elsewhere maps to 1 and 0 after the dB scaling.
        var magnitude = Tensor(repeating: 0.01, shape: [130, 132])
        magnitude[1, 2] = 1
        magnitude[128, 129] = 1
        let input = try encoder.encode(Support.sample(.sar, .sar(magnitude))).input
        #expect(input[0, 0, 0] == 1 && input[0, 127, 127] == 1)
        #expect(input[0, 0, 1] == 0 && input[0, 64, 64] == 0)
    }

    @Test func sameSeedSameTokensOtherSeedOtherTokens() throws {
        let section = try Support.tiny(.sar)
        let sample = Self.chip(height: 128, width: 128, seed: 8)
        let a = try SAREncoder(section: section, store: ParameterStore(seed: 1)).encode(sample).tokens
        let b = try SAREncoder(section: section, store: ParameterStore(seed: 1)).encode(sample).tokens
        let c = try SAREncoder(section: section, store: ParameterStore(seed: 2)).encode(sample).tokens
        #expect(a == b)
        #expect(a != c)
    }

    /// Feature-map sides for 3 layers of (3×3 conv, padding 1) + 2×2 pool, from PyTorch's window
    /// rule in scripts/reference/vision_encoder_geometry.py: 128 → 16, 100 → 12, 64 → 8, 9 → 1,
    /// 8 → 1, 7 → 0 (too small).
    @Test func convolutionArithmetic() throws {
        let layers = SAREncoder.EncoderSection(channels: [64, 128, 256], kernel: 3, pool: 2)
        #expect([128, 100, 64, 9, 8].map { layers.featureSide($0) } == [16, 12, 8, 1, 1])
        #expect(layers.featureSide(7) == nil)
        #expect(ConvolutionArithmetic.outputSide(7, kernel: 3, stride: 2, padding: 1) == 4)
        #expect(ConvolutionArithmetic.outputSide(2, kernel: 5, stride: 1) == nil)
        Support.expectError(naming: "modalities.sar.input.size") {
            _ = try SAREncoder.specification(section: Support.section(.sar, input: #"{ "size": 7 }"#,
                                                                      encoder: #"{ "channels": [4, 4, 4], "kernel": 3, "pool": 2 }"#))
        }
    }

    @Test func samplesThatDoNotFitAreRefused() throws {
        let encoder = try SAREncoder(section: Support.tiny(.sar), store: ParameterStore(seed: 1))
        #expect(throws: EncoderInputError.self) { try encoder.encode(Support.sample(.sar, .image(Tensor(zeros: [1, 8, 8])))) }
        #expect(throws: EncoderInputError.self) { try encoder.encode(Support.sample(.sar, .sar(Tensor(zeros: [2, 8, 8])))) }
        #expect(throws: EncoderInputError.self) { try encoder.encode(Support.sample(.sar, .sar(Tensor(repeating: -1, shape: [8, 8])))) }
    }

    @Test(arguments: [
        (#"{ "size": 64, "dynamicRange": 0 }"#, #"{ "channels": [4], "kernel": 3, "pool": 2 }"#, "modalities.sar.input.dynamicRange"),
        (#"{ "size": 64 }"#, #"{ "channels": [], "kernel": 3, "pool": 2 }"#, "modalities.sar.encoder.channels"),
        (#"{ "size": 64 }"#, #"{ "channels": [4], "kernel": 4, "pool": 2 }"#, "modalities.sar.encoder.kernel"),
        (#"{ "size": 64 }"#, #"{ "channels": [4], "kernel": 3, "pool": 0 }"#, "modalities.sar.encoder.pool"),
        (#"{ "size": 64 }"#, #"{ "channels": [4], "kernel": 3 }"#, "modalities.sar.encoder.pool"),
        (#"{ "size": 64 }"#, #"{ "channels": [4], "kernel": 3, "pool": 2, "stride": 1 }"#, "modalities.sar.encoder.stride"),
    ])
    func configurationErrorsNameTheKey(input: String, encoder: String, keyPath: String) {
        Support.expectError(naming: keyPath) {
            _ = try SAREncoder.specification(section: Support.section(.sar, input: input, encoder: encoder))
        }
    }
}

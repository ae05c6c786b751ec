import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine

struct RGBEncoderTests {
    @Test func paperAndTinyShapes() throws {
        let paper = try AllSparkConfiguration.load(path: ConfigurationTests.configPath("allspark-paper.json"))
        let tiny = try AllSparkConfiguration.load(path: ConfigurationTests.configPath("allspark-tiny.json"))
        #expect(try RGBEncoder.specification(section: paper.section(.rgb)).tokenShape == [901, 1408])
        #expect(try RGBEncoder.specification(section: paper.section(.rgb)).inputShape == [3, 420, 420])
        #expect(try RGBEncoder.specification(section: tiny.section(.rgb)).tokenShape == [65, 192])
    }

    @Test func encodesAnImageToTheSpecifiedShape() throws {
        let tiny = try AllSparkConfiguration.load(path: ConfigurationTests.configPath("allspark-tiny.json"))
        let encoder = try RGBEncoder(section: tiny.section(.rgb), store: ParameterStore(seed: 1))
        var generator = SeededRandomGenerator(seed: 3)
        let image = Tensor(randomUniform: [3, 50, 70], generator: &generator)
        let output = try encoder.encode(Sample(modality: .rgb, path: "memory", content: .image(image)))
        #expect(output.tokens.shape == [65, 192])
        #expect(!TensorSummary(output.tokens).hasNonFinite)
        #expect(output.layout == .grid(rows: 8, columns: 8, leading: 1))
        // Gray images are accepted (repeated to 3 channels); other content is refused.
        _ = try encoder.encode(Sample(modality: .rgb, path: "memory", content: .image(Tensor(zeros: [1, 16, 16]))))
        #expect(throws: EncoderInputError.self) {
            try encoder.encode(Sample(modality: .rgb, path: "memory", content: .text("hello")))
        }
    }

    @Test func sameSeedSameTokensOtherSeedOtherTokens() throws {
        let tiny = try AllSparkConfiguration.load(path: ConfigurationTests.configPath("allspark-tiny.json"))
        let sample = Sample(modality: .rgb, path: "memory", content: .image(Tensor(repeating: 0.5, shape: [3, 64, 64])))
        let a = try RGBEncoder(section: tiny.section(.rgb), store: ParameterStore(seed: 1)).encode(sample).tokens
        let b = try RGBEncoder(section: tiny.section(.rgb), store: ParameterStore(seed: 1)).encode(sample).tokens
        let c = try RGBEncoder(section: tiny.section(.rgb), store: ParameterStore(seed: 2)).encode(sample).tokens
        #expect(a == b)
        #expect(a != c)
    }
}

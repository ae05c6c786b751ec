import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine

struct HSIEncoderTests {
    typealias Support = VisionEncoderTestSupport

    static let rosis: [Float] = (0..<103).map { 430 + Float($0) * 430 / 102 }

    static func spectrum(_ values: [Float], wavelengths: [Float] = []) -> Sample {
        Support.sample(.hsi, .spectrum(Tensor(shape: [values.count], scalars: values), wavelengths: wavelengths))
    }

    @Test func paperShapesAreTheSpecTable() throws {
        let spec = try HSIEncoder.specification(section: Support.paper(.hsi))
        #expect(spec.inputShape == [103])
        #expect(spec.tokenShape == [103, 768])
    }

    @Test func tinySpecificationMatchesARealEncoding() throws {
        let section = try Support.tiny(.hsi)
        let spec = try HSIEncoder.specification(section: section)
        let encoder = try HSIEncoder(section: section, store: ParameterStore(seed: 1))
        let values = Support.uniform([103], seed: 4, upper: 0.4).scalars
        let output = try encoder.encode(Self.spectrum(values, wavelengths: Self.rosis))
        #expect(output.tokens.shape == spec.tokenShape)
        #expect(output.input.shape == spec.inputShape)
        #expect(!TensorSummary(output.tokens).hasNonFinite)
        guard case .sequence(let labels?) = output.layout else { Issue.record("expected labelled sequence"); return }
        #expect(labels.count == 103 && labels.first == "430 nm" && labels.last == "860 nm")
        // Resampling the ROSIS bands onto themselves changes nothing.
        #expect(Support.maxDifference(output.input, Tensor(shape: [103], scalars: values)) < 1e-6)
        // A spectrum without wavelengths, of another length, is resampled over the band index.
        let short = try encoder.encode(Self.spectrum(Array(values.prefix(50))))
        #expect(short.tokens.shape == spec.tokenShape)
        #expect(short.layout == .sequence(labels: (0..<103).map { "band \($0)" }))
    }

    @Test func sameSeedSameTokensOtherSeedOtherTokens() throws {
        let section = try Support.tiny(.hsi)
        let sample = Self.spectrum(Support.uniform([103], seed: 9).scalars)
        let a = try HSIEncoder(section: section, store: ParameterStore(seed: 1)).encode(sample).tokens
        let b = try HSIEncoder(section: section, store: ParameterStore(seed: 1)).encode(sample).tokens
        let c = try HSIEncoder(section: section, store: ParameterStore(seed: 2)).encode(sample).tokens
        #expect(a == b)
        #expect(a != c)
    }

    /// Reference values from numpy (scripts/reference/vision_encoder_geometry.py):
    /// np.interp(linspace(420, 680, 5), [400, 500, 550, 700], [1, 3, 2, 6]) and
    /// np.interp(arange(7) · 3/6, arange(4), [1, 3, 2, 6]).
    @Test func spectrumResamplingMatchesNumpy() throws {
        let values: [Float] = [1, 3, 2, 6]
        let targets = SpectrumResampling.evenlySpaced(from: 420, to: 680, count: 5)
        #expect(targets == [420, 485, 550, 615, 680])
        let interpolated = try SpectrumResampling.interpolate(values, at: [400, 500, 550, 700], to: targets)
        let expected: [Float] = [1.4, 2.7, 2.0, 3.7333333, 5.4666667]
        #expect(zip(interpolated, expected).allSatisfy { abs($0 - $1) < 1e-5 }, "\(interpolated)")
        #expect(SpectrumResampling.overBandIndex(values, count: 7) == [1, 2, 3, 2.5, 2, 4, 6])
        // Outside the measured range, and wavelengths that do not increase, are refused.
        #expect(throws: SpectrumResampling.Problem.self) { try SpectrumResampling.interpolate(values, at: [400, 500, 550, 700], to: [390, 500]) }
        #expect(throws: SpectrumResampling.Problem.self) { try SpectrumResampling.interpolate(values, at: [400, 500, 500, 700], to: [450]) }
    }

    @Test func eachBandIsATokenOfTheSharedProjectionPlusItsPosition() throws {
        let encoder = try HSIEncoder(section: Support.tiny(.hsi), store: ParameterStore(seed: 3))
        let standardised: [Float] = (0..<103).map { Float($0 % 7) - 3 }
        let tokens = encoder.bandTokens(standardised)
        let w = encoder.bandEmbedding.weight, bias = encoder.bandEmbedding.bias!, pos = encoder.positions
        var worst: Float = 0
        for band in [0, 1, 50, 102] {
            for d in [0, 5, 127] {
                let expected = standardised[band] * w[d, 0] + bias[d] + pos[band, d]
                worst = max(worst, abs(tokens[band, d] - expected))
            }
        }
        #expect(worst < 1e-6)
    }

    @Test func standardisation() throws {
        // Configured statistics (one value for every band): (x − mean) / std.
        let encoder = try HSIEncoder(section: Support.tiny(.hsi), store: ParameterStore(seed: 1))
        let (mean, std) = (try #require(encoder.input.mean?.first), try #require(encoder.input.std?.first))
        let configured = encoder.standardise([mean, mean + std] + [Float](repeating: 0, count: 101))
        #expect(abs(configured[0]) < 1e-6 && abs(configured[1] - 1) < 1e-5)
        // Without statistics, the spectrum's own: [1, 2, 3, 4] → mean 2.5, std √1.25.
        let own = try HSIEncoder(section: Support.section(.hsi, input: #"{ "bands": 4 }"#, encoder: #"{ "width": 8, "depth": 1, "heads": 2 }"#),
                                 store: ParameterStore(seed: 1)).standardise([1, 2, 3, 4])
        #expect(zip(own, [-1.3416408, -0.4472136, 0.4472136, 1.3416408] as [Float]).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test func samplesThatDoNotFitAreRefused() throws {
        let encoder = try HSIEncoder(section: Support.tiny(.hsi), store: ParameterStore(seed: 1))
        #expect(throws: EncoderInputError.self) { try encoder.encode(Support.sample(.hsi, .sar(Tensor(zeros: [4, 4])))) }
        #expect(throws: EncoderInputError.self) { try encoder.encode(Self.spectrum([0.1, .nan, 0.2])) }
        // The configured 430–860 nm range is not inside a 500–900 nm sample.
        let shifted = (0..<50).map { 500 + Float($0) * 8 }
        #expect(throws: EncoderInputError.self) { try encoder.encode(Self.spectrum([Float](repeating: 0.1, count: 50), wavelengths: shifted)) }
    }

    @Test(arguments: [
        (#"{ "bands": 1 }"#, #"{ "width": 8, "depth": 1, "heads": 2 }"#, "modalities.hsi.input.bands"),
        (#"{ "bands": 8, "wavelengthRange": [860, 430] }"#, #"{ "width": 8, "depth": 1, "heads": 2 }"#, "modalities.hsi.input.wavelengthRange"),
        (#"{ "bands": 8, "mean": [1, 2], "std": [1, 2] }"#, #"{ "width": 8, "depth": 1, "heads": 2 }"#, "modalities.hsi.input.mean"),
        (#"{ "bands": 8, "mean": [1], "std": [0] }"#, #"{ "width": 8, "depth": 1, "heads": 2 }"#, "modalities.hsi.input.std"),
        (#"{ "bands": 8 }"#, #"{ "width": 8, "depth": 1, "heads": 3 }"#, "modalities.hsi.encoder.heads"),
        (#"{ "bands": 8 }"#, #"{ "width": 8, "depth": 0, "heads": 2 }"#, "modalities.hsi.encoder.depth"),
        (#"{ "bands": 8 }"#, #"{ "width": 8, "depth": 1, "heads": 2, "patch": 4 }"#, "modalities.hsi.encoder.patch"),
    ])
    func configurationErrorsNameTheKey(input: String, encoder: String, keyPath: String) {
        Support.expectError(naming: keyPath) {
            _ = try HSIEncoder.specification(section: Support.section(.hsi, input: input, encoder: encoder))
        }
    }
}

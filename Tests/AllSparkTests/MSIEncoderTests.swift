import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine

struct MSIEncoderTests {
    typealias Support = VisionEncoderTestSupport

    static let sentinelBands = ["B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B8A", "B09", "B10", "B11", "B12"]

    /// A 13-band sample whose band k is the constant k (so a band's identity survives resizing).
    static func constantBands(height: Int = 32, width: Int = 48) -> Sample {
        let plane = height * width
        let scalars = (0..<13).flatMap { [Float](repeating: Float($0), count: plane) }
        return Support.sample(.msi, .multispectral(Tensor(shape: [13, height, width], scalars: scalars),
                                                   bandNames: sentinelBands, wavelengths: []))
    }

    @Test func paperShapesAreTheSpecTable() throws {
        let spec = try MSIEncoder.specification(section: Support.paper(.msi))
        #expect(spec.inputShape == [13, 224, 224])
        #expect(spec.tokenShape == [197, 768])
    }

    @Test func tinySpecificationMatchesARealEncoding() throws {
        let section = try Support.tiny(.msi)
        let spec = try MSIEncoder.specification(section: section)
        let encoder = try MSIEncoder(section: section, store: ParameterStore(seed: 1))
        // A non-square patch: resized so the shorter side fits, then centre-cropped.
        let image = Support.uniform([13, 40, 70], seed: 5, upper: 0.4)
        let output = try encoder.encode(Support.sample(.msi, .multispectral(image, bandNames: [], wavelengths: [])))
        #expect(output.tokens.shape == spec.tokenShape)
        #expect(output.input.shape == spec.inputShape)
        #expect(output.layout == .grid(rows: 8, columns: 8, leading: 1))
        #expect(!TensorSummary(output.tokens).hasNonFinite)
    }

    @Test func sameSeedSameTokensOtherSeedOtherTokens() throws {
        let section = try Support.tiny(.msi)
        let sample = Support.sample(.msi, .multispectral(Support.uniform([13, 64, 64], seed: 2), bandNames: [], wavelengths: []))
        let a = try MSIEncoder(section: section, store: ParameterStore(seed: 1)).encode(sample).tokens
        let b = try MSIEncoder(section: section, store: ParameterStore(seed: 1)).encode(sample).tokens
        let c = try MSIEncoder(section: section, store: ParameterStore(seed: 2)).encode(sample).tokens
        #expect(a == b)
        #expect(a != c)
    }

    @Test func bandsAreChosenByNameOrIndexInTheConfiguredOrder() throws {
        let byName = try Support.section(.msi, input: #"{ "size": 16, "bands": 3, "select": ["b04", "B03", "B8A"] }"#,
                                         encoder: #"{ "width": 8, "depth": 1, "heads": 2, "patch": 8 }"#)
        let named = try MSIEncoder(section: byName, store: ParameterStore(seed: 1)).encode(Self.constantBands())
        // B04 is band 3, B03 band 2, B8A band 8 (Sentinel-2 order).
        #expect((0..<3).map { named.input[$0, 5, 5] } == [3, 2, 8])

        let byIndex = try Support.section(.msi, input: #"{ "size": 16, "bands": 2, "bandIndices": [12, 0] }"#,
                                          encoder: #"{ "width": 8, "depth": 1, "heads": 2, "patch": 8 }"#)
        let indexed = try MSIEncoder(section: byIndex, store: ParameterStore(seed: 1)).encode(Self.constantBands())
        #expect(indexed.input.shape == [2, 16, 16])
        #expect((0..<2).map { indexed.input[$0, 0, 15] } == [12, 0])
    }

    /// The central square is cut before resizing: a 2 × 4 image keeps columns 1 and 2, and a
    /// 1 × 5000 strip becomes a 64 × 64 input without first growing to 64 × 320 000.
    @Test func squareInputsAreCutFromTheCentre() throws {
        let image = Tensor(shape: [1, 2, 4], scalars: [0, 1, 2, 3, 4, 5, 6, 7])
        #expect(try SquareInput.centred(image, side: 2).scalars == [1, 2, 5, 6])
        let encoder = try MSIEncoder(section: Support.tiny(.msi), store: ParameterStore(seed: 1))
        let strip = Support.sample(.msi, .multispectral(Support.uniform([13, 1, 5000], seed: 3), bandNames: [], wavelengths: []))
        #expect(try encoder.encode(strip).input.shape == [13, 64, 64])
    }

    @Test func samplesThatDoNotFitAreRefused() throws {
        let encoder = try MSIEncoder(section: Support.tiny(.msi), store: ParameterStore(seed: 1))
        #expect(throws: EncoderInputError.self) { try encoder.encode(Support.sample(.msi, .image(Tensor(zeros: [3, 8, 8])))) }
        // 4 bands where the configuration takes 13, and no selection configured.
        #expect(throws: EncoderInputError.self) {
            try encoder.encode(Support.sample(.msi, .multispectral(Tensor(zeros: [4, 8, 8]), bandNames: [], wavelengths: [])))
        }
        let byName = try Support.section(.msi, input: #"{ "size": 16, "bands": 1, "select": ["B99"] }"#,
                                         encoder: #"{ "width": 8, "depth": 1, "heads": 2, "patch": 8 }"#)
        #expect(throws: EncoderInputError.self) {
            try MSIEncoder(section: byName, store: ParameterStore(seed: 1)).encode(Self.constantBands())
        }
    }

    @Test func perBandStandardisationWithoutDatasetStatistics() throws {
        // Band values 1, 2, 3, 4: mean 2.5, population std √1.25 = 1.1180340 → ±1.3416408, ±0.4472136.
        let image = Tensor(shape: [1, 2, 2], scalars: [1, 2, 3, 4])
        let standardised = try ChannelStatistics.standardisedPerChannel(image)
        let expected: [Float] = [-1.3416408, -0.4472136, 0.4472136, 1.3416408]
        #expect(zip(standardised.scalars, expected).allSatisfy { abs($0 - $1) < 1e-5 })
        // A flat band becomes zeros instead of dividing by zero.
        #expect(try ChannelStatistics.standardisedPerChannel(Tensor(repeating: 7, shape: [1, 2, 2])).scalars == [0, 0, 0, 0])
    }

    @Test(arguments: [
        (#"{ "size": 64, "bands": 13, "select": ["B02"] }"#, "modalities.msi.input.select"),
        (#"{ "size": 64, "bands": 2, "bandIndices": [0, -1] }"#, "modalities.msi.input.bandIndices"),
        (#"{ "size": 64, "bands": 2, "bandIndices": [0, 1], "select": ["B02", "B03"] }"#, "modalities.msi.input.bandIndices"),
        (#"{ "size": 64, "bands": 13, "mean": [0.1, 0.2], "std": [0.1, 0.2] }"#, "modalities.msi.input.mean"),
        (#"{ "size": 64, "bands": 13, "mean": [0.1] }"#, "modalities.msi.input.std"),
        (#"{ "size": 60, "bands": 13 }"#, "modalities.msi.input.size"),
        (#"{ "size": 64, "band": 13 }"#, "modalities.msi.input.band"),
    ])
    func configurationErrorsNameTheKey(input: String, keyPath: String) {
        Support.expectError(naming: keyPath) {
            _ = try MSIEncoder.specification(section: Support.section(.msi, input: input, encoder: #"{ "width": 8, "depth": 1, "heads": 2, "patch": 8 }"#))
        }
    }
}

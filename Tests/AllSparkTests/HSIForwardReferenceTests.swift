import Foundation
import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine
import SparkFormats

/// The hyperspectral encoder, preprocessing included (resampling at configured wavelengths or over
/// the band index, standardisation by configured or own statistics), against an independent NumPy
/// forward in float64 (scripts/reference/hsi_forward_reference.py, which wrote the checkpoint, the
/// spectra and the expected arrays in Fixtures/forward/hsi). Tolerance 1e-4 of the largest expected
/// magnitude.
struct HSIForwardReferenceTests {

    static func read(_ name: String) throws -> NumpyArray { try ForwardReference.read("hsi", name) }

    static let encoderJSON = #"{ "width": 12, "depth": 2, "heads": 3, "mlpRatio": 2 }"#

    static func encoder(input: String) throws -> HSIEncoder {
        let section = try VisionEncoderTestSupport.section(.hsi, input: input, encoder: encoderJSON)
        let store = try ParameterStore(seed: 1, checkpointPath: ForwardReference.path("hsi", "checkpoint.safetensors"))
        let encoder = try HSIEncoder(section: section, store: store)
        try store.verify(modules: ["encoders.hsi"])
        return encoder
    }

    /// 19 values at irregular wavelengths 420 … 800 nm, interpolated at 450, 480 … 780 nm and
    /// standardised with per-band statistics.
    @Test func wavelengthResamplingAndConfiguredStatisticsMatchTheNumPyForward() throws {
        let input = """
        { "bands": 12, "wavelengthRange": [450, 780],
          "mean": [0.1, 0.12, 0.14, 0.16, 0.18, 0.2, 0.22, 0.24, 0.26, 0.28, 0.3, 0.32],
          "std": [0.05, 0.06, 0.07, 0.08, 0.05, 0.06, 0.07, 0.08, 0.05, 0.06, 0.07, 0.08] }
        """
        let encoder = try Self.encoder(input: input)
        let spectrum = try Self.read("input_wavelengths.npy").tensor()
        let wavelengths = try Self.read("wavelengths.npy").floats()
        #expect(spectrum.shape == [19] && wavelengths.count == 19)
        let output = try encoder.encode(VisionEncoderTestSupport.sample(.hsi, .spectrum(spectrum, wavelengths: wavelengths)))
        ForwardReference.expectClose(output.input, try Self.read("expected_input_wavelengths.npy"), "spectrum at the configured bands")
        ForwardReference.expectClose(output.tokens, try Self.read("expected_wavelengths.npy"), "tokens")
        #expect(output.layout == .sequence(labels: (0..<12).map { "\(450 + 30 * $0) nm" }))
    }

    /// 17 values without wavelengths, resampled over the band index to 12 and standardised by the
    /// spectrum's own mean and standard deviation.
    @Test func bandIndexResamplingAndOwnStatisticsMatchTheNumPyForward() throws {
        let encoder = try Self.encoder(input: #"{ "bands": 12 }"#)
        let spectrum = try Self.read("input_index.npy").tensor()
        #expect(spectrum.shape == [17])
        let output = try encoder.encode(VisionEncoderTestSupport.sample(.hsi, .spectrum(spectrum, wavelengths: [])))
        ForwardReference.expectClose(output.input, try Self.read("expected_input_index.npy"), "spectrum over the band index")
        ForwardReference.expectClose(output.tokens, try Self.read("expected_index.npy"), "tokens")
    }
}

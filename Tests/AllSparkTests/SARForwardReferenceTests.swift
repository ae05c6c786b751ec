import Foundation
import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine
import SparkFormats

/// The SAR encoder, preprocessing included, against an independent NumPy forward in float64
/// (scripts/reference/sar_forward_reference.py, which wrote the checkpoint, the chip and the
/// expected arrays in Fixtures/forward/sar). Tolerance 1e-4 of the largest expected magnitude.
struct SARForwardReferenceTests {

    static func path(_ name: String) -> String { ForwardReference.path("sar", name) }

    @Test func encoderMatchesTheNumPyForward() throws {
        let section = try VisionEncoderTestSupport.section(.sar, input: #"{ "size": 26, "dynamicRange": 30 }"#,
                                                          encoder: #"{ "channels": [3, 4, 5], "kernel": 3, "pool": 2 }"#)
        let store = try ParameterStore(seed: 1, checkpointPath: Self.path("checkpoint.safetensors"))
        let encoder = try SAREncoder(section: section, store: store)
        try store.verify(modules: ["encoders.sar"])

        let chip = try SparkFormats.NPY.read(path: Self.path("input.npy")).tensor()
        #expect(chip.shape == [29, 31])
        let output = try encoder.encode(VisionEncoderTestSupport.sample(.sar, .sar(chip)))
        let expectedInput = try SparkFormats.NPY.read(path: Self.path("expected_input.npy"))
        let expectedTokens = try SparkFormats.NPY.read(path: Self.path("expected.npy"))
        ForwardReference.expectClose(output.input, expectedInput, "preprocessed chip")
        ForwardReference.expectClose(output.tokens, expectedTokens, "tokens")
    }
}

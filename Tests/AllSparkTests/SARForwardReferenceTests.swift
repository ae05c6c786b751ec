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
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/forward/sar")

    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// Expects `got` to have `expected`'s shape and every value within 1e-4 of its largest magnitude.
    static func expectClose(_ got: Tensor, _ expected: NumpyArray, _ what: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(got.shape == expected.shape, "\(what): shape \(got.shape), expected \(expected.shape)", sourceLocation: sourceLocation)
        let want = expected.floats()
        let scale = want.map { abs($0) }.max() ?? 0
        var failures = 0
        var worst: Float = 0
        for (a, b) in zip(got.scalars, want) {
            let difference = abs(a - b)
            if !(difference <= 1e-4 * scale) { failures += 1 }
            if difference > worst { worst = difference }
        }
        #expect(failures == 0, "\(what): \(failures) values differ by more than 1e-4 × \(scale); largest difference \(worst)",
                sourceLocation: sourceLocation)
    }

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
        Self.expectClose(output.input, expectedInput, "preprocessed chip")
        Self.expectClose(output.tokens, expectedTokens, "tokens")
    }
}

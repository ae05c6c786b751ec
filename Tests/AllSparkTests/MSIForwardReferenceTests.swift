import Foundation
import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine
import SparkFormats

/// The multispectral encoder's input handling (bands chosen by name or by index, central square,
/// bilinear resize, standardisation by configured or own statistics) and its ViT backbone against an
/// independent NumPy forward in float64 (scripts/reference/msi_forward_reference.py, which wrote the
/// checkpoint, the image and the expected arrays in Fixtures/forward/msi). Tolerance 1e-4 of the
/// largest expected magnitude.
struct MSIForwardReferenceTests {

    static func read(_ name: String) throws -> NumpyArray { try ForwardReference.read("msi", name) }

    /// The image's band sidecar, as the script's NAMES and WAVELENGTHS.
    static let names = ["B01", "B02", "B04", "B08", "B08A", "B11"]
    static let wavelengths: [Float] = [443, 490, 665, 842, 865, 1610]

    /// Encodes input.npy ([6, 20, 26]) with `input` and compares with `expected_input_<name>.npy`
    /// and `expected_<name>.npy`.
    func check(_ name: String, input: String) throws {
        let section = try VisionEncoderTestSupport.section(.msi, input: input,
                                                           encoder: #"{ "width": 12, "depth": 1, "heads": 2, "patch": 8 }"#)
        let store = try ParameterStore(seed: 1, checkpointPath: ForwardReference.path("msi", "checkpoint.safetensors"))
        let encoder = try MSIEncoder(section: section, store: store)
        try store.verify(modules: ["encoders.msi"])

        let image = try Self.read("input.npy").tensor()
        #expect(image.shape == [6, 20, 26])
        let sample = VisionEncoderTestSupport.sample(.msi, .multispectral(image, bandNames: Self.names, wavelengths: Self.wavelengths))
        let output = try encoder.encode(sample)
        ForwardReference.expectClose(output.input, try Self.read("expected_input_\(name).npy"), "\(name): chosen bands, centred and resized")
        ForwardReference.expectClose(output.tokens, try Self.read("expected_\(name).npy"), "\(name): tokens")
    }

    @Test func bandsByNameWithConfiguredStatisticsMatchTheNumPyForward() throws {
        try check("select", input: """
        { "size": 16, "bands": 4, "select": ["b8a", "B2", "B11", "B04"],
          "mean": [0.3, 0.12, 0.25, 0.1], "std": [0.08, 0.05, 0.07, 0.04] }
        """)
    }

    @Test func bandsByIndexWithOwnStatisticsMatchTheNumPyForward() throws {
        try check("indices", input: #"{ "size": 16, "bands": 4, "bandIndices": [3, 0, 0, 5] }"#)
    }
}

import Foundation
import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine
import SparkFormats

/// The point-cloud encoder (Point-BERT), preprocessing included, against an independent NumPy
/// forward in float64 (scripts/reference/pointcloud_forward_reference.py, which wrote the
/// checkpoint, the cloud and the expected arrays in Fixtures/forward/pointcloud). Tolerance 1e-4 of
/// the largest expected magnitude.
///
/// The mini-PointNet's two large weights (`first_conv.3.weight` [256, 128, 1] and
/// `second_conv.0.weight` [512, 512, 1], 1.1 MiB together) are not in the fixture: the test makes
/// them from the script's integer pattern, writes them with the fixture's tensors to a temporary
/// checkpoint and loads that strictly.
struct PointCloudForwardReferenceTests {

    static func path(_ name: String) -> String { ForwardReference.path("pointcloud", name) }

    /// The script's pattern: ((i · multiplier + offset) mod modulus − modulus / 2) · scale over the
    /// flat index; exact in Float32 for the power-of-two scales used.
    static func pattern(_ shape: [Int], _ multiplier: Int, _ offset: Int, _ modulus: Int, _ scale: Float) -> Tensor {
        let count = shape.reduce(1, *)
        return Tensor(shape: shape, scalars: (0..<count).map { i in Float(((i * multiplier + offset) % modulus) - modulus / 2) * scale })
    }

    @Test func encoderMatchesTheNumPyForward() throws {
        // The fixture's tensors plus the two patterned ones, in one temporary checkpoint.
        let fixture = try SafetensorsFile(path: Self.path("checkpoint.safetensors"))
        var tensors: [(name: String, tensor: Tensor, dtype: SafetensorsDType)] = []
        for info in fixture.tensors {
            let value = try fixture.tensor(info.name)
            tensors.append((name: info.name, tensor: value, dtype: .F32))
        }
        tensors.append((name: "encoders.pointcloud.encoder.first_conv.3.weight",
                        tensor: Self.pattern([256, 128, 1], 7, 3, 29, 1.0 / 128), dtype: .F32))
        tensors.append((name: "encoders.pointcloud.encoder.second_conv.0.weight",
                        tensor: Self.pattern([512, 512, 1], 11, 5, 31, 1.0 / 256), dtype: .F32))
        let checkpoint = FileManager.default.temporaryDirectory
            .appendingPathComponent("pointcloud-forward-\(UUID().uuidString).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: checkpoint) }
        try SafetensorsWriter.write(tensors, metadata: fixture.metadata, to: checkpoint)

        let section = try VisionEncoderTestSupport.section(
            .pointcloud, input: #"{ "points": 32, "sampling": "fps", "seed": 3 }"#,
            encoder: #"{ "width": 8, "depth": 2, "heads": 2, "mlpRatio": 2, "groups": 6, "groupSize": 5 }"#)
        let store = try ParameterStore(seed: 1, checkpointPath: checkpoint)
        let encoder = try PointCloudEncoder(section: section, store: store)
        try store.verify(modules: ["encoders.pointcloud"])

        let cloud = try SparkFormats.NPY.read(path: Self.path("input.npy")).tensor()
        #expect(cloud.shape == [56, 3])
        let sample = VisionEncoderTestSupport.sample(.pointcloud, .pointCloud(cloud, properties: [:]))
        // Neighbourhoods (6 groups × 5 points, relative to their centre) then the 6 centres.
        let prepared = try encoder.prepare(sample)
        let tokens = try encoder.encode(sample).tokens
        let expectedInput = try SparkFormats.NPY.read(path: Self.path("expected_input.npy"))
        let expectedTokens = try SparkFormats.NPY.read(path: Self.path("expected.npy"))
        ForwardReference.expectClose(prepared, expectedInput, "groups and centres")
        ForwardReference.expectClose(tokens, expectedTokens, "tokens")
    }
}

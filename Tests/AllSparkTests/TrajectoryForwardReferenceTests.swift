import Foundation
import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine
import SparkFormats

/// The trajectory encoder (preprocessing included) and the trajectory head (its constant-velocity
/// read-out included) against an independent NumPy forward in float64
/// (scripts/reference/trajectory_forward_reference.py, which wrote the checkpoint, the track, the
/// pooled vector and the expected arrays in Fixtures/forward/trajectory). Tolerance 1e-4 of the
/// largest expected magnitude.
struct TrajectoryForwardReferenceTests {

    static func read(_ name: String) throws -> NumpyArray { try ForwardReference.read("trajectory", name) }

    @Test func encoderAndHeadMatchTheNumPyForward() throws {
        let configuration = try StructuredEncoderTesting.configuration(
            .trajectory, input: #"{ "steps": 8 }"#,
            encoder: #"{ "width": 12, "depth": 2, "heads": 3, "mlpRatio": 1.5 }"#,
            head: #"{ "kind": "trajectory", "steps": 6, "mean": [0.25, -0.5], "std": [0.75, 1.5] }"#)
        let section = try configuration.section(.trajectory)
        let store = try ParameterStore(seed: 1, checkpointPath: ForwardReference.path("trajectory", "checkpoint.safetensors"))
        let encoder = try TrajectoryEncoder(section: section, store: store)
        let head = try TaskHead(store, modality: .trajectory, section: section.head, width: 16)
        try store.verify(modules: ["encoders.trajectory", "heads.trajectory"])

        let observed = try Self.read("input.npy").tensor()
        #expect(observed.shape == [8, 2])
        let sample = Sample(modality: .trajectory, path: "memory", content: .trajectory(observed: observed, neighbours: []))
        let output = try encoder.encode(sample)
        let expectedInput = try Self.read("expected_input.npy")
        let expectedTokens = try Self.read("expected.npy")
        ForwardReference.expectClose(output.input, expectedInput, "track relative to its last position")
        ForwardReference.expectClose(output.tokens, expectedTokens, "tokens")

        let pooled = try Self.read("pooled.npy").tensor()
        #expect(pooled.shape == [16])
        let outputs = try #require(head.logits(pooled))
        let expectedOutputs = try Self.read("expected_head.npy")
        ForwardReference.expectClose(outputs, expectedOutputs, "head outputs")

        // The read-out's context as ModelForward.predict builds it: the last observed position and step.
        var context = HeadContext(origin: (observed[7, 0], observed[7, 1]))
        context.velocity = TrajectoryVelocity.lastStep(observed)
        guard case .trajectory(let points) = head.predict(outputs, context: context) else {
            Issue.record("not a trajectory prediction")
            return
        }
        let expectedPoints = try Self.read("expected_prediction.npy")
        ForwardReference.expectClose(points, expectedPoints, "future positions")
    }
}

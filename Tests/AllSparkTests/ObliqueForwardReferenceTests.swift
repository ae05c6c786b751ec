import Foundation
import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine
import SparkFormats

/// The oblique encoder's input handling (the first `views` views, bilinear resize of the whole view,
/// normalisation, the shared ViT per view plus the view embedding, cameras adjusted to the resize) and
/// the depth head against an independent NumPy forward in float64
/// (scripts/reference/oblique_forward_reference.py, which wrote the checkpoint, the views, the pooled
/// vector and the expected arrays in Fixtures/forward/oblique). Tolerance 1e-4 of the largest
/// expected magnitude.
struct ObliqueForwardReferenceTests {

    static func read(_ name: String) throws -> NumpyArray { try ForwardReference.read("oblique", name) }

    /// The script's CAMERAS: extrinsic, intrinsic, depth min, interval, count, max.
    static let cameras: [Camera] = [
        Camera(extrinsic: [1, 0, 0, -4, 0, -1, 0, 3, 0, 0, -1, 120, 0, 0, 0, 1], intrinsic: [30, 0.5, 13.5, 0, 32, 9.5, 0, 0, 1],
               depthMin: 100, depthInterval: 0.5, depthCount: 64, depthMax: 140),
        Camera(extrinsic: [0, 1, 0, 2, -1, 0, 0, 1, 0, 0, 1, 110, 0, 0, 0, 1], intrinsic: [28, 0, 14, 0, 29, 10.25, 0, 0, 1],
               depthMin: 120, depthInterval: 0.25, depthCount: 48, depthMax: nil),
        Camera(extrinsic: [0, 0, 1, 5, 0, 1, 0, -2, -1, 0, 0, 95, 0, 0, 0, 1], intrinsic: [31.5, 0, 12.75, 0, 30.5, 9, 0, 0, 1],
               depthMin: 90, depthInterval: 0.5, depthCount: nil, depthMax: nil),
        Camera(extrinsic: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 100, 0, 0, 0, 1], intrinsic: [30, 0, 14, 0, 30, 10, 0, 0, 1],
               depthMin: 95, depthInterval: 1, depthCount: nil, depthMax: nil),
    ]

    /// The first `count` views of input.npy ([4, 3, 20, 28]) with their cameras.
    static func sample(views count: Int) throws -> Sample {
        let stacked = try read("input.npy")
        #expect(stacked.shape == [4, 3, 20, 28])
        let all = stacked.floats(), size = 3 * 20 * 28
        let views = (0..<count).map { i in Tensor(shape: [3, 20, 28], scalars: Array(all[(i * size)..<((i + 1) * size)])) }
        return VisionEncoderTestSupport.sample(.oblique, .oblique(views: views, cameras: Array(cameras.prefix(count))))
    }

    static func configuration() throws -> ModalitySection {
        try StructuredEncoderTesting.configuration(
            .oblique, input: #"{ "views": 3, "size": 16, "mean": [0.5, 0.4, 0.3], "std": [0.2, 0.25, 0.3] }"#,
            encoder: #"{ "width": 12, "depth": 1, "heads": 2, "patch": 8 }"#,
            head: #"{ "kind": "depth", "grid": [3, 4], "mean": [12.5], "std": [2.5] }"#).section(.oblique)
    }

    @Test func encoderAndDepthHeadMatchTheNumPyForward() throws {
        let section = try Self.configuration()
        let store = try ParameterStore(seed: 1, checkpointPath: ForwardReference.path("oblique", "checkpoint.safetensors"))
        let encoder = try ObliqueEncoder(section: section, store: store)
        let head = try TaskHead(store, modality: .oblique, section: section.head, width: 16)
        try store.verify(modules: ["encoders.oblique", "heads.oblique"])

        // Four views, three configured: the fourth is not read.
        let output = try encoder.encode(Self.sample(views: 4))
        ForwardReference.expectClose(output.input, try Self.read("expected_input.npy"), "resized views")
        ForwardReference.expectClose(output.tokens, try Self.read("expected.npy"), "tokens")
        ForwardReference.expectClose(try #require(output.extras["intrinsics"]), try Self.read("expected_intrinsics.npy"), "intrinsics adjusted to the resize")
        ForwardReference.expectClose(try #require(output.extras["depthRange"]), try Self.read("expected_depth_range.npy"), "depth ranges")
        let extrinsics = try #require(output.extras["extrinsics"])
        #expect(extrinsics.shape == [3, 4, 4])
        #expect(extrinsics.scalars == Self.cameras.prefix(3).flatMap(\.extrinsic))

        let pooled = try Self.read("pooled.npy").tensor()
        #expect(pooled.shape == [16])
        let outputs = try #require(head.logits(pooled))
        ForwardReference.expectClose(outputs, try Self.read("expected_head.npy"), "depth head outputs")
        guard case .depth(let map) = head.predict(outputs) else {
            Issue.record("not a depth prediction")
            return
        }
        ForwardReference.expectClose(map, try Self.read("expected_prediction.npy"), "depth grid")
    }

    /// Two views where three are configured: the views it has, 2 × 5 tokens, the first two rows of
    /// the view embedding.
    @Test func fewerViewsThanConfiguredMatchTheNumPyForward() throws {
        let store = try ParameterStore(seed: 1, checkpointPath: ForwardReference.path("oblique", "checkpoint.safetensors"))
        let encoder = try ObliqueEncoder(section: Self.configuration(), store: store)
        try store.verify(modules: ["encoders.oblique"])
        let output = try encoder.encode(Self.sample(views: 2))
        let expected = try Self.read("expected.npy").floats()
        let scale = expected.map { abs($0) }.max() ?? 0
        ForwardReference.expectClose(output.tokens, Array(expected.prefix(10 * 12)), shape: [10, 12], scale: scale, "tokens of two views")
        #expect(output.extras["intrinsics"]?.shape == [2, 3, 3])
    }
}

import Foundation
import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine
import SparkFormats

/// The video encoder, preprocessing included (frame sampling, central square, bilinear resize,
/// ImageNet normalisation), its TubeViT tubes (three Conv3d shapes with their own strides, sin-cos
/// positions of the tube centres) and its transformer, against an independent NumPy forward in
/// float64 (scripts/reference/video_forward_reference.py, which wrote the checkpoint, the clip and
/// the expected arrays in Fixtures/forward/video). Tolerance 1e-4 of the largest expected magnitude.
struct VideoForwardReferenceTests {

    static func read(_ name: String) throws -> NumpyArray { try ForwardReference.read("video", name) }

    @Test func encoderMatchesTheNumPyForward() throws {
        let encoderJSON = """
        { "width": 12, "depth": 2, "heads": 2,
          "tubeKernels": [[2, 4, 4], [1, 3, 5], [4, 2, 2]], "tubeStrides": [[2, 4, 4], [3, 2, 3], [1, 6, 6]] }
        """
        let section = try VisionEncoderTestSupport.section(.video, input: #"{ "frames": 5, "size": 8 }"#, encoder: encoderJSON)
        let store = try ParameterStore(seed: 1, checkpointPath: ForwardReference.path("video", "checkpoint.safetensors"))
        let encoder = try VideoEncoder(section: section, store: store)
        try store.verify(modules: ["encoders.video"])
        #expect(encoder.specification.tokenShape == [28, 12])

        let clip = try Self.read("input.npy").tensor()
        #expect(clip.shape == [7, 3, 10, 14])
        let output = try encoder.encode(VisionEncoderTestSupport.sample(.video, .video(clip, framesPerSecond: 25)))
        ForwardReference.expectClose(output.input, try Self.read("expected_input.npy"), "sampled, centred and resized frames")
        ForwardReference.expectClose(output.tokens, try Self.read("expected.npy"), "tokens")
    }
}

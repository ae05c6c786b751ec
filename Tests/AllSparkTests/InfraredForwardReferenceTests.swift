import Foundation
import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine
import SparkFormats

/// The infrared encoder's two ResNets (IR query, RGB gallery), with basic and with bottleneck
/// blocks, against an independent NumPy forward in float64
/// (scripts/reference/infrared_forward_reference.py, which wrote the checkpoints, the images and
/// the expected arrays in Fixtures/forward/infrared). Tolerance 1e-4 of the largest expected magnitude.
struct InfraredForwardReferenceTests {

    static func path(_ name: String) -> String { ForwardReference.path("infrared", name) }

    /// The query [3, 30, 22] and the two gallery images, each [3, 30, 22].
    static func sample() throws -> Sample {
        let query = try SparkFormats.NPY.read(path: path("query.npy")).tensor()
        let stacked = try SparkFormats.NPY.read(path: path("gallery.npy"))
        #expect(query.shape == [3, 30, 22] && stacked.shape == [2, 3, 30, 22])
        let all = stacked.floats(), size = 3 * 30 * 22
        let gallery = (0..<2).map { i in Tensor(shape: [3, 30, 22], scalars: Array(all[(i * size)..<((i + 1) * size)])) }
        return VisionEncoderTestSupport.sample(.infrared, .infrared(query: query, gallery: gallery, galleryNames: ["g0", "g1"]))
    }

    /// Encodes the fixture sample with `checkpoint<suffix>.safetensors` and compares `encode` (query
    /// tokens, then gallery image 0's) and `encodeGallery` (both images) with the script's arrays.
    func check(suffix: String, encoderJSON: String, width: Int) throws {
        let section = try VisionEncoderTestSupport.section(
            .infrared, input: #"{ "height": 30, "width": 22, "mean": [0.4, 0.5, 0.3], "std": [0.25, 0.2, 0.3] }"#, encoder: encoderJSON)
        let store = try ParameterStore(seed: 1, checkpointPath: Self.path("checkpoint\(suffix).safetensors"))
        let encoder = try InfraredEncoder(section: section, store: store)
        try store.verify(modules: ["encoders.infrared"])
        #expect(encoder.rows == 4 && encoder.columns == 3)

        let sample = try Self.sample()
        let expected = try SparkFormats.NPY.read(path: Self.path("expected\(suffix).npy")).floats()
        let pair = try encoder.encode(sample).tokens
        ForwardReference.expectClose(pair, expected, shape: [24, width], scaleOf: expected, "query and gallery 0 tokens")

        let expectedGallery = try SparkFormats.NPY.read(path: Self.path("expected_gallery\(suffix).npy")).floats()
        let gallery = try encoder.encodeGallery(sample)
        #expect(gallery.count == 2)
        let perImage = 12 * width
        for (index, tokens) in gallery.enumerated() where index < 2 {
            ForwardReference.expectClose(tokens, Array(expectedGallery[(index * perImage)..<((index + 1) * perImage)]), shape: [12, width],
                             scaleOf: expectedGallery, "gallery image \(index) tokens")
        }
    }

    @Test func basicBlocksMatchTheNumPyForward() throws {
        try check(suffix: "", encoderJSON: #"{ "block": "basic", "layers": [2, 1], "widths": [4, 8], "stem": 4 }"#, width: 8)
    }

    @Test func bottleneckBlocksMatchTheNumPyForward() throws {
        try check(suffix: "-bottleneck", encoderJSON: #"{ "block": "bottleneck", "layers": [1, 2], "widths": [2, 4], "stem": 4 }"#, width: 16)
    }
}

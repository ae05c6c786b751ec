import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine

struct TrajectoryEncoderTests {
    typealias T = StructuredEncoderTesting

    @Test func paperAndTinyShapes() throws {
        let paper = try TrajectoryEncoder.specification(section: T.paper().section(.trajectory))
        #expect(paper.tokenShape == [8, 256])
        #expect(paper.inputShape == [8, 2])
        #expect(try T.paper().section(.trajectory).head.steps == 12)
        #expect(try TrajectoryEncoder.specification(section: T.tiny().section(.trajectory)).tokenShape == [8, 64])
    }

    @Test func tinySpecificationMatchesAnEncodedSample() throws {
        let encoder = try TrajectoryEncoder(section: T.tiny().section(.trajectory), store: ParameterStore(seed: 1))
        let sample = try T.sample(.trajectory, "social-force-000-corridor.txt", ["pedestrian": "21", "start": "800"])
        let output = try encoder.encode(sample)
        #expect(output.tokens.shape == encoder.specification.tokenShape)
        #expect(output.input.shape == encoder.specification.inputShape)
        #expect(output.layout == .sequence(labels: ["t-7", "t-6", "t-5", "t-4", "t-3", "t-2", "t-1", "t0"]))
        #expect(!TensorSummary(output.tokens).hasNonFinite)
        guard case .trajectory(let observed, let neighbours) = sample.content else { Issue.record("not a trajectory"); return }
        // The input is the track relative to its last position; the offset maps it back.
        let offset = try #require(output.extras["offset"])
        #expect(offset.scalars == [observed[7, 0], observed[7, 1]])
        #expect(output.input[7, 0] == 0 && output.input[7, 1] == 0)
        #expect(output.input[0, 0] == observed[0, 0] - observed[7, 0])
        if !neighbours.isEmpty {
            #expect(output.extras["neighbours"]?.shape == [neighbours.count, 8, 2])
            #expect(output.extras["neighbours"]?[0, 3, 1] == neighbours[0][3, 1] - observed[7, 1])
        }
    }

    /// The encoder sees displacements only: moving the whole scene changes no token.
    @Test func tokensDoNotDependOnWhereTheSceneIs() throws {
        let encoder = try TrajectoryEncoder(section: T.tiny().section(.trajectory), store: ParameterStore(seed: 5))
        var generator = SeededRandomGenerator(seed: 9)
        let track = Tensor(randomUniform: [8, 2], lower: -3, upper: 3, generator: &generator)
        let moved = track + Tensor(shape: [2], scalars: [120, -45])
        let a = try encoder.encode(Sample(modality: .trajectory, path: "a", content: .trajectory(observed: track, neighbours: [])))
        let b = try encoder.encode(Sample(modality: .trajectory, path: "b", content: .trajectory(observed: moved, neighbours: [])))
        #expect(T.maxDifference(a.tokens, b.tokens) < 1e-4)
        #expect(a.extras["neighbours"] == nil)
    }

    @Test func sameSeedSameTokensOtherSeedOtherTokens() throws {
        let section = try T.tiny().section(.trajectory)
        let sample = try T.sample(.trajectory, "social-force-002-plaza.txt", ["pedestrian": "24", "start": "550"])
        let a = try TrajectoryEncoder(section: section, store: ParameterStore(seed: 1)).encode(sample).tokens
        let b = try TrajectoryEncoder(section: section, store: ParameterStore(seed: 1)).encode(sample).tokens
        let c = try TrajectoryEncoder(section: section, store: ParameterStore(seed: 2)).encode(sample).tokens
        #expect(a == b)
        #expect(a != c)
    }

    @Test func wrongSamplesAreRefusedWithTheReason() throws {
        let encoder = try TrajectoryEncoder(section: T.tiny().section(.trajectory), store: ParameterStore(seed: 1))
        func encode(_ observed: Tensor, _ neighbours: [Tensor] = []) throws {
            _ = try encoder.encode(Sample(modality: .trajectory, path: "m", content: .trajectory(observed: observed, neighbours: neighbours)))
        }
        #expect(throws: EncoderInputError.self) {
            try encoder.encode(Sample(modality: .trajectory, path: "m", content: .pointCloud(Tensor(zeros: [4, 3]), properties: [:])))
        }
        T.expectError(mentioning: "shape [7, 2]; expected [8, 2]") { try encode(Tensor(zeros: [7, 2])) }
        T.expectError(mentioning: "shape [8, 3]") { try encode(Tensor(zeros: [8, 3])) }
        T.expectError(mentioning: "neighbour 1 has shape [8]") { try encode(Tensor(zeros: [8, 2]), [Tensor(zeros: [8, 2]), Tensor(zeros: [8])]) }
        var bad = Tensor(zeros: [8, 2]); bad.scalars[5] = .nan
        T.expectError(mentioning: "at step 2") { try encode(bad) }
    }

    @Test(arguments: [
        (#"{ "steps": 0 }"#, #"{ "width": 8, "depth": 1, "heads": 2 }"#, "modalities.trajectory.input.steps"),
        (#"{ "steps": 8, "scale": 2 }"#, #"{ "width": 8, "depth": 1, "heads": 2 }"#, "modalities.trajectory.input.scale"),
        (#"{ "steps": 8 }"#, #"{ "width": 8, "depth": 1, "heads": 3 }"#, "modalities.trajectory.encoder.heads"),
        (#"{ "steps": 8 }"#, #"{ "width": 8, "depth": 1 }"#, "modalities.trajectory.encoder.heads"),
        (#"{ "steps": 8 }"#, #"{ "width": 8, "depth": 1, "heads": 2, "mlpRatio": -1 }"#, "modalities.trajectory.encoder.mlpRatio"),
    ])
    func brokenConfigurationNamesTheKey(input: String, encoder: String, keyPath: String) {
        T.expectError(mentioning: keyPath) {
            _ = try T.configuration(.trajectory, input: input, encoder: encoder, head: #"{ "kind": "trajectory", "steps": 12 }"#)
        }
    }
}

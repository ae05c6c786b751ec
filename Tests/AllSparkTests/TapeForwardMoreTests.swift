import Foundation
import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine
import SparkGrad

/// The tape forwards of the HSI, video, table and point-cloud encoders give exactly the tokens of
/// their inference `encode`, and a loss on those tokens sends gradients to their parameters.
struct TapeForwardMoreTests {
    typealias T = StructuredEncoderTesting

    /// The encoder's tokens for `sample` on a fresh tape, and the binding of its parameters.
    static func tapeTokens(_ encoder: some TrainableEncoder, _ store: ParameterStore, _ sample: Sample) throws -> (Variable, ParameterBinding) {
        let tape = Tape()
        let p = ParameterBinding(tape: tape, store: store)
        return (encoder.forward(tape.constant(try encoder.prepare(sample)), p), p)
    }

    /// Backward from a random read-out of the tokens (their plain sum would be flat through the
    /// final LayerNorm); then `parameter`'s gradient has its stored shape and a nonzero entry, and
    /// every parameter but batch-norm running statistics was bound under its tree name.
    static func expectGradient(_ encoder: some TrainableEncoder, _ store: ParameterStore, _ sample: Sample, reaches parameter: String,
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (tokens, p) = try tapeTokens(encoder, store, sample)
        var generator = SeededRandomGenerator(seed: 9)
        p.tape.backward((tokens * p.tape.constant(Tensor(randomNormal: tokens.shape, std: 1, generator: &generator))).sum())
        let gradient = try #require(p.gradients()[parameter], sourceLocation: sourceLocation)
        #expect(gradient.shape == store.parameters[parameter]?.shape, sourceLocation: sourceLocation)
        #expect(gradient.scalars.contains { $0 != 0 }, "\(parameter)", sourceLocation: sourceLocation)
        let statistics = Set(store.names().filter { $0.hasSuffix(".running_mean") || $0.hasSuffix(".running_var") })
        #expect(Set(p.trainableNames) == Set(store.names()).subtracting(statistics), sourceLocation: sourceLocation)
    }

    static func hsiEncoder() throws -> (HSIEncoder, ParameterStore) {
        let store = ParameterStore(seed: 1)
        return (try HSIEncoder(section: T.tiny().section(.hsi), store: store), store)
    }

    /// A stored pixel with its wavelengths (interpolated to the configured bands) and one without.
    @Test func hsiEncoderOnATapeEqualsInference() throws {
        let (encoder, store) = try Self.hsiEncoder()
        for file in ["synth_hsi_00.npy", "synth_hsi_01.csv"] {
            let sample = try T.sample(.hsi, file)
            #expect(try Self.tapeTokens(encoder, store, sample).0.value == encoder.encode(sample).tokens, "\(file)")
        }
    }

    @Test func hsiEncoderGradientReachesTheBandEmbedding() throws {
        let (encoder, store) = try Self.hsiEncoder()
        try Self.expectGradient(encoder, store, T.sample(.hsi, "synth_hsi_00.npy"), reaches: "encoders.hsi.band_embed.weight")
    }

    static func videoEncoder() throws -> (VideoEncoder, ParameterStore) {
        let store = ParameterStore(seed: 1)
        return (try VideoEncoder(section: T.tiny().section(.video), store: store), store)
    }

    /// Four tube shapes, among them ones with unequal strides per axis.
    @Test func videoEncoderOnATapeEqualsInference() throws {
        let (encoder, store) = try Self.videoEncoder()
        let sample = VideoEncoderTests.clip(frames: 20, seed: 3)
        #expect(try Self.tapeTokens(encoder, store, sample).0.value == encoder.encode(sample).tokens)
    }

    @Test func videoEncoderGradientReachesATube() throws {
        let (encoder, store) = try Self.videoEncoder()
        try Self.expectGradient(encoder, store, VideoEncoderTests.clip(frames: 20, seed: 3), reaches: "encoders.video.tubes.1.weight")
    }

    static func tableEncoder() throws -> (TableEncoder, ParameterStore) {
        let store = ParameterStore(seed: 1)
        return (try TableEncoder(section: T.tiny().section(.table), store: store), store)
    }

    /// A complete row and one with a missing value (its own index).
    @Test func tableEncoderOnATapeEqualsInference() throws {
        let (encoder, store) = try Self.tableEncoder()
        for row in ["0", "4"] {
            let sample = try T.sample(.table, "airquality.csv", ["row": row])
            #expect(try Self.tapeTokens(encoder, store, sample).0.value == encoder.encode(sample).tokens, "row \(row)")
        }
    }

    @Test func tableEncoderGradientReachesAValueTable() throws {
        let (encoder, store) = try Self.tableEncoder()
        try Self.expectGradient(encoder, store, T.sample(.table, "airquality.csv", ["row": "3"]),
                                reaches: "encoders.table.value_embeddings.0.weight")
    }

    /// With batch-norm statistics and weights away from their initial 0/1, as a trained
    /// checkpoint has them.
    static func pointCloudEncoder() throws -> (PointCloudEncoder, ParameterStore) {
        let store = ParameterStore(seed: 1)
        let section = try T.tiny().section(.pointcloud)
        _ = try PointCloudEncoder(section: section, store: store)
        var generator = SeededRandomGenerator(seed: 5)
        for name in store.names() where name.contains("_conv.1.") {
            let t = store.parameters[name]!
            try store.update(from: [name: Tensor(shape: t.shape, scalars: Tensor(randomUniform: t.shape, generator: &generator).scalars.map { 0.5 + $0 })])
        }
        return (try PointCloudEncoder(section: section, store: store), store)
    }

    @Test func pointCloudEncoderOnATapeEqualsInference() throws {
        let (encoder, store) = try Self.pointCloudEncoder()
        for file in ["synthetic-006-table.ply", "bunny.ply"] {
            let sample = try T.sample(.pointcloud, file)
            #expect(try Self.tapeTokens(encoder, store, sample).0.value == encoder.encode(sample).tokens, "\(file)")
        }
    }

    /// The first layer of the mini-PointNet: the gradient passes both max-pools over the groups.
    @Test func pointCloudEncoderGradientReachesTheFirstPointNetLayer() throws {
        let (encoder, store) = try Self.pointCloudEncoder()
        try Self.expectGradient(encoder, store, T.sample(.pointcloud, "synthetic-006-table.ply"),
                                reaches: "encoders.pointcloud.encoder.first_conv.0.weight")
    }
}

/// Infrared: both ResNet branches (basic blocks in the tiny configuration, and bottleneck blocks)
/// on a tape give the inference tokens of the query and gallery image 0, with batch-norm
/// statistics away from 0/1, and a loss reaches both branches' stems.
struct InfraredTapeForwardTests {
    static func encoder(_ encoderJSON: String?) throws -> (InfraredEncoder, ParameterStore) {
        var section = try StructuredEncoderTesting.tiny().section(.infrared)
        if let encoderJSON { section.encoder = try ConfigObject.parse(Data(encoderJSON.utf8), file: "test.json") }
        let store = ParameterStore(seed: 1)
        _ = try InfraredEncoder(section: section, store: store)
        var generator = SeededRandomGenerator(seed: 5)
        for name in store.parameters.keys where name.contains(".bn") || name.contains(".downsample.1.") {
            let t = store.parameters[name]!
            try store.update(from: [name: Tensor(shape: t.shape, scalars: Tensor(randomUniform: t.shape, generator: &generator).scalars.map { 0.5 + $0 })])
        }
        return (try InfraredEncoder(section: section, store: store), store)
    }

    @Test(arguments: [nil, #"{ "block": "bottleneck", "layers": [1, 2], "widths": [4, 8], "stem": 8 }"#])
    func infraredEncoderOnATapeEqualsInference(encoderJSON: String?) throws {
        let (encoder, store) = try Self.encoder(encoderJSON)
        let sample = try StructuredEncoderTesting.sample(.infrared, "synth_ir_00")
        let (tokens, p) = try TapeForwardMoreTests.tapeTokens(encoder, store, sample)
        #expect(tokens.value == (try encoder.encode(sample).tokens))
        var generator = SeededRandomGenerator(seed: 9)
        p.tape.backward((tokens * p.tape.constant(Tensor(randomNormal: tokens.shape, std: 1, generator: &generator))).sum())
        for stem in ["encoders.infrared.ir.conv1.weight", "encoders.infrared.rgb.conv1.weight"] {
            #expect(p.gradients()[stem]?.scalars.contains { $0 != 0 } == true, "\(stem)")
        }
    }
}

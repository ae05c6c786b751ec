import Foundation
import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine
import SparkFormats

/// The parameter tree: names, seeded values, strict loading, save → load, update, freeze, counts.
struct ParameterTreeTests {
    typealias T = StructuredEncoderTesting

    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("allspark-tree-\(UUID().uuidString)-\(name)").path
    }

    static func trajectorySample() throws -> Sample {
        try T.sample(.trajectory, "social-force-000-corridor.txt", ["pedestrian": "21", "start": "800"])
    }

    @Test func moduleOfANameIsItsFirstTwoComponents() {
        #expect(ParameterName.module(of: "encoders.rgb.blocks.3.attn.qkv.weight") == "encoders.rgb")
        #expect(ParameterName.module(of: "llm.adapters.14.down.weight") == "llm.adapters")
        #expect(ParameterName.isUnder("heads.rgb.weight", prefix: "heads.rgb"))
        #expect(ParameterName.isUnder("heads.rgb.weight", prefix: "heads.rgb."))
        #expect(!ParameterName.isUnder("heads.rgb2.weight", prefix: "heads.rgb"))
    }

    /// Per-key seeding: a tensor's values depend on the seed and its name only, and asking twice
    /// gives the value the tree holds.
    @Test func initialisationIsPerKeyAndRemembered() throws {
        let a = ParameterStore(seed: 7), b = ParameterStore(seed: 7)
        _ = try b.tensor("x.other.weight", [3, 3], .truncatedNormal(std: 0.02))
        let first = try a.tensor("x.y.weight", [4, 5], .truncatedNormal(std: 0.02))
        #expect(try b.tensor("x.y.weight", [4, 5], .truncatedNormal(std: 0.02)) == first)
        try a.update(from: ["x.y.weight": Tensor(zeros: [4, 5])])
        #expect(try a.tensor("x.y.weight", [4, 5], .truncatedNormal(std: 0.02)) == Tensor(zeros: [4, 5]))
        #expect(throws: ConfigurationError.self) { try a.tensor("x.y.weight", [5, 4], .zeros) }
    }

    /// Save (F32) → load strictly gives the same tensors bit for bit and the same encoder output.
    @Test func savedCheckpointLoadsBitForBit() throws {
        let section = try T.tiny().section(.trajectory)
        let store = ParameterStore(seed: 3)
        let encoder = try TrajectoryEncoder(section: section, store: store)
        let path = Self.temporaryPath("round.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try store.save(to: path, dtype: .F32, metadata: CheckpointMetadata(configuration: "tiny", modality: "trajectory", step: 12,
                                                                          data: "generated", metrics: ["val.ade": 0.5], gitCommit: "abc"))
        let loadedStore = try ParameterStore(seed: 99, checkpointPath: path)
        let loaded = try TrajectoryEncoder(section: section, store: loadedStore)
        try loadedStore.verify(modules: ["encoders.trajectory"])
        #expect(loadedStore.parameters == store.parameters)
        #expect(loadedStore.provenance(prefix: "encoders.trajectory") == .checkpoint(file: path))
        #expect(try loaded.encode(Self.trajectorySample()).tokens == encoder.encode(Self.trajectorySample()).tokens)
        let file = try SafetensorsFile(path: path)
        let metadata = CheckpointMetadata(dictionary: file.metadata)
        #expect(metadata.modules == ["encoders.trajectory"] && metadata.step == 12 && metadata.metrics == ["val.ade": 0.5])
        #expect(metadata.configuration == "tiny" && metadata.modality == "trajectory" && metadata.gitCommit == "abc" && metadata.data == "generated")
        #expect(metadata.trainedSummary == "trained on generated, 12 steps, val.ade 0.5")
    }

    /// F16 halves the file and rounds each value to the nearest half.
    @Test func halfPrecisionSaveRoundsToNearestHalf() throws {
        let store = ParameterStore(seed: 3)
        _ = try TrajectoryEncoder(section: T.tiny().section(.trajectory), store: store)
        let path = Self.temporaryPath("half.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try store.save(to: path, dtype: .F16, metadata: CheckpointMetadata(configuration: "tiny"))
        let file = try SafetensorsFile(path: path)
        for (name, value) in store.parameters {
            let read = try file.tensor(name)
            #expect(read.scalars == value.scalars.map { HalfPrecision.float(fromF16: HalfPrecision.f16(from: $0)) })
        }
    }

    /// A checkpoint with one tensor removed, one renamed and one of the wrong shape is refused with
    /// all three named in one message.
    @Test func strictLoadNamesEveryOffender() throws {
        let section = try T.tiny().section(.trajectory)
        let store = ParameterStore(seed: 3)
        _ = try TrajectoryEncoder(section: section, store: store)
        var tensors = store.names().map { (name: $0, tensor: store.parameters[$0]!, dtype: SafetensorsDType.F32) }
        let removed = tensors.remove(at: 0).name
        let renamed = tensors[0].name
        tensors[0].name = renamed + "_typo"
        let reshaped = tensors[1].name
        tensors[1].tensor = Tensor(zeros: [tensors[1].tensor.count + 1])
        let path = Self.temporaryPath("bad.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SafetensorsWriter.write(tensors, metadata: [:], to: path)
        let strict = try ParameterStore(seed: 3, checkpointPath: path)
        _ = try TrajectoryEncoder(section: section, store: strict)
        do {
            try strict.verify(modules: ["encoders.trajectory"])
            Issue.record("expected the checkpoint to be refused")
        } catch let error as CheckpointMismatch {
            #expect(error.problems.count == 4, "\(error)")
            let text = "\(error)"
            #expect(text.contains("missing \(removed)") && text.contains("missing \(renamed)"), "\(text)")
            #expect(text.contains("unexpected \(renamed)_typo"), "\(text)")
            #expect(text.contains("wrong shape \(reshaped)"), "\(text)")
        }
    }

    @Test func strictUpdateRefusesUnknownNamesAndShapes() throws {
        let store = ParameterStore(seed: 1)
        _ = try store.tensor("a.b.w", [2, 2], .zeros)
        #expect(throws: CheckpointMismatch.self) { try store.update(from: ["a.b.x": Tensor(zeros: [1])]) }
        #expect(throws: CheckpointMismatch.self) { try store.update(from: ["a.b.w": Tensor(zeros: [4])]) }
        try store.update(from: ["a.b.x": Tensor(zeros: [1])], strict: false)
        #expect(store.names() == ["a.b.w", "a.b.x"])
    }

    @Test func freezingChoosesTheTrainableSubsetAndCountsFollow() throws {
        let store = ParameterStore(seed: 1)
        _ = try store.tensor("encoders.rgb.w", [2, 3], .zeros)
        _ = try store.tensor("bridges.rgb.q", [4], .zeros)
        _ = try store.tensor("heads.rgb.weight", [5, 2], .zeros)
        _ = try store.tensor("heads.rgb.bias", [5], .zeros)
        store.freeze(["encoders.rgb", "heads.rgb"])
        store.unfreeze(["heads.rgb.bias"])
        #expect(store.trainableNames() == ["bridges.rgb.q", "heads.rgb.bias"])
        #expect(store.counts() == [ModuleCount(module: "encoders.rgb", tensors: 1, scalars: 6, trainableScalars: 0),
                                   ModuleCount(module: "bridges.rgb", tensors: 1, scalars: 4, trainableScalars: 4),
                                   ModuleCount(module: "heads.rgb", tensors: 2, scalars: 15, trainableScalars: 5)])
    }

    /// A failed save leaves nothing behind: no half file under the real name, no temporary file.
    @Test func failedSaveLeavesNoFile() throws {
        let store = ParameterStore(seed: 1)
        _ = try store.tensor("a.b.w", [2, 2], .zeros)
        let directory = Self.temporaryPath("missing-dir")
        #expect(throws: (any Error).self) { try store.save(to: directory + "/x.safetensors", metadata: CheckpointMetadata(configuration: "t")) }
        #expect(!FileManager.default.fileExists(atPath: directory))
    }

    static func configuration(checkpoint: String) throws -> AllSparkConfiguration {
        let json = """
        { "name": "t", "checkpoint": \(checkpoint), "languageModel": { "gguf": "m.gguf", "adapterFrequency": 2 },
          "bridge": { "queries": 4, "depth": 1, "heads": 2, "headWidth": 8, "ffnMultiple": 2 },
          "sequence": { "layout": "chatml", "headPooling": "last" }, "modalities": {} }
        """
        return try AllSparkConfiguration.parse(ConfigObject.parse(Data(json.utf8), file: "test.json"))
    }

    @Test func configurationTakesOneCheckpointOrAList() throws {
        #expect(try Self.configuration(checkpoint: #""a.safetensors""#).checkpoints == ["a.safetensors"])
        #expect(try Self.configuration(checkpoint: #"["a.safetensors", "b.safetensors"]"#).checkpoints == ["a.safetensors", "b.safetensors"])
        #expect(try Self.configuration(checkpoint: "null").checkpoints == [])
        #expect(throws: ConfigurationError.self) { try Self.configuration(checkpoint: "3") }
    }
}

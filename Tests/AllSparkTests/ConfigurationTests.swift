import Foundation
import Testing
@testable import AllSpark
import AllSparkData

/// The configuration files of the repository and malformed variants of them.
struct ConfigurationTests {
    static func configPath(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("configs/\(name)").path
    }

    static func parse(_ json: String) throws -> AllSparkConfiguration {
        try AllSparkConfiguration.parse(ConfigObject.parse(Data(json.utf8), file: "test.json"))
    }

    static let minimal = """
    { "name": "t", "languageModel": { "gguf": "m.gguf", "adapterFrequency": 2 },
      "bridge": { "queries": 4, "depth": 1, "heads": 2, "headWidth": 8, "ffnMultiple": 2 },
      "sequence": { "layout": "chatml", "headPooling": "last" },
      "modalities": { "rgb": { "input": { "size": 16 }, "encoder": { "width": 8, "depth": 1, "heads": 2, "patch": 8 },
                               "head": { "kind": "classification", "labels": ["a", "b"] } } } }
    """

    @Test func bothRepositoryConfigurationsLoad() throws {
        let tiny = try AllSparkConfiguration.load(path: Self.configPath("allspark-tiny.json"))
        let paper = try AllSparkConfiguration.load(path: Self.configPath("allspark-paper.json"))
        #expect(tiny.name == "allspark-tiny")
        #expect(paper.languageModel.width == 4096)
        #expect(tiny.modalities[.rgb] != nil && paper.modalities[.rgb] != nil)
        #expect(tiny.languageModel.numerics == .reference, "the pipeline's configuration computes in Float32 for speed")
        #expect(try Self.parse(Self.minimal).languageModel.numerics == nil, "llama.cpp-compatible unless asked")
    }

    /// The FTIR configuration drops the remote-sensing wavelength range with `null` and keeps the
    /// rest of the hsi section it extends.
    @Test func ftirConfigurationDropsTheWavelengthRange() throws {
        let ftir = try AllSparkConfiguration.load(path: Self.configPath("allspark-ftir.json"))
        let trained = try AllSparkConfiguration.load(path: Self.configPath("allspark-trained.json"))
        let input = try #require(ftir.modalities[.hsi]?.input.dictionary)
        #expect(input["wavelengthRange"] == nil && input["bands"] as? Int == 234)
        #expect(trained.modalities[.hsi]?.input.dictionary["wavelengthRange"] != nil)
        #expect(ftir.modalities[.hsi]?.head.labels == ["lipids", "glycogen", "collagen", "DNA"])
        #expect(ftir.modalities[.hsi]?.encoder.dictionary["width"] as? Int == trained.modalities[.hsi]?.encoder.dictionary["width"] as? Int)
    }

    /// A modality's `"bridge"` changes some of the top-level bridge's keys for that modality only;
    /// an unknown or bad key is named.
    @Test func aModalityMayChangeItsBridge() throws {
        let changed = Self.minimal.replacingOccurrences(of: #""head": { "kind""#, with: #""bridge": { "depth": 3 }, "head": { "kind""#)
        let configuration = try Self.parse(changed)
        #expect(configuration.bridge(.rgb).depth == 3 && configuration.bridge(.rgb).queries == 4)
        #expect(configuration.bridge.depth == 1)
        let unknown = Self.minimal.replacingOccurrences(of: #""head": { "kind""#, with: #""bridge": { "layers": 3 }, "head": { "kind""#)
        #expect { try Self.parse(unknown) } throws: { "\($0)".contains("modalities.rgb.bridge.layers") }
        let negative = Self.minimal.replacingOccurrences(of: #""head": { "kind""#, with: #""bridge": { "depth": 0 }, "head": { "kind""#)
        #expect { try Self.parse(negative) } throws: { "\($0)".contains("depth") }
    }

    /// `extends` merges objects key by key: the trained configuration changes the graph bridge and
    /// the graph's input and head (the real Auckland network) without restating the encoder, and
    /// keeps the base's other modalities and the bridge keys a modality does not change (its
    /// queries, heads and widths). `null` removes a key (JSON Merge Patch).
    @Test func extendsMergesObjectsKeyByKey() throws {
        let trained = try AllSparkConfiguration.load(path: Self.configPath("allspark-trained.json"))
        let tiny = try AllSparkConfiguration.load(path: Self.configPath("allspark-tiny.json"))
        #expect(trained.bridge(.graph).depth == 1 && trained.bridge(.graph).queries == tiny.bridge.queries)
        let sameEncoder = NSDictionary(dictionary: trained.modalities[.graph]?.encoder.dictionary ?? [:])
            .isEqual(to: tiny.modalities[.graph]?.encoder.dictionary ?? ["missing": true])
        #expect(sameEncoder && trained.modalities[.graph]?.head.nodes == 19)
        var oneLayer = tiny.bridge
        oneLayer.depth = 1
        oneLayer.ffnMultiple = 1
        #expect(trained.bridge(.trajectory) == oneLayer)
        #expect(Set(trained.modalities.keys) == Set(tiny.modalities.keys))
        let merged = ConfigObject.merge(["a": ["b": 1, "c": 2, "e": 4], "d": [1, 2]], ["a": ["c": 3, "e": NSNull()], "d": [5]])
        let expected = NSDictionary(dictionary: ["a": ["b": 1, "c": 3], "d": [5]])
        let same = NSDictionary(dictionary: merged).isEqual(expected)
        #expect(same, "merged: \(merged)")
    }

    /// hsi's trained answer says the class name alone ("Asphalt."), as its checkpoint learned it;
    /// the FTIR configuration, which extends it, keeps the article its checkpoint learned; every
    /// other head the default. Only a classification head may say how it answers.
    @Test func answerFormIsPerHead() throws {
        let trained = try AllSparkConfiguration.load(path: Self.configPath("allspark-trained.json"))
        let ftir = try AllSparkConfiguration.load(path: Self.configPath("allspark-ftir.json"))
        #expect(trained.modalities[.hsi]?.head.answer == .className && ftir.modalities[.hsi]?.head.answer == .withArticle)
        #expect(trained.modalities.filter { $0.key != .hsi }.allSatisfy { $0.value.head.answer == nil })
        #expect(AnswerSentence.forClass("Asphalt", form: .className) == "Asphalt.")
        #expect(AnswerSentence.forClass("Asphalt") == "An Asphalt." && AnswerSentence.forClass("Bare_Soil") == "A Bare Soil.")
        #expect(AnswerSentence.forClass("Bare_Soil", form: .className) == "Bare Soil.")
        let regression = Self.minimal.replacingOccurrences(of: #""kind": "classification", "labels": ["a", "b"]"#,
                                                           with: #""kind": "regression", "answer": "className""#)
        #expect(regression != Self.minimal)
        #expect { try Self.parse(regression) } throws: { "\($0)".contains("applies to a classification head only") }
    }

    @Test func minimalConfigurationParses() throws {
        let config = try Self.parse(Self.minimal)
        #expect(config.bridge.queries == 4)
        #expect(config.modalities[.rgb]?.head.classCount == 2)
        #expect(config.modalities[.rgb]?.prompts == "prompts/rgb.txt")
    }

    /// Each broken variant must fail with the key path named in the message.
    @Test(arguments: [
        ("\"depth\": 1, \"heads\": 2, \"headWidth\"", "\"dpeth\": 1, \"heads\": 2, \"headWidth\"", "bridge.dpeth"),
        ("\"layout\": \"chatml\"", "\"layout\": \"llama2\"", "sequence.layout"),
        ("\"headPooling\": \"last\"", "\"headPooling\": \"first\"", "sequence.headPooling"),
        ("\"queries\": 4", "\"queries\": -4", "bridge.queries"),
        ("\"queries\": 4", "\"queries\": \"four\"", "bridge.queries"),
        ("\"rgb\": {", "\"rgbb\": {", "modalities.rgbb"),
        ("\"size\": 16", "\"size\": 20", "modalities.rgb.input.size"),
        ("\"patch\": 8", "\"patch\": 8, \"colour\": 1", "modalities.rgb.encoder.colour"),
        ("\"labels\": [\"a\", \"b\"]", "\"labels\": []", "modalities.rgb.head.labels"),
        ("\"kind\": \"classification\"", "\"kind\": \"clustering\"", "modalities.rgb.head.kind"),
        ("\"heads\": 2, \"patch\"", "\"heads\": 3, \"patch\"", "modalities.rgb.encoder.heads"),
        ("\"patch\": 8", "\"patch\": 8.5", "modalities.rgb.encoder.patch"),
        ("\"adapterFrequency\": 2", "\"adapterFrequency\": 2, \"numerics\": \"fast\"", "languageModel.numerics"),
        ("\"labels\": [\"a\", \"b\"]", "\"labels\": [\"a\", \"b\"], \"answer\": \"bare\"", "modalities.rgb.head.answer"),
    ])
    func brokenConfigurationNamesTheKey(original: String, replacement: String, keyPath: String) {
        let json = Self.minimal.replacingOccurrences(of: original, with: replacement)
        #expect(json != Self.minimal, "the replacement did not apply")
        do {
            _ = try Self.parse(json)
            Issue.record("expected an error mentioning \(keyPath)")
        } catch {
            #expect("\(error)".contains(keyPath), "message: \(error)")
        }
    }

    @Test func invalidJSONIsAnError() {
        #expect(throws: ConfigurationError.self) { try Self.parse("{ \"name\": ") }
        #expect(throws: ConfigurationError.self) { try AllSparkConfiguration.load(path: "/nonexistent/config.json") }
    }
}

import Foundation
import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine

/// The bridge and a classification head against an independent NumPy forward in float64
/// (scripts/reference/bridge_forward_reference.py, which wrote the checkpoint in Fixtures/ and
/// the expected values below). Tolerance 1e-4 of the largest expected magnitude.
struct BridgeReferenceTests {
    static let bridgeOutput: [Float] = [-0.0551821641, 0.016176675, -0.163875172, -0.0427665308, -0.0159994318, -0.126001126, -0.0191466012, 0.0339793716, 0.062837275, 0.177264741, 0.0123146992, -0.0384738702, 0.260582186, 0.040527895, -0.00168366697, -0.161427579, 0.0470057768, 0.183807516, 0.114536585, -0.136460482, -0.141404645, -0.0427965057, -0.127952722, -0.0657922779, 0.0851810408, -0.0608702559, -0.0676472271, 0.0517075839, 0.14913065, 0.000993248662, -0.00466290028, 0.122831298, -0.0532852604, 0.154024141, -0.0311353078, -0.0643695509, -0.0829300592, -0.20779723, -0.000728000855, -0.0515465474, -0.00873629995, 0.0963817957, 0.0608788057, -0.0933244047, 0.254000749, 0.0955615943, -0.0297795253, -0.0279542001, -0.050854444, -0.0469305052, -0.175059916, -0.0274204681, -0.00011927489, -0.190191871, -0.0630546384, 0.148005714, 0.107635501, 0.147639969, 0.0423887906, -0.0247594113, 0.00394520805, 0.0543568399, 0.0052331283, -0.0142462536]
    static let headLogits: [Float] = [-0.139226051, -0.0794654715, 0.126233072]

    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/bridge-small.safetensors").path

    /// The script's input pattern: small integers times a power of two, exact in Float32.
    static func pattern(_ shape: [Int], _ multiplier: Int, _ offset: Int, _ modulus: Int, _ scale: Float) -> Tensor {
        Tensor(shape: shape, scalars: (0..<Tensor.elementCount(shape)).map { i in Float(((i * multiplier + offset) % modulus) - modulus / 2) * scale })
    }

    @Test func bridgeAndHeadMatchTheNumPyForward() throws {
        let json = """
        { "name": "t", "languageModel": { "gguf": "m.gguf", "adapterFrequency": 2 },
          "bridge": { "queries": 4, "depth": 2, "heads": 2, "headWidth": 8, "ffnMultiple": 2 },
          "sequence": { "layout": "chatml", "headPooling": "last" },
          "modalities": { "rgb": { "input": { "size": 16 }, "encoder": { "width": 12, "depth": 1, "heads": 2, "patch": 8 },
                                   "head": { "kind": "classification", "labels": ["a", "b", "c"] } } } }
        """
        let configuration = try AllSparkConfiguration.parse(ConfigObject.parse(Data(json.utf8), file: "test.json"))
        let store = try ParameterStore(seed: 1, checkpointPath: Self.fixture)
        let bridge = try ModalityBridge(store, prefix: "bridges.rgb", section: configuration.bridge, encoderWidth: 12, width: 16)
        let head = try TaskHead(store, modality: .rgb, section: configuration.section(.rgb).head, width: 16)
        try store.verify(modules: ["bridges.rgb", "heads.rgb"])
        let output = bridge(Self.pattern([5, 12], 5, 3, 17, 0.25)).tokens
        let logits = try #require(head.logits(output.slice(rows: 3..<4).reshaped([16])))
        for (got, expected) in [(output.scalars, Self.bridgeOutput), (logits.scalars, Self.headLogits)] {
            let scale = expected.map(abs).max()!
            #expect(got.count == expected.count)
            for (a, b) in zip(got, expected) { #expect(abs(a - b) <= 1e-4 * scale, "\(a) vs \(b)") }
        }
    }
}

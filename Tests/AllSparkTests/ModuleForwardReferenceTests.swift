import Foundation
import Testing
@testable import AllSpark
import AllSparkData
import SparkEngine

/// The bridge, a classification head and the rgb encoder's ViT backbone against an independent NumPy forward in float64
/// (scripts/reference/module_forward_reference.py, which wrote the checkpoint in Fixtures/ and
/// the expected values below). Tolerance 1e-4 of the largest expected magnitude.
struct ModuleForwardReferenceTests {
    static let bridgeOutput: [Float] = [-0.0551821641, 0.016176675, -0.163875172, -0.0427665308, -0.0159994318, -0.126001126, -0.0191466012, 0.0339793716, 0.062837275, 0.177264741, 0.0123146992, -0.0384738702, 0.260582186, 0.040527895, -0.00168366697, -0.161427579, 0.0470057768, 0.183807516, 0.114536585, -0.136460482, -0.141404645, -0.0427965057, -0.127952722, -0.0657922779, 0.0851810408, -0.0608702559, -0.0676472271, 0.0517075839, 0.14913065, 0.000993248662, -0.00466290028, 0.122831298, -0.0532852604, 0.154024141, -0.0311353078, -0.0643695509, -0.0829300592, -0.20779723, -0.000728000855, -0.0515465474, -0.00873629995, 0.0963817957, 0.0608788057, -0.0933244047, 0.254000749, 0.0955615943, -0.0297795253, -0.0279542001, -0.050854444, -0.0469305052, -0.175059916, -0.0274204681, -0.00011927489, -0.190191871, -0.0630546384, 0.148005714, 0.107635501, 0.147639969, 0.0423887906, -0.0247594113, 0.00394520805, 0.0543568399, 0.0052331283, -0.0142462536]
    static let headLogits: [Float] = [-0.139226051, -0.0794654715, 0.126233072]

    static let vitTokens: [Float] = [-0.467300901, -1.32747609, 0.987190503, -0.230616213, -1.07744795, -0.469504029, -1.25728016, -0.381254548, 0.780475135, 1.37029606, 0.437902656, 1.59196257, -0.603305848, -1.6736944, -0.585374143, 0.809630268, 0.783451205, 0.581713756, 1.56305912, 1.07089053, 0.510563237, -0.798103498, -1.45600461, -0.473948783, -0.254174443, -0.460898128, -0.293380416, 0.442987657, 1.26840934, 1.34594309, 1.48932935, 0.469696433, -0.489343868, -0.898822213, -1.32955274, -1.34600528, -0.91188525, 1.81792051, 0.0476889943, -0.0302179027, -1.86616475, 0.400249485, 0.155155189, 1.27576033, 0.718423329, 0.250444521, -0.370986405, -0.704505853, -0.339769401, -1.66645421, -0.174363763, 0.127130339, -1.24421203, -1.53244721, -0.29331709, 0.366494072, 1.48483812, 1.03812749, 1.01290256, 1.03864426]

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

    @Test func visionTransformerMatchesTheNumPyForward() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/vit-small.safetensors").path
        let store = try ParameterStore(seed: 1, checkpointPath: path)
        let section = VisionTransformerSection(width: 12, depth: 1, heads: 2, patch: 8, mlpRatio: nil)
        let vit = try VisionTransformer(store, "encoders.rgb", section: section, channels: 3, gridSide: 2)
        try store.verify(modules: ["encoders.rgb"])
        let tokens = vit(Self.pattern([3, 16, 16], 7, 5, 23, 0.125))
        let scale = Self.vitTokens.map(abs).max()!
        #expect(tokens.shape == [5, 12])
        for (a, b) in zip(tokens.scalars, Self.vitTokens) { #expect(abs(a - b) <= 1e-4 * scale, "\(a) vs \(b)") }
    }
}

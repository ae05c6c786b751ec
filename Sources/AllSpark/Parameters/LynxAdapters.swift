import SparkEngine
import SparkLM

extension LynxAdapter {
    /// The adapter after decoder layer `layer`, parameters `<module>.<layer>.{norm,down,up}.{weight,bias}`
    /// and `.scale` (module `llm.adapters`, the shared set, or `adapters.<modality>`): LayerNorm
    /// ones/zeros, Down truncated normal (std 0.02), Up zeros (so an untrained adapter is exactly
    /// the identity), scale 1.
    static func make(_ store: ParameterStore, module: String, layer: Int, width: Int) throws -> LynxAdapter {
        let p = "\(module).\(layer)"
        return LynxAdapter(
            width: width,
            normWeight: try store.tensor(p + ".norm.weight", [width], .ones).scalars,
            normBias: try store.tensor(p + ".norm.bias", [width], .zeros).scalars,
            downWeight: try store.tensor(p + ".down.weight", [width / 2, width], .truncatedNormal(std: 0.02)).scalars,
            downBias: try store.tensor(p + ".down.bias", [width / 2], .zeros).scalars,
            upWeight: try store.tensor(p + ".up.weight", [width, width / 2], .zeros).scalars,
            upBias: try store.tensor(p + ".up.bias", [width], .zeros).scalars,
            scale: try store.tensor(p + ".scale", [1], .ones).scalars[0])
    }

    /// Adapters after every `frequency`-th layer (layers frequency−1, 2·frequency−1, …).
    static func makeAll(_ store: ParameterStore, module: String, frequency: Int, layers: Int, width: Int) throws -> [Int: LynxAdapter] {
        guard frequency > 0 else { return [:] }
        var adapters: [Int: LynxAdapter] = [:]
        for layer in stride(from: frequency - 1, to: layers, by: frequency) {
            adapters[layer] = try make(store, module: module, layer: layer, width: width)
        }
        return adapters
    }
}

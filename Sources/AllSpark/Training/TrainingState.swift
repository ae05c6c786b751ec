import Foundation
import SparkEngine
import SparkFormats

/// Everything a run needs to continue exactly where it stopped: the trained weights, AdamW's
/// moments, the step, and the best validation figure so far. One safetensors file
/// (`state.safetensors`: weights under their names, moments under `adam.m.<name>` and
/// `adam.v.<name>`, numbers in the metadata), written beside and renamed into place.
/// The data order and prompt of every step follow from the seed and the step, so no random
/// generator state needs saving.
public struct TrainingState {
    public var step: Int
    public var bestValidationLoss: Float?
    public var weights: [String: Tensor]
    public var firstMoments: [String: [Float]]
    public var secondMoments: [String: [Float]]

    public static let fileName = "state.safetensors"

    public func save(directory: String, metadata: [String: String]) throws {
        var tensors: [(name: String, tensor: Tensor, dtype: SafetensorsDType)] = []
        for name in weights.keys.sorted() {
            let w = weights[name]!
            tensors.append((name, w, .F32))
            if let m = firstMoments[name], let v = secondMoments[name] {
                tensors.append(("adam.m." + name, Tensor(shape: w.shape, scalars: m), .F32))
                tensors.append(("adam.v." + name, Tensor(shape: w.shape, scalars: v), .F32))
            }
        }
        var meta = metadata
        meta["allspark.state.step"] = String(step)
        if let bestValidationLoss { meta["allspark.state.best_validation_loss"] = String(bestValidationLoss.bitPattern) }
        try SafetensorsWriter.write(tensors, metadata: meta, to: (directory as NSString).appendingPathComponent(Self.fileName))
    }

    public static func load(directory: String) throws -> TrainingState {
        let path = (directory as NSString).appendingPathComponent(fileName)
        let file = try SafetensorsFile(path: path)
        guard let stepText = file.metadata["allspark.state.step"], let step = Int(stepText), step >= 0 else {
            throw TrainingError("\(path): not a training state (no allspark.state.step in its metadata)")
        }
        var state = TrainingState(step: step, bestValidationLoss: nil, weights: [:], firstMoments: [:], secondMoments: [:])
        if let bits = file.metadata["allspark.state.best_validation_loss"].flatMap(UInt32.init) {
            state.bestValidationLoss = Float(bitPattern: bits)
        }
        for info in file.tensors {
            let tensor = try file.tensor(info.name)
            if info.name.hasPrefix("adam.m.") { state.firstMoments[String(info.name.dropFirst(7))] = tensor.scalars }
            else if info.name.hasPrefix("adam.v.") { state.secondMoments[String(info.name.dropFirst(7))] = tensor.scalars }
            else { state.weights[info.name] = tensor }
        }
        return state
    }
}

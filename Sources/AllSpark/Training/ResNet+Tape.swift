import AllSparkData
import SparkEngine
import SparkGrad

// The ResNet (infrared's two branches) on a tape: the inference layers' operations in the same
// order, so the values equal `callAsFunction(Tensor)` bit for bit (`TapeForwardMoreTests`).
// Batch norm keeps its running statistics fixed, as `BatchNormLayer`'s tape forward explains.

extension ConvolutionWithNorm {
    func callAsFunction(_ x: Variable, _ p: ParameterBinding) -> Variable { norm(convolution(x, p), p) }
}

extension ResidualBlock {
    func callAsFunction(_ x: Variable, _ p: ParameterBinding) -> Variable {
        var y = x
        for (index, layer) in branch.enumerated() {
            y = layer(y, p)
            if index < branch.count - 1 { y = y.relu() }
        }
        return (y + (downsample.map { $0(x, p) } ?? x)).relu()
    }
}

extension ResNet {
    public func callAsFunction(_ image: Variable, _ p: ParameterBinding) -> Variable {
        var x = stem(image, p).relu().maxPool2d(kernel: 3, stride: 2, padding: 1)
        for stage in stages {
            for block in stage { x = block(x, p) }
        }
        return x
    }
}

extension InfraredEncoder: TrainableEncoder {
    /// The resized, normalised infrared query and gallery image 0, `[2, 3, height, width]`: the
    /// pair `encode` reads.
    public func prepare(_ sample: Sample) throws -> Tensor {
        let (query, gallery) = try Self.content(sample)
        let images = [try normalised(resized(query, "the infrared query")), try normalised(resized(gallery[0], "gallery image 0"))]
        return Tensor.concatenate(images, axis: 0).reshaped([2, 3, input.height, input.width])
    }

    /// Pair `[2, 3, H, W]` → the query's tokens through the infrared branch, then the gallery
    /// image's through the RGB branch, `[2 · rows · columns, width]`.
    public func forward(_ pair: Variable, _ p: ParameterBinding) -> Variable {
        let plane = 3 * input.height * input.width
        let flat = pair.reshaped([2, plane])
        let tokens = [infrared, visible].enumerated().map { index, branch -> Variable in
            let features = branch(flat.slice(rows: index..<(index + 1)).reshaped([3, input.height, input.width]), p)
            return features.reshaped([features.shape[0], rows * columns]).permuted([1, 0])
        }
        return Variable.concatenate(tokens, axis: 0)
    }
}

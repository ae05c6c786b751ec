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
    /// The resized, normalised images `encode` reads, `[images, 3, height, width]`: the infrared
    /// query and gallery image 0, or the query alone when the query's sequence reads it alone.
    public func prepare(_ sample: Sample) throws -> Tensor {
        let (query, gallery) = try Self.content(sample)
        var images = [try normalised(resized(query, "the infrared query"))]
        if !readsQueryAlone { images.append(try normalised(resized(gallery[0], "gallery image 0"))) }
        return Tensor.concatenate(images, axis: 0).reshaped([images.count, 3, input.height, input.width])
    }

    /// The pair: variant 0, the inference pair (`prepare`), labelled with the query's identity;
    /// variant 1, the gallery image showing the query's person, alone, `[3, H, W]`, with the same
    /// identity — ranking embeds gallery images alone (`GalleryRanking`), so the RGB branch must
    /// learn to put a person where the pair puts them. Without a known match, variant 0 alone.
    /// The query alone (`QuerySequence.alone`): one input, the query then every gallery image
    /// `[1 + gallery, 3, H, W]`, whose target is the match (`ModalityTrainer.galleryRankingStep`).
    public func trainingInputs(_ sample: Sample) throws -> [(input: Tensor, variant: Int)] {
        let (query, gallery) = try Self.content(sample)
        if readsQueryAlone {
            let images = try [normalised(resized(query, "the infrared query"))]
                + gallery.enumerated().map { index, image in try normalised(resized(image, "gallery image \(index)")) }
            return [(Tensor.concatenate(images, axis: 0).reshaped([images.count, 3, input.height, input.width]), 0)]
        }
        var inputs = [(try prepare(sample), 0)]
        if case .galleryMatch(let index)? = sample.label {
            guard gallery.indices.contains(index) else {
                throw EncoderInputError(.infrared, "the match is gallery image \(index); the sample has \(gallery.count)")
            }
            inputs.append((try normalised(resized(gallery[index], "gallery image \(index)")), 1))
        }
        return inputs
    }

    public func forward(_ input: Variable, variant: Int, _ p: ParameterBinding) -> Variable {
        guard variant == 1 else { return forward(input, p) }
        let features = visible(input, p)
        return features.reshaped([features.shape[0], rows * columns]).permuted([1, 0])
    }

    /// Images `[n, 3, H, W]` → the first (the query) through the infrared branch, every other
    /// through the RGB branch, their tokens one image after another, `[n · rows · columns, width]`.
    public func forward(_ images: Variable, _ p: ParameterBinding) -> Variable {
        let count = images.shape[0], plane = 3 * input.height * input.width
        let flat = images.reshaped([count, plane])
        let tokens = (0..<count).map { index -> Variable in
            let branch = index == 0 ? infrared : visible
            let features = branch(flat.slice(rows: index..<(index + 1)).reshaped([3, input.height, input.width]), p)
            return features.reshaped([features.shape[0], rows * columns]).permuted([1, 0])
        }
        return Variable.concatenate(tokens, axis: 0)
    }
}

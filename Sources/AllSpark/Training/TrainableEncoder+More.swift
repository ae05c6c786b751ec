import SparkEngine
import SparkGrad

// The HSI, video, table and point-cloud encoders on a tape. Each forward is the inference
// network's operations in the inference order, so its tokens equal `encode(sample).tokens` bit for
// bit (`TapeForwardMoreTests`).

extension HSIEncoder: TrainableEncoder {
    /// Band column `[bands, 1]` → `[bands, D]`: the shared band embedding plus each band's
    /// position, then the transformer.
    public func forward(_ column: Variable, _ p: ParameterBinding) -> Variable {
        transformer(bandEmbedding(column, p) + p(Self.parameterPrefix + ".pos_embed", positions), p)
    }
}

extension VideoEncoder: TrainableEncoder {
    /// Clip `[3, T, S, S]` → `[N, D]`: each tube shape's Conv3d, one token per tube in (frame, row,
    /// column) order, the tube sets concatenated in configuration order, plus the fixed sin-cos
    /// positions (a constant: nothing learns them), then the transformer.
    public func forward(_ volume: Variable, _ p: ParameterBinding) -> Variable {
        transformer(Variable.concatenate(tubeEmbeddings.map { $0(volume, p) }, axis: 0) + p.tape.constant(positions), p)
    }
}

extension TableEncoder: TrainableEncoder {
    /// Indices `[columns]` (Float values, see `prepare`) → `[columns, D]`: each column's row of
    /// its own value table plus the column's embedding, then the transformer.
    public func forward(_ indices: Variable, _ p: ParameterBinding) -> Variable {
        let rows = zip(valueEmbeddings.indices, indices.value.scalars).map { i, index in
            p(Self.valueEmbeddingName(i), valueEmbeddings[i]).embeddingRows([Int(index)])
        }
        return stack(Variable.concatenate(rows, axis: 0) + p(Self.parameterPrefix + ".column_embedding.weight", columnEmbedding), p)
    }
}

extension PointCloudEncoder: TrainableEncoder {
    /// Packed neighbourhoods and centres (layout in `prepare`) → `[1 + groups, D]`: the
    /// mini-PointNet's group tokens after the CLS token; the CLS position and the centre MLP's
    /// positions added before every block.
    public func forward(_ packed: Variable, _ p: ParameterBinding) -> Variable {
        let members = section.groups * section.groupSize
        let neighbourhoods = packed.slice(rows: 0..<members)
        let centres = packed.slice(rows: members..<(members + section.groups))
        let prefix = Self.parameterPrefix
        let groupTokens = groupEncoder(neighbourhoods, groups: section.groups, size: section.groupSize, p)
        let positions = Variable.concatenate([p(prefix + ".cls_pos", classPosition), position2(position1(centres, p).gelu(), p)], axis: 0)
        return stack(Variable.concatenate([p(prefix + ".cls_token", classToken), groupTokens], axis: 0), p, positions: positions)
    }
}

extension MiniPointNet {
    /// neighbourhoods `[groups · size, 3]` → `[groups, outputs]`, as `callAsFunction(_:groups:size:)`.
    func callAsFunction(_ neighbourhoods: Variable, groups: Int, size: Int, _ p: ParameterBinding) -> Variable {
        let local = conv2(norm1(conv1(neighbourhoods, p), p).relu(), p).reshaped([groups, size, Self.firstOutput])
        // The group maximum repeated over the group by copies: each copy's gradient reaches the
        // point that was the maximum.
        let pooled = local.maximum(axis: 1, keepDims: true)
        let expanded = Variable.concatenate(Array(repeating: pooled, count: size), axis: 1)
        let joined = Variable.concatenate([expanded, local], axis: 2).reshaped([groups * size, 2 * Self.firstOutput])
        let features = conv4(norm2(conv3(joined, p), p).relu(), p)
        return features.reshaped([groups, size, conv4.outputs]).maximum(axis: 1)
    }
}

extension PointwiseConvolution {
    /// The weight is bound in its stored shape `[outputs, inputs, 1]`, so its gradient has the
    /// checkpoint's shape, and used as the `[outputs, inputs]` matrix of a linear layer.
    func callAsFunction(_ x: Variable, _ p: ParameterBinding) -> Variable {
        let w = p(name + ".weight", weight.reshaped([outputs, weight.shape[1], 1])).reshaped(weight.shape)
        return x.linear(weight: w, bias: p(name + ".bias", bias))
    }
}

extension PointwiseBatchNorm {
    /// The tape's batch norm takes channels on axis 0, so `[rows, channels]` goes through it
    /// transposed; per element both compute the same x · scale + shift, so the values are equal.
    /// The running statistics are constants, as in `BatchNormLayer`'s tape form.
    func callAsFunction(_ x: Variable, _ p: ParameterBinding) -> Variable {
        x.permuted([1, 0])
            .batchNorm(runningMean: runningMean, runningVariance: runningVariance, weight: p(name + ".weight", weight),
                       bias: p(name + ".bias", bias), eps: Self.epsilon)
            .permuted([1, 0])
    }
}

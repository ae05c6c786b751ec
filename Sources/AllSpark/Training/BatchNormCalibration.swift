import SparkEngine

/// An encoder whose batch-norm layers can take their running statistics from data.
///
/// Training keeps batch norm in its inference form (fixed statistics; see BatchNormLayer's tape
/// forward). From the seed those statistics are 0 and 1, which fit nothing: a SAR chip's clutter
/// or a point group's bias then dominates every channel, the tokens of different samples differ by
/// a few per cent, and the model stayed at chance (SAR, point cloud). Measuring each layer's
/// statistics on training samples before the first step — what PyTorch's training-mode batch norm
/// would have accumulated — makes every channel start standardised.
public protocol BatchNormCalibrating {
    /// The running mean and variance of every batch-norm layer by parameter name
    /// (`….running_mean`, `….running_var`), measured on prepared inputs: each layer's are the
    /// statistics of its input over all the samples and positions, with the layers before it
    /// already using theirs.
    func batchNormStatistics(of inputs: [Tensor]) -> [String: Tensor]
}

/// Per-channel mean and (population) variance over several tensors, in Double.
enum BatchNormStatistics {
    static func measure(_ tensors: [Tensor], channelAxis: Int) -> (mean: Tensor, variance: Tensor) {
        let channels = tensors[0].shape[channelAxis]
        let inner = tensors[0].shape[(channelAxis + 1)...].reduce(1, *)
        var sum = [Double](repeating: 0, count: channels), squares = sum
        var count = 0
        for tensor in tensors {
            for (i, value) in tensor.scalars.enumerated() {
                let c = (i / inner) % channels
                sum[c] += Double(value); squares[c] += Double(value) * Double(value)
            }
            count += tensor.count / channels
        }
        let mean = sum.map { $0 / Double(count) }
        let variance = zip(squares, mean).map { max(0, $0 / Double(count) - $1 * $1) }
        return (Tensor(shape: [channels], scalars: mean.map(Float.init)), Tensor(shape: [channels], scalars: variance.map(Float.init)))
    }

    static func named(_ prefix: String, _ statistics: (mean: Tensor, variance: Tensor)) -> [String: Tensor] {
        [prefix + ".running_mean": statistics.mean, prefix + ".running_var": statistics.variance]
    }
}

extension SAREncoder: BatchNormCalibrating {
    public func batchNormStatistics(of inputs: [Tensor]) -> [String: Tensor] {
        var maps = inputs, measured: [String: Tensor] = [:]
        for layer in layers {
            let convolved = maps.map { layer.convolution($0) }
            let statistics = BatchNormStatistics.measure(convolved, channelAxis: 0)
            measured.merge(BatchNormStatistics.named(layer.norm.name, statistics)) { $1 }
            maps = convolved.map {
                $0.batchNorm(runningMean: statistics.mean, runningVariance: statistics.variance, weight: layer.norm.weight,
                             bias: layer.norm.bias, eps: layer.norm.epsilon, channelAxis: 0).relu().maxPool2d(kernel: layer.pool)
            }
        }
        return measured
    }
}

extension PointCloudEncoder: BatchNormCalibrating {
    public func batchNormStatistics(of inputs: [Tensor]) -> [String: Tensor] {
        let members = section.groups * section.groupSize
        let net = groupEncoder
        let first = inputs.map { net.conv1($0.slice(rows: 0..<members)) }
        let firstStatistics = BatchNormStatistics.measure(first, channelAxis: 1)
        let calibratedFirst = PointwiseBatchNorm(name: net.norm1.name, weight: net.norm1.weight, bias: net.norm1.bias,
                                                 runningMean: firstStatistics.mean, runningVariance: firstStatistics.variance)
        let third = first.map { convolved -> Tensor in
            let local = net.conv2(calibratedFirst(convolved).relu()).reshaped([section.groups, section.groupSize, MiniPointNet.firstOutput])
            let pooled = local.maximum(axis: 1, keepDims: true)
            let expanded = Tensor.concatenate(Array(repeating: pooled, count: section.groupSize), axis: 1)
            return net.conv3(Tensor.concatenate([expanded, local], axis: 2).reshaped([members, 2 * MiniPointNet.firstOutput]))
        }
        return BatchNormStatistics.named(net.norm1.name, firstStatistics)
            .merging(BatchNormStatistics.named(net.norm2.name, BatchNormStatistics.measure(third, channelAxis: 1))) { $1 }
    }
}

extension ModalityTrainer {
    /// Sets the encoder's batch-norm statistics from the first `count` examples (see
    /// `BatchNormCalibrating`); a line saying what it did, or nil when the encoder has no batch norm.
    public func calibrateBatchNorm(_ examples: [TrainingExample], count: Int = 64) throws -> String? {
        guard let encoder = try model.components(modality).encoder as? any BatchNormCalibrating, !examples.isEmpty else { return nil }
        let used = Array(examples.prefix(count))
        let statistics = encoder.batchNormStatistics(of: used.map(\.input))
        try model.store.update(from: statistics)
        try model.rebuildComponents()
        let layers = statistics.keys.filter { $0.hasSuffix(".running_mean") }.count
        return "batch norm: running statistics of \(layers) layers measured on \(used.count) training samples"
    }
}

extension ConvolutionWithNorm {
    /// This layer's batch-norm statistics measured on `inputs`, and its outputs with them.
    func calibrated(_ inputs: [Tensor]) -> (statistics: [String: Tensor], outputs: [Tensor]) {
        let convolved = inputs.map { convolution($0) }
        let measured = BatchNormStatistics.measure(convolved, channelAxis: 0)
        let outputs = convolved.map {
            $0.batchNorm(runningMean: measured.mean, runningVariance: measured.variance, weight: norm.weight, bias: norm.bias,
                         eps: norm.epsilon, channelAxis: 0)
        }
        return (BatchNormStatistics.named(norm.name, measured), outputs)
    }
}

extension ResNet {
    /// Every batch-norm layer's statistics, layer after layer in forward order, on `images`.
    func batchNormStatistics(of images: [Tensor]) -> [String: Tensor] {
        var measured: [String: Tensor] = [:]
        let (stemStatistics, stemOutputs) = stem.calibrated(images)
        measured.merge(stemStatistics) { $1 }
        var maps = stemOutputs.map { $0.relu().maxPool2d(kernel: 3, stride: 2, padding: 1) }
        for block in stages.joined() {
            var branch = maps
            for (index, layer) in block.branch.enumerated() {
                let (statistics, outputs) = layer.calibrated(branch)
                measured.merge(statistics) { $1 }
                branch = index < block.branch.count - 1 ? outputs.map { $0.relu() } : outputs
            }
            var shortcut = maps
            if let downsample = block.downsample {
                let (statistics, outputs) = downsample.calibrated(maps)
                measured.merge(statistics) { $1 }
                shortcut = outputs
            }
            maps = zip(branch, shortcut).map { ($0 + $1).relu() }
        }
        return measured
    }
}

extension InfraredEncoder: BatchNormCalibrating {
    /// The IR branch on the queries (the first image of each `[n, 3, H, W]` input), the RGB
    /// branch on the other images and on the gallery images trained alone (`[3, H, W]`).
    public func batchNormStatistics(of inputs: [Tensor]) -> [String: Tensor] {
        var queries: [Tensor] = [], visibleImages: [Tensor] = []
        let shape = [3, input.height, input.width]
        for input in inputs {
            if input.rank == 4 {
                queries.append(input.slice(rows: 0..<1).reshaped(shape))
                for index in 1..<max(1, input.shape[0]) { visibleImages.append(input.slice(rows: index..<(index + 1)).reshaped(shape)) }
            } else {
                visibleImages.append(input)
            }
        }
        var measured: [String: Tensor] = [:]
        if !queries.isEmpty { measured.merge(infrared.batchNormStatistics(of: queries)) { $1 } }
        if !visibleImages.isEmpty { measured.merge(visible.batchNormStatistics(of: visibleImages)) { $1 } }
        return measured
    }
}

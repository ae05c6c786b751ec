import SparkEngine

/// The residual block of a ResNet stage: `basic` (two 3×3 convolutions, ResNet-18/34) or
/// `bottleneck` (1×1 reduce, 3×3, 1×1 expand ×4, ResNet-50/101).
public enum ResNetBlockKind: String, Codable, Sendable, CaseIterable {
    case basic, bottleneck

    /// Output channels per unit of stage width.
    public var expansion: Int { self == .basic ? 1 : 4 }
}

/// The sizes of a ResNet (He et al. 2016, torchvision's v1.5 layout): a 7×7/2 stem convolution of
/// `stem` channels, a 3×3/2 max-pool, then one stage per entry of `layers`/`widths`; the first
/// stage keeps the resolution and every later one halves it. ResNet-50: bottleneck, layers
/// [3, 4, 6, 3], widths [64, 128, 256, 512], stem 64 → 2048 channels at stride 32.
public struct ResNetSizes: Sendable, Equatable {
    public var block: ResNetBlockKind
    public var layers: [Int]
    public var widths: [Int]
    public var stem: Int

    public init(block: ResNetBlockKind, layers: [Int], widths: [Int], stem: Int) {
        self.block = block; self.layers = layers; self.widths = widths; self.stem = stem
    }

    /// Channels of the final feature map.
    public var outputWidth: Int { (widths.last ?? 0) * block.expansion }

    /// Side of the final feature map for an input side, following every layer's window rule
    /// (stem 7/2 pad 3, pool 3/2 pad 1, each later stage a 3×3/2 pad 1 convolution), or nil when
    /// the input is too small for some layer.
    public func featureSide(_ side: Int) -> Int? {
        guard var n = ConvolutionArithmetic.outputSide(side, kernel: 7, stride: 2, padding: 3),
              let pooled = ConvolutionArithmetic.outputSide(n, kernel: 3, stride: 2, padding: 1) else { return nil }
        n = pooled
        for _ in layers.dropFirst() {
            guard let next = ConvolutionArithmetic.outputSide(n, kernel: 3, stride: 2, padding: 1) else { return nil }
            n = next
        }
        return n
    }

    /// "ResNet bottleneck [3, 4, 6, 3] → 2048"
    public var summary: String { "ResNet \(block.rawValue) \(layers) → \(outputWidth)" }
}

/// A convolution followed by inference batch normalisation (torchvision's `convN` + `bnN` pairs).
struct ConvolutionWithNorm: Sendable {
    let convolution: Conv2dLayer
    let norm: BatchNormLayer

    init(_ store: ParameterStore, convolution convName: String, norm normName: String,
         inputs: Int, outputs: Int, kernel: Int, stride: Int) throws {
        convolution = try Conv2dLayer(store, convName, inputs: inputs, outputs: outputs, kernel: kernel,
                                      stride: stride, padding: kernel / 2)
        norm = try BatchNormLayer(store, normName, channels: outputs)
    }

    func callAsFunction(_ x: Tensor) -> Tensor { norm(convolution(x)) }
}

/// One residual block: the branch's convolutions with ReLU between them, plus the shortcut (a 1×1
/// strided projection, `downsample.0`/`downsample.1`, when the shape changes), then ReLU.
struct ResidualBlock: Sendable {
    let branch: [ConvolutionWithNorm]
    let downsample: ConvolutionWithNorm?

    init(_ store: ParameterStore, _ name: String, kind: ResNetBlockKind, inputs: Int, width: Int, stride: Int) throws {
        let outputs = width * kind.expansion
        // (input channels, output channels, kernel, stride) per branch convolution; the stride sits
        // on the 3×3 convolution (torchvision's v1.5).
        let plan: [(Int, Int, Int, Int)] = kind == .basic
            ? [(inputs, width, 3, stride), (width, width, 3, 1)]
            : [(inputs, width, 1, 1), (width, width, 3, stride), (width, outputs, 1, 1)]
        branch = try plan.enumerated().map { index, step in
            try ConvolutionWithNorm(store, convolution: "\(name).conv\(index + 1)", norm: "\(name).bn\(index + 1)",
                                    inputs: step.0, outputs: step.1, kernel: step.2, stride: step.3)
        }
        if stride != 1 || inputs != outputs {
            downsample = try ConvolutionWithNorm(store, convolution: name + ".downsample.0", norm: name + ".downsample.1",
                                                 inputs: inputs, outputs: outputs, kernel: 1, stride: stride)
        } else {
            downsample = nil
        }
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        var y = x
        for (index, layer) in branch.enumerated() {
            y = layer(y)
            if index < branch.count - 1 { y = y.relu() }
        }
        return (y + (downsample.map { $0(x) } ?? x)).relu()
    }
}

/// A ResNet feature extractor without its pooling and classifier: image `[channels, H, W]` →
/// feature map `[outputWidth, h, w]` at stride 32 (for four stages). Parameter names are
/// torchvision's under `<prefix>.`: `conv1`, `bn1`, `layer1.0.conv1` … `layer4.2.bn3`,
/// `layerN.0.downsample.{0,1}`.
public struct ResNet: Sendable {
    public let sizes: ResNetSizes
    let stem: ConvolutionWithNorm
    let stages: [[ResidualBlock]]

    public init(_ store: ParameterStore, _ prefix: String, sizes: ResNetSizes, channels: Int) throws {
        self.sizes = sizes
        stem = try ConvolutionWithNorm(store, convolution: prefix + ".conv1", norm: prefix + ".bn1",
                                       inputs: channels, outputs: sizes.stem, kernel: 7, stride: 2)
        var inputs = sizes.stem
        var stages: [[ResidualBlock]] = []
        for (stage, (count, width)) in zip(sizes.layers, sizes.widths).enumerated() {
            var blocks: [ResidualBlock] = []
            for index in 0..<count {
                blocks.append(try ResidualBlock(store, "\(prefix).layer\(stage + 1).\(index)", kind: sizes.block,
                                                inputs: inputs, width: width, stride: stage > 0 && index == 0 ? 2 : 1))
                inputs = width * sizes.block.expansion
            }
            stages.append(blocks)
        }
        self.stages = stages
    }

    public func callAsFunction(_ image: Tensor) -> Tensor {
        var x = stem(image).relu().maxPool2d(kernel: 3, stride: 2, padding: 1)
        for stage in stages {
            for block in stage { x = block(x) }
        }
        return x
    }
}

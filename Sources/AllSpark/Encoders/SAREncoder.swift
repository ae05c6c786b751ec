import AllSparkData
import SparkEngine

/// SAR: a small convolutional network (the paper §3.3.2: "a simple three-layer convolutional
/// network"; this project's reading, SPEC-MODALITIES.md: three layers of 3×3 convolution with
/// padding 1, BatchNorm, ReLU and 2×2 max-pool, 64/128/256 channels). At paper size a 1 × 128 × 128
/// chip becomes a 256 × 16 × 16 feature map, read as 16 × 16 = 256 tokens of width 256 (row-major).
/// Parameters: `layers.<i>.conv.weight` (no bias: BatchNorm follows) and `layers.<i>.bn.*`.
///
/// Preprocessing: the magnitude chip is centre-cropped to `input.size` × `input.size` when it is at
/// least that large (MSTAR chips are centred on the target, so a crop keeps the pixel spacing),
/// otherwise its central square is resized bilinearly to `size` × `size`; then converted to
/// decibels relative to its brightest pixel and mapped to [0, 1] over the top `input.dynamicRange`
/// dB (`SARScaling.normalisedDecibels`; default 40 dB), so speckle and clutter, which span orders
/// of magnitude, reach the network on a linear scale.
public final class SAREncoder: ModalityEncoder {
    public static let modality = Modality.sar

    struct InputSection: ConfigSection, Equatable {
        var size: Int
        var dynamicRange: Float?
        static let allowedKeys = ["size", "dynamicRange"]
        mutating func validate(in object: ConfigObject) throws {
            try requirePositive(size, "size", in: object)
            if let dynamicRange, !(dynamicRange > 0) || !dynamicRange.isFinite {
                throw object.error("dynamicRange", "expected a positive number of decibels")
            }
        }
        var decibelRange: Float { dynamicRange ?? 40 }
    }

    struct EncoderSection: ConfigSection, Equatable {
        var channels: [Int]
        var kernel: Int
        var pool: Int
        static let allowedKeys = ["channels", "kernel", "pool"]
        mutating func validate(in object: ConfigObject) throws {
            if channels.isEmpty || channels.contains(where: { $0 <= 0 }) {
                throw object.error("channels", "expected one positive channel count per convolution layer")
            }
            if kernel <= 0 || kernel % 2 == 0 { throw object.error("kernel", "is \(kernel); expected an odd positive size (padded to keep the side)") }
            try requirePositive(pool, "pool", in: object)
        }

        /// The feature map's side for an input side: each layer's convolution keeps it (padding
        /// kernel / 2), its pool divides it (⌊side / pool⌋); nil when a pool window no longer fits.
        func featureSide(_ side: Int) -> Int? {
            var n = side
            for _ in channels {
                guard let convolved = ConvolutionArithmetic.outputSide(n, kernel: kernel, stride: 1, padding: kernel / 2),
                      let pooled = ConvolutionArithmetic.outputSide(convolved, kernel: pool, stride: pool) else { return nil }
                n = pooled
            }
            return n
        }
    }

    /// One convolution layer: conv → BatchNorm → ReLU → max-pool.
    struct ConvolutionLayer: Sendable {
        let convolution: Conv2dLayer
        let norm: BatchNormLayer
        let pool: Int
        func callAsFunction(_ x: Tensor) -> Tensor {
            norm(convolution(x)).relu().maxPool2d(kernel: pool)
        }
    }

    public let specification: EncoderSpecification
    let input: InputSection
    let layers: [ConvolutionLayer]
    let featureSide: Int

    public static func specification(section: ModalitySection) throws -> EncoderSpecification {
        let (input, encoder, side) = try sections(section)
        let channels = encoder.channels.map(String.init).joined(separator: "/")
        return EncoderSpecification(inputShape: [1, input.size, input.size], tokenShape: [side * side, encoder.channels.last!],
                                    summary: "\(encoder.channels.count) conv layers (\(encoder.kernel)×\(encoder.kernel) conv, BN, ReLU, \(encoder.pool)×\(encoder.pool) max-pool; \(channels) channels), \(side)×\(side) grid")
    }

    static func sections(_ section: ModalitySection) throws -> (InputSection, EncoderSection, Int) {
        let input = try section.input.decode(InputSection.self)
        let encoder = try section.encoder.decode(EncoderSection.self)
        guard let side = encoder.featureSide(input.size) else {
            throw section.input.error("size", "is \(input.size); too small for \(encoder.channels.count) layers of \(encoder.pool)×\(encoder.pool) pooling, each of which needs a side of at least \(encoder.pool)")
        }
        return (input, encoder, side)
    }

    public init(section: ModalitySection, store: ParameterStore) throws {
        let (input, encoder, side) = try Self.sections(section)
        self.input = input
        featureSide = side
        specification = try Self.specification(section: section)
        var inputs = 1
        var layers: [ConvolutionLayer] = []
        for (index, outputs) in encoder.channels.enumerated() {
            let name = "\(Self.parameterPrefix).layers.\(index)"
            layers.append(ConvolutionLayer(
                convolution: try Conv2dLayer(store, name + ".conv", inputs: inputs, outputs: outputs, kernel: encoder.kernel, padding: encoder.kernel / 2),
                norm: try BatchNormLayer(store, name + ".bn", channels: outputs),
                pool: encoder.pool))
            inputs = outputs
        }
        self.layers = layers
    }

    public func encode(_ sample: Sample) throws -> EncoderOutput {
        let scaled = try prepare(sample)
        var x = scaled
        for layer in layers { x = layer(x) }
        let channels = x.dim(0)
        let tokens = x.reshaped([channels, featureSide * featureSide]).permuted([1, 0])
        return EncoderOutput(input: scaled, tokens: tokens, layout: .grid(rows: featureSide, columns: featureSide, leading: 0))
    }

    /// The network's input: the chip cropped (or padded) to the input square, in normalised decibels.
    public func prepare(_ sample: Sample) throws -> Tensor {
        guard case .sar(let magnitude) = sample.content else {
            throw EncoderInputError(.sar, "expected a SAR magnitude sample, got \(sample.content.kindName)")
        }
        guard magnitude.rank == 2, magnitude.dim(0) > 0, magnitude.dim(1) > 0 else {
            throw EncoderInputError(.sar, "expected a magnitude image [height, width], got shape \(magnitude.shape)")
        }
        if let bad = magnitude.scalars.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
            throw EncoderInputError(.sar, "pixel \(bad) is \(magnitude.scalars[bad]); expected finite magnitudes ≥ 0")
        }
        let size = input.size
        let chip = try EncoderInputError.preprocessing(.sar) { () -> Tensor in
            let image = magnitude.reshaped([1, magnitude.dim(0), magnitude.dim(1)])
            if image.dim(1) >= size && image.dim(2) >= size {
                return try ImageResize.centreCrop(image, height: size, width: size)
            }
            return try SquareInput.centred(image, side: size)
        }
        return try EncoderInputError.preprocessing(.sar) { try SARScaling.normalisedDecibels(chip, dynamicRange: input.decibelRange) }
    }
}

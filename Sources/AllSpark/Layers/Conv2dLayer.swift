import SparkEngine

/// A 2-D convolution of `[Cin, H, W]` with a square kernel, PyTorch's `nn.Conv2d` layout:
/// `<name>.weight [Cout, Cin, k, k]` (Kaiming-uniform over the fan-in) and, when `bias` is true,
/// `<name>.bias [Cout]` (zeros). Convolutions followed by batch normalisation have no bias.
public struct Conv2dLayer: Sendable {
    /// The parameter-tree prefix (`<name>.weight`, `<name>.bias`).
    public let name: String
    public let weight: Tensor
    public let bias: Tensor?
    public let stride: Int
    public let padding: Int

    public init(_ store: ParameterStore, _ name: String, inputs: Int, outputs: Int, kernel: Int,
                stride: Int = 1, padding: Int = 0, bias: Bool = false) throws {
        self.name = name
        weight = try store.tensor(name + ".weight", [outputs, inputs, kernel, kernel], .kaimingUniform(fanIn: inputs * kernel * kernel))
        self.bias = bias ? try store.tensor(name + ".bias", [outputs], .zeros) : nil
        self.stride = stride
        self.padding = padding
    }

    public var kernel: Int { weight.shape[2] }
    public var outputs: Int { weight.shape[0] }

    /// Output side for an input side (PyTorch's rule): ⌊(side + 2·padding − kernel) / stride⌋ + 1,
    /// or nil when the window does not fit.
    public func outputSide(_ side: Int) -> Int? {
        ConvolutionArithmetic.outputSide(side, kernel: kernel, stride: stride, padding: padding)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.conv2d(weight: weight, bias: bias, stride: stride, padding: padding)
    }
}

/// The sliding-window size rule shared by convolutions and pooling, for computing shapes without
/// running anything (shape-only mode, configuration checks).
public enum ConvolutionArithmetic {
    /// ⌊(size + 2·padding − kernel) / stride⌋ + 1, or nil when the window does not fit the padded
    /// input (the engine would stop there).
    public static func outputSide(_ size: Int, kernel: Int, stride: Int, padding: Int = 0) -> Int? {
        guard size > 0, kernel > 0, stride > 0, padding >= 0 else { return nil }
        let room = size + 2 * padding - kernel
        return room < 0 ? nil : room / stride + 1
    }
}

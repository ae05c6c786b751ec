import SparkEngine

/// A strided convolution that cuts its input into non-overlapping (or strided) windows and makes
/// one token per window: `<name>.weight` `[width, channels, k…]`, `<name>.bias` `[width]`. The
/// ViT's patch embedding (2-D kernel, stride = kernel; RGB, MSI, oblique) and TubeViT's tubes
/// (3-D kernels with their own strides; video) are both this.
public struct PatchEmbedding: Sendable {
    public let name: String
    public let kernel: [Int]
    public let stride: [Int]
    let weight: Tensor
    let bias: Tensor

    public init(_ store: ParameterStore, _ name: String, width: Int, channels: Int, kernel: [Int], stride: [Int]) throws {
        self.name = name; self.kernel = kernel; self.stride = stride
        let fanIn = channels * kernel.reduce(1, *)
        weight = try store.tensor(name + ".weight", [width, channels] + kernel, .kaimingUniform(fanIn: fanIn))
        bias = try store.tensor(name + ".bias", [width], .zeros)
    }

    public var width: Int { weight.dim(0) }

    /// input `[channels, spatial…]` → tokens `[windows, width]`, windows in row-major order of the
    /// convolution's output (for video: frames, then rows, then columns).
    public func callAsFunction(_ input: Tensor) -> Tensor {
        let features = kernel.count == 2 && stride[0] == stride[1]
            ? input.conv2d(weight: weight, bias: bias, stride: stride[0])
            : input.convolution(weight: weight, bias: bias, stride: stride, padding: [Int](repeating: 0, count: kernel.count))
        return features.reshaped([width, features.count / width]).permuted([1, 0])
    }
}

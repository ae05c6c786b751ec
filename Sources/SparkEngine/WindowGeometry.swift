/// The sliding-window arithmetic shared by convolution and pooling, for one to three spatial axes.
///
/// Everything is held as three axes (depth, height, width): a 1-D or 2-D case gets leading axes
/// of size 1 with kernel 1, stride 1, no padding, so one loop nest serves all three ranks.
/// Output size per axis: ⌊(input + 2·padding - dilation·(kernel - 1) - 1) / stride⌋ + 1, as PyTorch.
struct WindowGeometry {
    let input: [Int]
    let kernel: [Int]
    let stride: [Int]
    let padding: [Int]
    let dilation: [Int]
    let output: [Int]

    /// `spatial`, `kernel` … have one entry per spatial axis (1...3). Stops with a message naming
    /// `operation` if a parameter is out of range or the window does not fit the padded input.
    init(spatial: [Int], kernel: [Int], stride: [Int], padding: [Int], dilation: [Int], operation: String) {
        let axes = spatial.count
        precondition((1...3).contains(axes), "\(operation) supports 1 to 3 spatial axes, got \(axes)")
        for (name, values) in [("kernel", kernel), ("stride", stride), ("padding", padding), ("dilation", dilation)] {
            precondition(values.count == axes, "\(operation): \(name) has \(values.count) values for \(axes) spatial axes")
        }
        precondition(kernel.allSatisfy { $0 >= 1 } && stride.allSatisfy { $0 >= 1 } && dilation.allSatisfy { $0 >= 1 },
                     "\(operation): kernel \(kernel), stride \(stride) and dilation \(dilation) must be ≥ 1")
        precondition(padding.allSatisfy { $0 >= 0 }, "\(operation): padding \(padding) must be ≥ 0")
        let lead = 3 - axes
        func padded(_ values: [Int], _ filler: Int) -> [Int] { [Int](repeating: filler, count: lead) + values }
        self.input = padded(spatial, 1)
        self.kernel = padded(kernel, 1)
        self.stride = padded(stride, 1)
        self.padding = padded(padding, 0)
        self.dilation = padded(dilation, 1)
        var output = [Int]()
        for axis in 0..<3 {
            let span = self.dilation[axis] * (self.kernel[axis] - 1) + 1
            let room = self.input[axis] + 2 * self.padding[axis] - span
            precondition(room >= 0,
                         "\(operation): a window of \(span) does not fit spatial size \(self.input[axis]) with padding \(self.padding[axis]) (input \(spatial), kernel \(kernel))")
            output.append(room / self.stride[axis] + 1)
        }
        self.output = output
        outputShape = Array(output[lead...])
    }

    /// The output's spatial shape, in the caller's rank.
    let outputShape: [Int]

    var outputCount: Int { output[0] * output[1] * output[2] }
    var inputCount: Int { input[0] * input[1] * input[2] }
    var kernelCount: Int { kernel[0] * kernel[1] * kernel[2] }

    /// Input coordinate along `axis` read by output index `o` at kernel offset `k` (may be in the padding).
    @inline(__always)
    func inputIndex(axis: Int, output o: Int, kernel k: Int) -> Int {
        o * stride[axis] - padding[axis] + k * dilation[axis]
    }

    /// The output indices along `axis` whose kernel offset `k` reads inside the input (not padding).
    func validOutputs(axis: Int, kernel k: Int) -> Range<Int> {
        // Need 0 ≤ o·s - p + k·d ≤ input - 1.
        let shift = padding[axis] - k * dilation[axis]
        let s = stride[axis]
        let low = Swift.max(0, Self.ceilingDivision(shift, s))
        let high = Swift.min(output[axis], Self.floorDivision(input[axis] - 1 + shift, s) + 1)
        return low..<Swift.max(low, high)
    }

    private static func floorDivision(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private static func ceilingDivision(_ a: Int, _ b: Int) -> Int {
        -floorDivision(-a, b)
    }
}

/// How a pooling window combines its values.
public enum PoolingKind: Sendable, Equatable {
    /// Largest value; padding never wins (it counts as -infinity, as in PyTorch).
    case max
    /// Mean of the window. With `countIncludesPadding` (PyTorch's default) the divisor is the full
    /// kernel size and padding counts as zeros; without it, only the values inside the input count.
    case average(countIncludesPadding: Bool = true)
}

extension Tensor {
    /// Max pooling of `[C, H, W]`; stride defaults to the kernel size.
    public func maxPool2d(kernel: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
        pooled(.max, kernel: [kernel, kernel], stride: stride.map { [$0, $0] }, padding: [padding, padding])
    }

    /// Average pooling of `[C, H, W]`; stride defaults to the kernel size.
    public func avgPool2d(kernel: Int, stride: Int? = nil, padding: Int = 0, countIncludesPadding: Bool = true) -> Tensor {
        pooled(.average(countIncludesPadding: countIncludesPadding), kernel: [kernel, kernel],
               stride: stride.map { [$0, $0] }, padding: [padding, padding])
    }

    /// Pooling of `[C, spatial…]` with 1 to 3 spatial axes (kernel.count of them), per-axis kernel,
    /// stride (default: the kernel) and padding (at most half the kernel, as PyTorch requires, so
    /// every window holds at least one input value). Output sizes round down (no ceil mode).
    public func pooled(_ kind: PoolingKind, kernel: [Int], stride: [Int]? = nil, padding: [Int]? = nil) -> Tensor {
        let axes = kernel.count
        precondition(rank == axes + 1, "pooling with a \(axes)-D kernel \(kernel) expects [C, \(axes) spatial axes], got \(shape)")
        let pad = padding ?? [Int](repeating: 0, count: axes)
        precondition(zip(pad, kernel).allSatisfy { $0 <= $1 / 2 },
                     "pooling: padding \(pad) must be at most half the kernel \(kernel)")
        let g = WindowGeometry(spatial: Array(shape.dropFirst()), kernel: kernel, stride: stride ?? kernel,
                               padding: pad, dilation: [Int](repeating: 1, count: axes), operation: "pooling")
        let channels = shape[0]
        let resultShape = [channels] + g.outputShape
        if channels == 0 || g.outputCount == 0 { return Tensor(zeros: resultShape) }
        let positions = g.outputCount, inputSize = g.inputCount
        return withUnsafeBufferPointer { x in
            Tensor(shape: resultShape, uninitializedWith: { out in
                let source = x.baseAddress!, target = out.baseAddress!
                EngineThreads.parallelRanges(count: channels, grain: Swift.max(1, 16384 / (positions * g.kernelCount))) { range in
                    for channel in range {
                        poolChannel(kind, g, source + channel * inputSize, target + channel * positions)
                    }
                }
            })
        }
    }
}

/// One channel: each output position reduces the part of its window that lies inside the input.
private func poolChannel(_ kind: PoolingKind, _ g: WindowGeometry, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
    let (inH, inW) = (g.input[1], g.input[2])
    func window(_ axis: Int, _ o: Int) -> Range<Int> {
        let start = g.inputIndex(axis: axis, output: o, kernel: 0)
        return Swift.max(start, 0)..<Swift.min(start + g.kernel[axis], g.input[axis])
    }
    var index = 0
    for od in 0..<g.output[0] {
        let rangeD = window(0, od)
        for oh in 0..<g.output[1] {
            let rangeH = window(1, oh)
            for ow in 0..<g.output[2] {
                let rangeW = window(2, ow)
                switch kind {
                case .max:
                    var best = -Float.infinity
                    for d in rangeD { for h in rangeH { for w in rangeW {
                        let v = x[(d * inH + h) * inW + w]
                        if v > best || v.isNaN { best = v }  // NaN propagates, as in PyTorch
                    } } }
                    y[index] = best
                case let .average(countIncludesPadding):
                    var total: Float = 0
                    for d in rangeD { for h in rangeH { for w in rangeW { total += x[(d * inH + h) * inW + w] } } }
                    let divisor = countIncludesPadding ? g.kernelCount : rangeD.count * rangeH.count * rangeW.count
                    y[index] = total / Float(divisor)
                }
                index += 1
            }
        }
    }
}

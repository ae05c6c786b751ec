import SparkEngine

extension Variable {
    /// 1-D convolution of `[Cin, L]` with `weight [Cout, Cin, k]` (`Tensor.conv1d`).
    public func conv1d(weight: Variable, bias: Variable? = nil, stride: Int = 1, padding: Int = 0, dilation: Int = 1) -> Variable {
        convolution(weight: weight, bias: bias, stride: [stride], padding: [padding], dilation: [dilation])
    }

    /// 2-D convolution of `[Cin, H, W]` with `weight [Cout, Cin, kh, kw]` (`Tensor.conv2d`). A patch
    /// embedding is a conv2d with stride equal to the kernel.
    public func conv2d(weight: Variable, bias: Variable? = nil, stride: Int = 1, padding: Int = 0, dilation: Int = 1) -> Variable {
        convolution(weight: weight, bias: bias, stride: [stride, stride], padding: [padding, padding],
                    dilation: [dilation, dilation])
    }

    /// 3-D convolution of `[Cin, D, H, W]` with `weight [Cout, Cin, kd, kh, kw]` (`Tensor.conv3d`).
    public func conv3d(weight: Variable, bias: Variable? = nil, stride: Int = 1, padding: Int = 0, dilation: Int = 1) -> Variable {
        convolution(weight: weight, bias: bias, stride: [stride, stride, stride],
                    padding: [padding, padding, padding], dilation: [dilation, dilation, dilation])
    }

    /// Convolution over 1 to 3 spatial axes (`Tensor.convolution`; cross-correlation, groups = 1).
    ///
    /// The forward is Y = W · cols(X) + b with cols the im2col patch matrix `[Cin · k…, positions]`.
    /// Backward: dW = dY · colsᵀ and d cols = Wᵀ · dY (two sgemms), then col2im adds each patch
    /// entry's gradient back onto the input value it was read from; db = Σ_positions dY.
    public func convolution(weight: Variable, bias: Variable? = nil, stride: [Int], padding: [Int], dilation: [Int]? = nil) -> Variable {
        let x = value, w = weight.value
        let output = x.convolution(weight: w, bias: bias?.value, stride: stride, padding: padding, dilation: dilation)
        let (xID, wID, bID) = (id, weight.id, bias?.id)
        let inputs = [self, weight] + (bias.map { [$0] } ?? [])
        return tape.record(output, inputs: inputs) { g, tape in
            let axes = w.rank - 2
            let geometry = ConvolutionGeometry(spatial: Array(x.shape.dropFirst()), kernel: Array(w.shape.dropFirst(2)),
                                               stride: stride, padding: padding,
                                               dilation: dilation ?? [Int](repeating: 1, count: axes))
            let outChannels = w.shape[0], inChannels = x.shape[0]
            let positions = geometry.outputCount, patchSize = inChannels * geometry.kernelCount
            if let bID, tape.needsGradient(bID) { tape.accumulate(bID, GradientKernels.rowSums(g, rows: outChannels)) }
            let wantsX = tape.needsGradient(xID), wantsW = tape.needsGradient(wID)
            if outChannels == 0 || positions == 0 || patchSize == 0 {
                if wantsX { tape.accumulate(xID, Tensor(zeros: x.shape)) }
                if wantsW { tape.accumulate(wID, Tensor(zeros: w.shape)) }
                return
            }
            g.withUnsafeBufferPointer { gp in
                if wantsW {
                    let columns = geometry.isPointwise ? x : geometry.im2col(x, channels: inChannels)
                    let dw = columns.withUnsafeBufferPointer { cols in
                        Tensor(shape: w.shape, uninitializedWith: { out in
                            MatrixProduct.gemm(transposeA: false, transposeB: true, m: outChannels, n: patchSize, k: positions,
                                               a: gp.baseAddress!, lda: positions, b: cols.baseAddress!, ldb: positions,
                                               c: out.baseAddress!, ldc: patchSize)
                        })
                    }
                    tape.accumulate(wID, dw)
                }
                if wantsX {
                    let columnGradient = w.withUnsafeBufferPointer { wp in
                        Tensor(shape: [patchSize, positions], uninitializedWith: { out in
                            MatrixProduct.gemm(transposeA: true, transposeB: false, m: patchSize, n: positions, k: outChannels,
                                               a: wp.baseAddress!, lda: patchSize, b: gp.baseAddress!, ldb: positions,
                                               c: out.baseAddress!, ldc: positions)
                        })
                    }
                    tape.accumulate(xID, geometry.isPointwise ? columnGradient.reshaped(x.shape)
                                                              : geometry.col2im(columnGradient, shape: x.shape))
                }
            }
        }
    }

    /// Max or average pooling of `[C, spatial…]` (`Tensor.pooled`). Max pooling sends each output's
    /// gradient to the input its window chose (the first largest, as the forward's scan); average
    /// pooling spreads it evenly over the window's divisor.
    public func pooled(_ kind: PoolingKind, kernel: [Int], stride: [Int]? = nil, padding: [Int]? = nil) -> Variable {
        let x = value
        let output = x.pooled(kind, kernel: kernel, stride: stride, padding: padding)
        let xID = id
        return tape.record(output, inputs: [self]) { g, tape in
            let axes = kernel.count
            let geometry = ConvolutionGeometry(spatial: Array(x.shape.dropFirst()), kernel: kernel, stride: stride ?? kernel,
                                               padding: padding ?? [Int](repeating: 0, count: axes),
                                               dilation: [Int](repeating: 1, count: axes))
            tape.accumulate(xID, geometry.poolingBackward(kind, input: x, gradient: g))
        }
    }

    /// Max pooling of `[C, H, W]`; stride defaults to the kernel size.
    public func maxPool2d(kernel: Int, stride: Int? = nil, padding: Int = 0) -> Variable {
        pooled(.max, kernel: [kernel, kernel], stride: stride.map { [$0, $0] }, padding: [padding, padding])
    }

    /// Average pooling of `[C, H, W]`; stride defaults to the kernel size.
    public func avgPool2d(kernel: Int, stride: Int? = nil, padding: Int = 0, countIncludesPadding: Bool = true) -> Variable {
        pooled(.average(countIncludesPadding: countIncludesPadding), kernel: [kernel, kernel],
               stride: stride.map { [$0, $0] }, padding: [padding, padding])
    }
}

/// Sliding-window arithmetic for the backwards of convolution and pooling, held as three spatial
/// axes (a 1-D or 2-D case gets leading axes of size 1), as the engine's forward holds it. The
/// forward has already validated every parameter.
struct ConvolutionGeometry {
    let input: [Int], kernel: [Int], stride: [Int], padding: [Int], dilation: [Int], output: [Int]

    init(spatial: [Int], kernel: [Int], stride: [Int], padding: [Int], dilation: [Int]) {
        let lead = 3 - spatial.count
        func padded(_ values: [Int], _ filler: Int) -> [Int] { [Int](repeating: filler, count: lead) + values }
        let (i, k, s, p, d) = (padded(spatial, 1), padded(kernel, 1), padded(stride, 1), padded(padding, 0), padded(dilation, 1))
        (input, self.kernel, self.stride, self.padding, self.dilation) = (i, k, s, p, d)
        output = (0..<3).map { axis in (i[axis] + 2 * p[axis] - d[axis] * (k[axis] - 1) - 1) / s[axis] + 1 }
    }

    var outputCount: Int { output[0] * output[1] * output[2] }
    var inputCount: Int { input[0] * input[1] * input[2] }
    var kernelCount: Int { kernel[0] * kernel[1] * kernel[2] }
    /// A 1×1 kernel with stride 1 and no padding: the patch matrix is the input itself.
    var isPointwise: Bool { kernelCount == 1 && stride.allSatisfy { $0 == 1 } && padding.allSatisfy { $0 == 0 } }

    /// Output indices along `axis` whose kernel tap `k` reads inside the input (not the padding).
    func validOutputs(axis: Int, kernel k: Int) -> Range<Int> {
        // 0 ≤ o·s − p + k·d ≤ input − 1
        let shift = padding[axis] - k * dilation[axis], s = stride[axis]
        let low = Swift.max(0, shift > 0 ? (shift + s - 1) / s : -((-shift) / s))
        let top = input[axis] - 1 + shift
        let high = Swift.min(output[axis], top < 0 ? 0 : top / s + 1)
        return low..<Swift.max(low, high)
    }

    /// Calls `body(patch row, input offset within the channel, output position)` for every patch
    /// entry of one channel that reads inside the input. Rows are (kd, kh, kw) in weight order.
    @inline(__always)
    private func forEachTap(_ body: (Int, Int, Int) -> Void) {
        let (inH, inW) = (input[1], input[2]), (outH, outW) = (output[1], output[2])
        for kd in 0..<kernel[0] {
            let rangeD = validOutputs(axis: 0, kernel: kd)
            for kh in 0..<kernel[1] {
                let rangeH = validOutputs(axis: 1, kernel: kh)
                for kw in 0..<kernel[2] {
                    let rangeW = validOutputs(axis: 2, kernel: kw)
                    let row = (kd * kernel[1] + kh) * kernel[2] + kw
                    for od in rangeD {
                        let id = od * stride[0] - padding[0] + kd * dilation[0]
                        for oh in rangeH {
                            let ih = oh * stride[1] - padding[1] + kh * dilation[1]
                            let lineIn = (id * inH + ih) * inW, lineOut = (od * outH + oh) * outW
                            for ow in rangeW {
                                body(row, lineIn + ow * stride[2] - padding[2] + kw * dilation[2], lineOut + ow)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The patch matrix `[channels · kernelCount, outputCount]` (0 where a tap reads padding), in
    /// the layout of the engine's forward.
    func im2col(_ x: Tensor, channels: Int) -> Tensor {
        let positions = outputCount, taps = kernelCount, inputSize = inputCount
        var columns = [Float](repeating: 0, count: channels * taps * positions)
        x.withUnsafeBufferPointer { xb in
            columns.withUnsafeMutableBufferPointer { cb in
                let source = xb.baseAddress!, target = cb.baseAddress!
                EngineThreads.parallelRanges(count: channels, grain: Swift.max(1, 32768 / Swift.max(taps * positions, 1))) { range in
                    for channel in range {
                        let xc = source + channel * inputSize, cc = target + channel * taps * positions
                        forEachTap { row, inputOffset, position in cc[row * positions + position] = xc[inputOffset] }
                    }
                }
            }
        }
        return Tensor(shape: [channels * taps, positions], scalars: columns)
    }

    /// The adjoint of `im2col`: every patch entry's gradient added onto the input value it read.
    func col2im(_ columns: Tensor, shape: [Int]) -> Tensor {
        let channels = shape[0], positions = outputCount, taps = kernelCount, inputSize = inputCount
        var result = [Float](repeating: 0, count: channels * inputSize)
        columns.withUnsafeBufferPointer { cb in
            result.withUnsafeMutableBufferPointer { rb in
                let source = cb.baseAddress!, target = rb.baseAddress!
                // Channels write disjoint parts of the result, so they run in parallel.
                EngineThreads.parallelRanges(count: channels, grain: Swift.max(1, 32768 / Swift.max(taps * positions, 1))) { range in
                    for channel in range {
                        let cc = source + channel * taps * positions, xc = target + channel * inputSize
                        forEachTap { row, inputOffset, position in xc[inputOffset] += cc[row * positions + position] }
                    }
                }
            }
        }
        return Tensor(shape: shape, scalars: result)
    }

    /// The input gradient of pooling `input [C, spatial…]` whose output gradient is `gradient`.
    func poolingBackward(_ kind: PoolingKind, input x: Tensor, gradient g: Tensor) -> Tensor {
        let channels = x.shape[0], positions = outputCount, inputSize = inputCount
        var result = [Float](repeating: 0, count: x.count)
        if channels == 0 || positions == 0 { return Tensor(zeros: x.shape) }
        let (inH, inW) = (input[1], input[2])
        func window(_ axis: Int, _ o: Int) -> Range<Int> {
            let start = o * stride[axis] - padding[axis]
            return Swift.max(start, 0)..<Swift.min(start + kernel[axis], input[axis])
        }
        x.withUnsafeBufferPointer { xb in
            g.withUnsafeBufferPointer { gb in
                result.withUnsafeMutableBufferPointer { rb in
                    EngineThreads.parallelRanges(count: channels, grain: Swift.max(1, 16384 / (positions * kernelCount))) { range in
                        for channel in range {
                            let xc = xb.baseAddress! + channel * inputSize, dx = rb.baseAddress! + channel * inputSize
                            let gc = gb.baseAddress! + channel * positions
                            var index = 0
                            for od in 0..<output[0] {
                                let rangeD = window(0, od)
                                for oh in 0..<output[1] {
                                    let rangeH = window(1, oh)
                                    for ow in 0..<output[2] {
                                        let rangeW = window(2, ow)
                                        switch kind {
                                        case .max:
                                            // The forward's scan: the first largest value (or a NaN) wins.
                                            var best = -Float.infinity, chosen = -1
                                            for d in rangeD { for h in rangeH { for w in rangeW {
                                                let offset = (d * inH + h) * inW + w
                                                if xc[offset] > best || xc[offset].isNaN || chosen < 0 && xc[offset] == best {
                                                    best = xc[offset]
                                                    chosen = offset
                                                }
                                            } } }
                                            if chosen >= 0 { dx[chosen] += gc[index] }
                                        case let .average(countIncludesPadding):
                                            let divisor = countIncludesPadding ? kernelCount : rangeD.count * rangeH.count * rangeW.count
                                            let share = gc[index] / Float(divisor)
                                            for d in rangeD { for h in rangeH { for w in rangeW { dx[(d * inH + h) * inW + w] += share } } }
                                        }
                                        index += 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: x.shape, scalars: result)
    }
}

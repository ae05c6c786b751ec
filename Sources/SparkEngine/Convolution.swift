extension Tensor {
    /// 1-D convolution of `[Cin, L]` with `weight [Cout, Cin, k]` (PyTorch layout) → `[Cout, Lout]`.
    public func conv1d(weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0, dilation: Int = 1) -> Tensor {
        convolution(weight: weight, bias: bias, stride: [stride], padding: [padding], dilation: [dilation])
    }

    /// 2-D convolution of `[Cin, H, W]` with `weight [Cout, Cin, kh, kw]` → `[Cout, Hout, Wout]`.
    public func conv2d(weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0, dilation: Int = 1) -> Tensor {
        convolution(weight: weight, bias: bias, stride: [stride, stride], padding: [padding, padding],
                    dilation: [dilation, dilation])
    }

    /// 3-D convolution of `[Cin, D, H, W]` with `weight [Cout, Cin, kd, kh, kw]` → `[Cout, Dout, Hout, Wout]`.
    public func conv3d(weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0, dilation: Int = 1) -> Tensor {
        convolution(weight: weight, bias: bias, stride: [stride, stride, stride],
                    padding: [padding, padding, padding], dilation: [dilation, dilation, dilation])
    }

    /// Convolution (cross-correlation, as PyTorch) over 1 to 3 spatial axes, groups = 1, with
    /// per-axis stride, zero padding and dilation; the number of spatial axes is weight.rank - 2.
    ///
    /// im2col: the input patches are laid out as a `[Cin · k…, Lout…]` matrix, then one sgemm with
    /// the weight seen as `[Cout, Cin · k…]`. A 1×1 kernel with stride 1 and no padding multiplies
    /// the input directly.
    public func convolution(weight: Tensor, bias: Tensor? = nil, stride: [Int], padding: [Int], dilation: [Int]? = nil) -> Tensor {
        let axes = weight.rank - 2
        precondition(axes >= 1 && rank == axes + 1,
                     "convolution: input \(shape) should be [Cin, spatial…] matching weight [Cout, Cin, kernel…] \(weight.shape)")
        let inChannels = shape[0], outChannels = weight.shape[0]
        precondition(weight.shape[1] == inChannels,
                     "convolution: weight \(weight.shape) expects \(weight.shape[1]) input channels, input \(shape) has \(inChannels)")
        Tensor.checkParameter(bias, outChannels, "convolution bias")
        let geometry = WindowGeometry(spatial: Array(shape.dropFirst()), kernel: Array(weight.shape.dropFirst(2)),
                                      stride: stride, padding: padding,
                                      dilation: dilation ?? [Int](repeating: 1, count: axes), operation: "convolution")
        let resultShape = [outChannels] + geometry.outputShape
        let positions = geometry.outputCount
        let patchSize = inChannels * geometry.kernelCount
        if outChannels == 0 || positions == 0 { return Tensor(zeros: resultShape) }
        if patchSize == 0 {
            let zeros = Tensor(zeros: resultShape)
            return bias.map { zeros + $0.reshaped([outChannels] + [Int](repeating: 1, count: axes)) } ?? zeros
        }
        let isPointwise = geometry.kernelCount == 1 && geometry.stride.allSatisfy { $0 == 1 } && geometry.padding.allSatisfy { $0 == 0 }
        let columns = isPointwise ? self : im2col(geometry, channels: inChannels)
        return columns.withUnsafeBufferPointer { cols in
            weight.withUnsafeBufferPointer { w in
                Tensor(shape: resultShape, uninitializedWith: { out in
                    let o = out.baseAddress!
                    if let bias {
                        for c in 0..<outChannels {
                            let value = bias.scalars[c]
                            for i in 0..<positions { o[c * positions + i] = value }
                        }
                    }
                    MatrixProduct.gemm(transposeA: false, transposeB: false, m: outChannels, n: positions, k: patchSize,
                                       a: w.baseAddress!, lda: patchSize, b: cols.baseAddress!, ldb: positions,
                                       beta: bias == nil ? 0 : 1, c: o, ldc: positions)
                })
            }
        }
    }

    /// The patch matrix `[channels · kernelCount, outputCount]`: row (c, kd, kh, kw) holds, for every
    /// output position, the input value that kernel tap reads there (0 in the padding). Row order
    /// matches a PyTorch weight `[Cout, Cin, kd, kh, kw]` flattened to `[Cout, Cin · kd · kh · kw]`.
    func im2col(_ g: WindowGeometry, channels: Int) -> Tensor {
        let positions = g.outputCount
        let rows = channels * g.kernelCount
        let (inD, inH, inW) = (g.input[0], g.input[1], g.input[2])
        let (outH, outW) = (g.output[1], g.output[2])
        let (kD, kH, kW) = (g.kernel[0], g.kernel[1], g.kernel[2])
        // Valid output ranges per axis and kernel offset, computed once.
        let validD = (0..<kD).map { g.validOutputs(axis: 0, kernel: $0) }
        let validH = (0..<kH).map { g.validOutputs(axis: 1, kernel: $0) }
        let validW = (0..<kW).map { g.validOutputs(axis: 2, kernel: $0) }
        let strideW = g.stride[2]
        return withUnsafeBufferPointer { x in
            Tensor(shape: [rows, positions], uninitializedWith: { out in
                let source = x.baseAddress!, target = out.baseAddress!
                EngineThreads.parallelRanges(count: rows, grain: Swift.max(1, 32768 / positions)) { range in
                    for row in range {
                        let kw = row % kW, kh = (row / kW) % kH, kd = (row / (kW * kH)) % kD
                        let channel = row / g.kernelCount
                        let dst = target + row * positions
                        dst.initialize(repeating: 0, count: positions)
                        let columnStart = g.inputIndex(axis: 2, output: 0, kernel: kw)
                        let wRange = validW[kw]
                        for od in validD[kd] {
                            let id = g.inputIndex(axis: 0, output: od, kernel: kd)
                            for oh in validH[kh] {
                                let ih = g.inputIndex(axis: 1, output: oh, kernel: kh)
                                let src = source + ((channel * inD + id) * inH + ih) * inW + columnStart
                                let line = dst + (od * outH + oh) * outW
                                if strideW == 1 {
                                    (line + wRange.lowerBound).update(from: src + wRange.lowerBound, count: wRange.count)
                                } else {
                                    for ow in wRange { line[ow] = src[ow * strideW] }
                                }
                            }
                        }
                    }
                }
            })
        }
    }
}

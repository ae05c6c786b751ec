import Testing
@testable import SparkEngine

/// Expected arrays: scripts/reference/engine_reference.py, section "convolution" (the direct sum
/// over channels and taps on a zero-padded input, in float64).
@Suite struct ConvolutionTests {
    static let conv2d_s2p1: [Float] = [0.875, -4, 1.375, -2.875, 4.625, -1.25, -4.25, 3.375, 1, 6.375, 1.625, -10.375, -4.625, -10.5, 1.5, 5.75, 0, 2.25, -1.875, -5.125, 9.5, 4.625, 7.375, -8.125, -4.875, 3.5, 0.75]
    static let conv2d_s21p10: [Float] = [6.625, -4.5, 0.625, 0.875, 6.25, 4.125, -1.25, -1.75, 8.125, 2.875, 0.875, 0.5, -9.25, 2.625, 3.125, -9.375, 5.625, -9.5, 7.875, 2.5, -9.875, 1, -2.75, 3.25, 9.25, -5.375, -5.375, 9.25, -4.625, 7.125, -2.25, -8.375, 7.875, 3.25, 1.875, 0.5]
    static let conv1d_d2p2: [Float] = [2.75, 2.25, 1.5, -6.75, 1.5, 2.25, 2.75, 2.75, -7.75, -2.75, 1.25, 2.5, 0.25, -4]
    static let conv3d_s2p1: [Float] = [2.15625, -4.4375, 2.90625, 1.65625, -1.65625, 3.0625, -1.59375, 0.8125, -1.59375, -0.90625, 4.15625, -0.75, 1.78125, -1.71875, -2.65625, 5.90625]
    static let conv2d_pointwise: [Float] = [3, 1.75, 3.25, 2, -5.75, 0, -5.25, 0.5]

    let x = Pattern.tensor([2, 5, 6], 5, 1, 13, 0.5)
    let w = Pattern.tensor([3, 2, 3, 3], 7, 2, 11, 0.25)

    @Test func conv2dStrideTwoPaddingOne() {
        let y = x.conv2d(weight: w, bias: Tensor(shape: [3], scalars: [0.5, -1.0, 0.25]), stride: 2, padding: 1)
        expectClose(y, shape: [3, 3, 3], Self.conv2d_s2p1)
    }

    @Test func conv2dPerAxisStrideAndPadding() {
        let y = x.convolution(weight: w, stride: [2, 1], padding: [1, 0])
        expectClose(y, shape: [3, 3, 4], Self.conv2d_s21p10)
    }

    @Test func conv1dDilated() {
        let x1 = Pattern.tensor([2, 7], 3, 2, 11, 0.5)
        let w1 = Pattern.tensor([2, 2, 3], 5, 1, 7, 0.5)
        let y = x1.conv1d(weight: w1, bias: Tensor(shape: [2], scalars: [0.25, -0.5]), padding: 2, dilation: 2)
        expectClose(y, shape: [2, 7], Self.conv1d_d2p2)
    }

    @Test func conv3dStrideTwoPaddingOne() {
        let x3 = Pattern.tensor([2, 4, 4, 4], 5, 3, 17, 0.25)
        let w3 = Pattern.tensor([2, 2, 3, 3, 3], 7, 1, 13, 0.125)
        expectClose(x3.conv3d(weight: w3, stride: 2, padding: 1), shape: [2, 2, 2, 2], Self.conv3d_s2p1)
    }

    @Test func pointwiseConvolutionTakesTheDirectProduct() {
        let xp = Pattern.tensor([3, 2, 2], 5, 1, 11, 0.5)
        let wp = Pattern.tensor([2, 3, 1, 1], 3, 2, 7, 0.5)
        let y = xp.conv2d(weight: wp, bias: Tensor(shape: [2], scalars: [1, -1]))
        expectClose(y, shape: [2, 2, 2], Self.conv2d_pointwise)
    }

    @Test func byHandSingleChannel() {
        // 3×3 input 1…9, 2×2 kernel of ones, stride 1: sums of each 2×2 block.
        let input = Tensor(shape: [1, 3, 3], scalars: (1...9).map(Float.init))
        let y = input.conv2d(weight: Tensor(repeating: 1, shape: [1, 1, 2, 2]))
        #expect(y.shape == [1, 2, 2])
        #expect(y.scalars == [12, 16, 24, 28])
    }

    @Test func im2colLaysOutPatchesInWeightOrder() {
        // 1 channel, 1×3 input [1, 2, 3], kernel 3, padding 1: rows are the taps (left, centre, right).
        let input = Tensor(shape: [1, 3], scalars: [1, 2, 3])
        let g = WindowGeometry(spatial: [3], kernel: [3], stride: [1], padding: [1], dilation: [1], operation: "test")
        let columns = input.im2col(g, channels: 1)
        #expect(columns.shape == [3, 3])
        #expect(columns.scalars == [0, 1, 2, 1, 2, 3, 2, 3, 0])
    }

    @Test func geometryOfOutputSizes() {
        let g = WindowGeometry(spatial: [224, 224], kernel: [7, 7], stride: [2, 2], padding: [3, 3], dilation: [1, 1], operation: "test")
        #expect(g.outputShape == [112, 112])
        let dilated = WindowGeometry(spatial: [10], kernel: [3], stride: [1], padding: [0], dilation: [4], operation: "test")
        #expect(dilated.outputShape == [2])
        #expect(dilated.validOutputs(axis: 2, kernel: 2) == 0..<2)
        let padded = WindowGeometry(spatial: [5], kernel: [3], stride: [2], padding: [1], dilation: [1], operation: "test")
        #expect(padded.outputShape == [3])
        #expect(padded.validOutputs(axis: 2, kernel: 0) == 1..<3)   // output 0 reads the left padding
        #expect(padded.validOutputs(axis: 2, kernel: 2) == 0..<2)   // output 2 reads the right padding
    }

    @Test func largerConvolutionAgreesWithDirectSum() {
        // A shape like an encoder's first layer (parallel im2col), spot-checked against the definition.
        let input = Pattern.tensor([3, 33, 31], 13, 5, 97, 0.0625)
        let weight = Pattern.tensor([8, 3, 3, 3], 7, 3, 23, 0.125)
        let y = input.conv2d(weight: weight, stride: 2, padding: 1)
        #expect(y.shape == [8, 17, 16])
        for (o, r, c) in [(0, 0, 0), (3, 8, 7), (7, 16, 15), (5, 0, 15), (2, 16, 0)] {
            var expected: Double = 0
            for ch in 0..<3 { for i in 0..<3 { for j in 0..<3 {
                let (ir, ic) = (r * 2 - 1 + i, c * 2 - 1 + j)
                if ir >= 0 && ir < 33 && ic >= 0 && ic < 31 {
                    expected += Double(weight[o, ch, i, j]) * Double(input[ch, ir, ic])
                }
            } } }
            #expect(abs(Double(y[o, r, c]) - expected) < 1e-5)
        }
    }
}

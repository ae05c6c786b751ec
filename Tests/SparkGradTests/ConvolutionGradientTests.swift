import Testing
import SparkEngine
import SparkGrad

/// Convolutions (im2col backward) and pooling against finite differences of the Float64 direct
/// reference (tolerance: |analytic − numeric| ≤ 1e-3·|numeric| + 2e-5·max|gradient|).
@Suite struct ConvolutionGradientTests {
    @Test func conv1dStridePaddingDilation() {
        var random = TestRandom(seed: 31)
        let x = random.tensor([3, 9]), w = random.tensor([4, 3, 3]), b = random.tensor([4])
        expectGradients(gradientCheck(
            [x, w, b], forward: { v in v[0].conv1d(weight: v[1], bias: v[2], stride: 2, padding: 2, dilation: 2) },
            reference: { r in Reference.convolution(r[0], r[1], r[2], stride: [2], padding: [2], dilation: [2]) }))
    }

    @Test func conv2dStridePadding() {
        var random = TestRandom(seed: 32)
        let x = random.tensor([2, 6, 5]), w = random.tensor([3, 2, 3, 3]), b = random.tensor([3])
        expectGradients(gradientCheck(
            [x, w, b], forward: { v in v[0].conv2d(weight: v[1], bias: v[2], stride: 2, padding: 1) },
            reference: { r in Reference.convolution(r[0], r[1], r[2], stride: [2, 2], padding: [1, 1], dilation: [1, 1]) }))
    }

    @Test func patchEmbeddingAndPointwise() {
        var random = TestRandom(seed: 33)
        // Patch embedding: stride = kernel, no padding, no overlap.
        let image = random.tensor([3, 8, 8]), patches = random.tensor([5, 3, 4, 4]), bias = random.tensor([5])
        expectGradients(gradientCheck(
            [image, patches, bias], forward: { v in v[0].conv2d(weight: v[1], bias: v[2], stride: 4) },
            reference: { r in Reference.convolution(r[0], r[1], r[2], stride: [4, 4], padding: [0, 0], dilation: [1, 1]) }))
        // A 1×1 kernel multiplies the input directly (no patch matrix).
        let x = random.tensor([4, 3, 2]), w = random.tensor([2, 4, 1, 1])
        expectGradients(gradientCheck(
            [x, w], forward: { v in v[0].conv2d(weight: v[1]) },
            reference: { r in Reference.convolution(r[0], r[1], nil, stride: [1, 1], padding: [0, 0], dilation: [1, 1]) }))
    }

    @Test func conv3d() {
        var random = TestRandom(seed: 34)
        let x = random.tensor([2, 3, 4, 4]), w = random.tensor([2, 2, 2, 3, 3])
        expectGradients(gradientCheck(
            [x, w], forward: { v in v[0].conv3d(weight: v[1], stride: 1, padding: 1) },
            reference: { r in Reference.convolution(r[0], r[1], nil, stride: [1, 1, 1], padding: [1, 1, 1], dilation: [1, 1, 1]) }))
    }

    @Test func maxPooling() {
        var random = TestRandom(seed: 35)
        let x = random.tensor([2, 5, 6])
        expectGradients(gradientCheck(
            [x], forward: { v in v[0].maxPool2d(kernel: 3, stride: 2, padding: 1) },
            reference: { r in Reference.pool(r[0], max: true, countPadding: false, kernel: [3, 3], stride: [2, 2], padding: [1, 1]) }))
        let sequence = random.tensor([3, 10])
        expectGradients(gradientCheck(
            [sequence], forward: { v in v[0].pooled(.max, kernel: [2]) },
            reference: { r in Reference.pool(r[0], max: true, countPadding: false, kernel: [2], stride: [2], padding: [0]) }))
    }

    @Test(arguments: [true, false])
    func averagePooling(_ countIncludesPadding: Bool) {
        var random = TestRandom(seed: 36)
        let x = random.tensor([2, 5, 5])
        expectGradients(gradientCheck(
            [x], forward: { v in v[0].avgPool2d(kernel: 2, stride: 2, padding: 1, countIncludesPadding: countIncludesPadding) },
            reference: { r in Reference.pool(r[0], max: false, countPadding: countIncludesPadding, kernel: [2, 2], stride: [2, 2], padding: [1, 1]) }))
    }
}

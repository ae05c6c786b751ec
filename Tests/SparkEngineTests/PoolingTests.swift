import Testing
@testable import SparkEngine

/// Expected arrays: scripts/reference/engine_reference.py, section "convolution" (pooling by the
/// definition: windows over the input, padding excluded from max, counted or not for average).
@Suite struct PoolingTests {
    static let maxpool_k2: [Float] = [5.5, 3, 2.5, 3.5, 3, 4.5, 3.5, 5]
    static let maxpool_k3s2p1: [Float] = [5.5, 5.5, 4.5, 5.5, 5.5, 5, 2.5, 4, 5, 3, 4.5, 5.5, 3.5, 5, 2.5, 4, 5, 3]
    static let avgpool_k3s2p1: [Float] = [0.333333333, 0.166666667, -0.111111111, 0.111111111, -0.333333333, 0.722222222, -0.611111111, -0.611111111, 0.222222222, -0.388888889, -0.277777778, 0.444444444, -0.333333333, 0.277777778, -1, -0.0555555556, 0.222222222, -0.5]
    static let avgpool_k3s2p1_exclusive: [Float] = [0.75, 0.25, -0.25, 0.166666667, -0.333333333, 1.08333333, -1.375, -0.916666667, 0.5, -0.875, -0.416666667, 1, -0.5, 0.277777778, -1.5, -0.125, 0.333333333, -1.125]
    static let maxpool1d_k3s2p1: [Float] = [-0.5, 2.5, 2.5, 1.5]
    static let avgpool3d_k2: [Float] = [-0.125, 0, 0.375, -0.3125]

    let y = Pattern.tensor([2, 5, 5], 7, 3, 23, 0.5)

    @Test func maxPool2d() {
        expectClose(y.maxPool2d(kernel: 2), shape: [2, 2, 2], Self.maxpool_k2, relative: 0, absolute: 0)
        expectClose(y.maxPool2d(kernel: 3, stride: 2, padding: 1), shape: [2, 3, 3], Self.maxpool_k3s2p1, relative: 0, absolute: 0)
    }

    @Test func avgPool2dCountingPaddingOrNot() {
        expectClose(y.avgPool2d(kernel: 3, stride: 2, padding: 1), shape: [2, 3, 3], Self.avgpool_k3s2p1)
        expectClose(y.avgPool2d(kernel: 3, stride: 2, padding: 1, countIncludesPadding: false), shape: [2, 3, 3],
                    Self.avgpool_k3s2p1_exclusive)
    }

    @Test func oneAndThreeDimensions() {
        let y1 = Pattern.tensor([1, 7], 3, 1, 11, 0.5)
        expectClose(y1.pooled(.max, kernel: [3], stride: [2], padding: [1]), shape: [1, 4], Self.maxpool1d_k3s2p1,
                    relative: 0, absolute: 0)
        let y3 = Pattern.tensor([1, 2, 4, 4], 5, 2, 13, 0.5)
        expectClose(y3.pooled(.average(), kernel: [2, 2, 2]), shape: [1, 1, 2, 2], Self.avgpool3d_k2)
    }

    @Test func byHandAndNaN() {
        // 4×4 of 0…15, 2×2 windows: maxima are the bottom-right corners, means the block centres.
        let t = Tensor(shape: [1, 4, 4], scalars: (0..<16).map(Float.init))
        #expect(t.maxPool2d(kernel: 2).scalars == [5, 7, 13, 15])
        #expect(t.avgPool2d(kernel: 2).scalars == [2.5, 4.5, 10.5, 12.5])
        var withNaN = t
        withNaN[0, 0, 0] = .nan
        #expect(withNaN.maxPool2d(kernel: 2).scalars[0].isNaN)
    }
}

import Foundation

/// The measured speed of one square Float32 product through the engine's BLAS path.
public struct SgemmRate: Codable, Equatable, Sendable {
    public var size: Int
    /// Median over samples, 2n³ FLOPs per product.
    public var gflops: Double
    public var samples: [Double]

    /// Times `samples` batches of products of size n (after one warm-up), each batch about
    /// `sampleSeconds` long, and reports the median: the machine is shared and noisy.
    public static func measure(size n: Int = 1024, samples: Int = 5, sampleSeconds: Double = 0.05) -> SgemmRate {
        let n = Swift.max(1, n)
        var random = SplitMix64(state: 1024)
        let a = (0..<n * n).map { _ in random.nextSigned() }
        let b = (0..<n * n).map { _ in random.nextSigned() }
        var c = [Float](repeating: 0, count: n * n)
        func product() {
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        MatrixProduct.gemm(transposeA: false, transposeB: false, m: n, n: n, k: n,
                                           a: pa.baseAddress!, lda: n, b: pb.baseAddress!, ldb: n,
                                           c: pc.baseAddress!, ldc: n)
                    }
                }
            }
        }
        func seconds(_ body: () -> Void) -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        product()  // warm-up: threads started, pages touched
        let single = seconds(product)
        let calls = Swift.max(1, Int((sampleSeconds / Swift.max(single, 1e-9)).rounded(.up)))
        let flops = 2 * Double(n) * Double(n) * Double(n) * Double(calls)
        let rates = (0..<Swift.max(1, samples)).map { _ in
            flops / seconds { for _ in 0..<calls { product() } } / 1e9
        }
        let sorted = rates.sorted()
        let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2]
                                           : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        return SgemmRate(size: n, gflops: median, samples: rates)
    }
}

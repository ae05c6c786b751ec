import Testing
@testable import SparkEngine

/// The kernel self-test must pass on the library's product and fail on a wrong one.
@Suite struct GemmSelfTestTests {
    @Test func passesOnTheEngineProduct() {
        let result = GemmSelfTest.run()
        #expect(result.passed, "max relative error \(result.maxRelativeError) in \(result.worstProblem)")
        #expect(result.maxRelativeError < 1e-6)
    }

    /// The engine's product with one wrong entry in each result.
    @Test func failsWhenOneValueIsPerturbed() {
        let result = GemmSelfTest.run(gemm: { ta, tb, m, n, k, a, lda, b, ldb, c, ldc in
            GemmSelfTest.engineGemm(ta, tb, m, n, k, a, lda, b, ldb, c, ldc)
            c[(m / 2) * ldc + n / 3] += 1e-3
        })
        #expect(!result.passed)
        #expect(result.maxRelativeError > 1e-5)
    }

    @Test func failsOnNonFiniteOrStrayWrites() {
        let leavesC = GemmSelfTest.run(gemm: { _, _, _, _, _, _, _, _, _, _, _ in })
        #expect(!leavesC.passed && leavesC.maxRelativeError == .infinity)
        let writesPadding = GemmSelfTest.run(gemm: { ta, tb, m, n, k, a, lda, b, ldb, c, ldc in
            GemmSelfTest.engineGemm(ta, tb, m, n, k, a, lda, b, ldb, c, ldc)
            if ldc > n { c[n] = 0 }
        })
        #expect(!writesPadding.passed)
    }

    @Test func transposesAreChecked() {
        // Ignoring transpose flags is wrong everywhere a transposed problem is run.
        let result = GemmSelfTest.run(gemm: { _, _, m, n, k, a, lda, b, ldb, c, ldc in
            for i in 0..<m { for j in 0..<n {
                var sum: Float = 0
                for q in 0..<k { sum += a[i * lda + q] * b[q * ldb + j] }
                c[i * ldc + j] = sum
            } }
        }, problems: [GemmSelfTest.Problem(transposeA: true, transposeB: false, m: 9, n: 9, k: 9, padding: 0)])
        #expect(!result.passed)
    }

    @Test func referenceByHand() {
        let c = GemmSelfTest.referenceProduct([1, 2, 3, 4], [5, 6, 7, 8], m: 2, n: 2, k: 2)
        #expect(c == [19, 22, 43, 50])
    }
}

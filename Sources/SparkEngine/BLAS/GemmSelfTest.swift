import Foundation

/// A quick correctness check of the Float32 matrix product in use, against a Float64 reference
/// computed here in Swift.
///
/// Run before relying on a kernel allspark chose itself (OPENBLAS_CORETYPE set by us), and by
/// `allspark doctor`. The problems have odd sizes, both transpose flags and padded strides, so
/// the kernels' edge tiles and packing paths are exercised, one 256×256 result large enough for
/// OpenBLAS to split across threads, and one thin product whose long inner dimension (700)
/// crosses the kernels' blocking along k. The whole check takes a few milliseconds: the
/// reference, not BLAS, is its cost, so k stays short where it need not be long.
public enum GemmSelfTest {
    /// C[m×n] = op(A)·op(B) on row-major buffers with row strides lda, ldb, ldc (alpha 1, beta 0).
    public typealias SGEMM = (_ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int,
                              _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                              _ c: UnsafeMutablePointer<Float>, _ ldc: Int) -> Void

    /// One product to check.
    public struct Problem: Sendable, CustomStringConvertible {
        public var transposeA: Bool, transposeB: Bool
        public var m: Int, n: Int, k: Int
        /// Extra scalars at the end of every stored row (lda, ldb, ldc larger than the rows).
        public var padding: Int

        public var description: String {
            "\(m)×\(k)\(transposeA ? " (Aᵀ)" : "") · \(k)×\(n)\(transposeB ? " (Bᵀ)" : "")"
        }
    }

    public static let problems: [Problem] = [
        Problem(transposeA: false, transposeB: false, m: 67, n: 71, k: 129, padding: 3),
        Problem(transposeA: true, transposeB: false, m: 67, n: 71, k: 129, padding: 5),
        Problem(transposeA: false, transposeB: true, m: 67, n: 71, k: 129, padding: 0),
        Problem(transposeA: true, transposeB: true, m: 67, n: 71, k: 129, padding: 2),
        Problem(transposeA: false, transposeB: false, m: 256, n: 256, k: 64, padding: 0),
        Problem(transposeA: true, transposeB: false, m: 16, n: 24, k: 700, padding: 1),
    ]

    /// A correct Float32 product stays near 1e-7 on this scale; a wrong kernel is off by O(1).
    public static let tolerance = 1e-5

    public struct Result: Codable, Equatable, Sendable {
        /// max over every entry of |c − ref| / (‖row i of op(A)‖₂ · ‖column j of op(B)‖₂): the
        /// Cauchy–Schwarz bound on |ref|, so entries that cancel to near zero do not inflate it.
        /// Infinite when an entry is not finite or a padding scalar of C was written.
        public var maxRelativeError: Double
        public var tolerance: Double
        /// The problem with the largest error.
        public var worstProblem: String
        public var seconds: Double
        /// maxRelativeError < tolerance (stored so JSON carries it).
        public var passed: Bool

        public init(maxRelativeError: Double, tolerance: Double, worstProblem: String, seconds: Double) {
            self.maxRelativeError = maxRelativeError
            self.tolerance = tolerance
            self.worstProblem = worstProblem
            self.seconds = seconds
            passed = maxRelativeError < tolerance
        }
    }

    /// The product every engine operation uses.
    public static let engineGemm: SGEMM = { ta, tb, m, n, k, a, lda, b, ldb, c, ldc in
        MatrixProduct.gemm(transposeA: ta, transposeB: tb, m: m, n: n, k: k,
                           a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc)
    }

    public static func run(gemm: SGEMM = engineGemm, problems: [Problem] = problems) -> Result {
        let start = DispatchTime.now().uptimeNanoseconds
        var worst = 0.0, worstProblem = problems.first?.description ?? ""
        for (index, problem) in problems.enumerated() {
            let error = relativeError(of: problem, seed: UInt64(index + 1), gemm: gemm)
            // `!(error <= worst)` also catches NaN.
            if !(error <= worst) { worst = error.isNaN ? .infinity : error; worstProblem = problem.description }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Result(maxRelativeError: worst, tolerance: tolerance, worstProblem: worstProblem, seconds: seconds)
    }

    /// Runs one problem through `gemm` and returns its largest relative error.
    static func relativeError(of p: Problem, seed: UInt64, gemm: SGEMM) -> Double {
        guard p.m > 0, p.n > 0, p.k > 0, p.padding >= 0 else { return 0 }
        // Stored shapes: A is m×k (k×m when transposed), B is k×n (n×k when transposed).
        let (aRows, aCols) = p.transposeA ? (p.k, p.m) : (p.m, p.k)
        let (bRows, bCols) = p.transposeB ? (p.n, p.k) : (p.k, p.n)
        let (lda, ldb, ldc) = (aCols + p.padding, bCols + p.padding, p.n + p.padding)
        var random = SplitMix64(state: seed)
        let a = (0..<aRows * lda).map { _ in random.nextSigned() }
        let b = (0..<bRows * ldb).map { _ in random.nextSigned() }
        // NaN everywhere: beta = 0 must overwrite C without reading it (the engine relies on
        // that), and the padding must come back untouched.
        let sentinel = Float(bitPattern: 0x7FC0_1234)
        var c = [Float](repeating: sentinel, count: p.m * ldc)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    gemm(p.transposeA, p.transposeB, p.m, p.n, p.k, pa.baseAddress!, lda,
                         pb.baseAddress!, ldb, pc.baseAddress!, ldc)
                }
            }
        }

        // op(A) and op(B) in Float64, row-major and dense, then the reference product.
        var opA = [Double](repeating: 0, count: p.m * p.k)
        var opB = [Double](repeating: 0, count: p.k * p.n)
        for i in 0..<p.m { for q in 0..<p.k {
            opA[i * p.k + q] = Double(p.transposeA ? a[q * lda + i] : a[i * lda + q])
        } }
        for q in 0..<p.k { for j in 0..<p.n {
            opB[q * p.n + j] = Double(p.transposeB ? b[j * ldb + q] : b[q * ldb + j])
        } }
        let reference = referenceProduct(opA, opB, m: p.m, n: p.n, k: p.k)
        let rowNorms = (0..<p.m).map { i in (0..<p.k).reduce(0.0) { $0 + opA[i * p.k + $1] * opA[i * p.k + $1] }.squareRoot() }
        let columnNorms = (0..<p.n).map { j in (0..<p.k).reduce(0.0) { $0 + opB[$1 * p.n + j] * opB[$1 * p.n + j] }.squareRoot() }

        var worst = 0.0
        for i in 0..<p.m {
            for j in 0..<p.n {
                let value = Double(c[i * ldc + j])
                guard value.isFinite else { return .infinity }
                let scale = rowNorms[i] * columnNorms[j]
                let difference = abs(value - reference[i * p.n + j])
                // A zero scale means the exact product is 0: any other value is wrong.
                let error = scale > 0 ? difference / scale : (difference == 0 ? 0 : .infinity)
                worst = Swift.max(worst, error)
            }
            for j in p.n..<ldc where c[i * ldc + j].bitPattern != sentinel.bitPattern { return .infinity }
        }
        return worst
    }

    /// C = A·B in Float64 (A m×k, B k×n, row-major), blocked over k so a panel of B stays in
    /// cache, with the innermost loop over contiguous columns so it vectorises.
    static func referenceProduct(_ a: [Double], _ b: [Double], m: Int, n: Int, k: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        let block = 64
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    let (a, b, c) = (pa.baseAddress!, pb.baseAddress!, pc.baseAddress!)
                    for q0 in stride(from: 0, to: k, by: block) {
                        let q1 = Swift.min(k, q0 + block)
                        for i in 0..<m {
                            let row = c + i * n
                            for q in q0..<q1 {
                                let factor = a[i * k + q]
                                let bRow = b + q * n
                                for j in 0..<n { row[j] += factor * bRow[j] }
                            }
                        }
                    }
                }
            }
        }
        return c
    }
}

extension SplitMix64 {
    /// Uniform in [-1, 1), exactly representable in Float32 (24 significant bits). The self-test
    /// draws from SplitMix64 directly so its inputs never change with the engine's generators.
    mutating func nextSigned() -> Float {
        Float(Int32(truncatingIfNeeded: next() >> 40) - (1 << 23)) / Float(1 << 23)
    }
}
